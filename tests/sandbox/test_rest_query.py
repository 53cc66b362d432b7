"""The q= filter grammar: the parser and compiler on their own, then through HTTP."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from sandbox.rest.query import (
    BoolOp,
    Comparison,
    Not,
    QueryError,
    attributes_in,
    compile_sql,
    parse,
)
from tests.sandbox.resthelpers import error_message

COLUMNS = {"Name": "name", "Qty": "qty", "Flag": "flag"}


def coerce(attribute: str, value: object) -> object:
    return value


def run(q: str) -> list[str]:
    """Names of the rows of a small table that the filter selects."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (name TEXT, qty REAL, flag INTEGER)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?)",
        [("Alpha", 1, 1), ("beta", 5, 0), ("Gamma's", 10, 1), ("Delta", None, 0)],
    )
    sql, params = compile_sql(parse(q), COLUMNS, coerce)
    return [r[0] for r in conn.execute(f"SELECT name FROM t WHERE {sql} ORDER BY rowid", params)]


def test_parses_comparison_with_quoted_text() -> None:
    """A single comparison becomes one Comparison node with the unquoted value."""
    assert parse("Name='Alpha'") == Comparison("Name", "=", ("Alpha",))


def test_and_binds_tighter_than_or() -> None:
    """'a or b and c' groups as 'a or (b and c)'."""
    node = parse("Name='a' or Qty>1 and Qty<3")
    assert isinstance(node, BoolOp) and node.operator == "or"
    assert isinstance(node.operands[1], BoolOp) and node.operands[1].operator == "and"


def test_keywords_are_case_insensitive_and_not_negates() -> None:
    """'AND', 'Or', 'NOT' and 'like' are all keywords."""
    node = parse("NOT (Name LIKE 'A%' Or Qty >= 2) AND Flag=true")
    assert isinstance(node, BoolOp) and isinstance(node.operands[0], Not)
    assert node.operands[1] == Comparison("Flag", "=", (True,))


def test_doubled_quote_escapes_a_quote() -> None:
    """'' inside a string stands for one quote."""
    assert run("Name='Gamma''s'") == ["Gamma's"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Qty>1", ["beta", "Gamma's"]),
        ("Qty<=5", ["Alpha", "beta"]),
        ("Qty!=5", ["Alpha", "Gamma's"]),
        ("Qty<>5", ["Alpha", "Gamma's"]),
        ("Name LIKE '%a'", ["Alpha", "beta", "Delta"]),
        ("Name NOT LIKE '%a'", ["Gamma's"]),
        ("Qty IS NULL", ["Delta"]),
        ("Qty is not null and Flag=1", ["Alpha", "Gamma's"]),
        ("Name IN ('Alpha', 'Delta')", ["Alpha", "Delta"]),
        ("Name not in ('Alpha')", ["beta", "Gamma's", "Delta"]),
        ("Qty BETWEEN 2 AND 10", ["beta", "Gamma's"]),
        ("(Name='Alpha' or Name='beta') and Qty>2", ["beta"]),
        ("not Flag=1", ["beta", "Delta"]),
        ("Qty >= 1.5", ["beta", "Gamma's"]),
    ],
)
def test_compiled_filters_select_the_right_rows(q: str, expected: list[str]) -> None:
    """Each operator compiles to SQL that selects exactly the matching rows."""
    assert run(q) == expected


@pytest.mark.parametrize(
    "q",
    [
        "Name=Alpha",
        "Name='Alpha",
        "Name=",
        "(Name='a'",
        "Name='a' and",
        "Name ~ 'a'",
        "Qty BETWEEN 1 2",
    ],
)
def test_malformed_filters_are_refused(q: str) -> None:
    """Bare words, unterminated strings, dangling operators and bad tokens raise QueryError."""
    with pytest.raises(QueryError):
        compile_sql(parse(q), COLUMNS, coerce)


def test_v1_semicolon_syntax_is_refused_with_a_hint() -> None:
    """REST Framework v1's 'a=b;c=d' form is an error that says to use 'and'."""
    with pytest.raises(QueryError, match="version 1"):
        parse("Name=Alpha;Qty=1")


def test_semicolon_inside_a_string_is_text() -> None:
    """A ';' inside quotes is part of the value, not the v1 separator."""
    assert parse("Name='a;b'") == Comparison("Name", "=", ("a;b",))


def test_unknown_attribute_is_refused_and_values_stay_parameters() -> None:
    """Only whitelisted attributes compile; values are never pasted into the SQL text."""
    with pytest.raises(QueryError, match="Password"):
        compile_sql(parse("Password='x'"), COLUMNS, coerce)
    sql, params = compile_sql(parse("Name='x'' or 1=1 --'"), COLUMNS, coerce)
    assert sql == "name = ?" and params == ["x' or 1=1 --"]


def test_attributes_in_lists_every_named_attribute() -> None:
    """The attributes a filter names (used to pick a LOV's view) are collected from all levels."""
    assert attributes_in(parse("Name='a' or (Qty>1 and not Flag=0)")) == {"Name", "Qty", "Flag"}


# --- through HTTP ------------------------------------------------------------------------------


def test_http_filter_with_like_and_numbers(rest: httpx.Client) -> None:
    """q combines LIKE on text with numeric comparisons over the real item catalogue."""
    response = rest.get(
        "/itemsV2",
        params={"q": "ItemNumber LIKE 'NCC-HW-%' and ListPrice > 100", "onlyData": "true"},
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert items and all(i["ItemNumber"].startswith("NCC-HW-") for i in items)
    assert all(i["ListPrice"] > 100 for i in items)


def test_http_like_is_case_insensitive_for_lovs(rest: httpx.Client) -> None:
    """A LOV search with LIKE '%text%' ignores case, as the pages' type-ahead needs."""
    response = rest.get("/suppliersLOV", params={"q": "Supplier LIKE '%BROADLAND HIGHWAYS%'"})
    names = [i["Supplier"] for i in response.json()["items"]]
    assert names == ["Broadland Highways Maintenance Ltd"]


def test_http_v1_syntax_under_a_later_version_answers_400(rest: httpx.Client) -> None:
    """The v1 ';' form, asked for with version 2 or later, answers 400 saying so."""
    response = rest.get("/purchaseOrders", params={"q": "OrderNumber=1004500;Status=Open"})
    assert response.status_code == 400
    assert "version 1" in error_message(response)
    plain = rest.get(
        "/purchaseOrders",
        params={"q": "OrderNumber=1004500;Status=Open"},
        headers={"REST-Framework-Version": "3"},
    )
    assert plain.status_code == 400 and plain.headers["content-type"].startswith("text/plain")
    assert "version 1" in plain.text


def test_http_unknown_attribute_answers_400(rest: httpx.Client) -> None:
    """Filtering on an attribute the resource lacks is a 400 naming it."""
    response = rest.get("/purchaseOrders", params={"q": "Colour='red'"})
    assert response.status_code == 400 and "Colour" in error_message(response)


def test_http_quoted_number_matches_numeric_key(rest: httpx.Client) -> None:
    """A key compared with a quoted number still matches (literals take the attribute's type)."""
    first = rest.get("/purchaseOrders", params={"limit": 1, "onlyData": "true"}).json()["items"][0]
    response = rest.get("/purchaseOrders", params={"q": f"POHeaderId='{first['POHeaderId']}'"})
    assert [i["OrderNumber"] for i in response.json()["items"]] == [first["OrderNumber"]]


def test_http_boolean_filter_on_flags(rest: httpx.Client) -> None:
    """Flag attributes filter with true/false literals."""
    response = rest.get(
        "/accountCombinationsLOV", params={"q": "EnabledFlag=false", "onlyData": "true"}
    )
    segments = sorted(i["ConcatenatedSegments"] for i in response.json()["items"])
    assert segments == ["1000-CC150-5100-000", "1000-CC151-5300-000"]
