"""REST framework version 1's q= filter (query-by-example): the parser on its own."""

from __future__ import annotations

import sqlite3

import pytest

from sandbox.rest.qbe import parse_qbe
from sandbox.rest.query import BoolOp, Comparison, QueryError, compile_sql

COLUMNS = {"Name": "name", "Qty": "qty", "Flag": "flag"}


def coerce(attribute: str, value: object) -> object:
    return float(str(value)) if attribute == "Qty" else value


def run(q: str) -> list[str]:
    """Names of the rows of a small table that the filter selects."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (name TEXT, qty REAL, flag INTEGER)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?)",
        [("Alpha", 1, 1), ("beta", 5, 0), ("Gamma's", 10, 1), ("Smith and Sons", 2, 0)],
    )
    sql, params = compile_sql(parse_qbe(q), COLUMNS, coerce)
    return [r[0] for r in conn.execute(f"SELECT name FROM t WHERE {sql} ORDER BY rowid", params)]


def test_terms_joined_by_semicolons_must_all_hold() -> None:
    """Attr=value;Attr2=value is one comparison per term, joined with and."""
    assert parse_qbe("Name=Alpha") == Comparison("Name", "=", ("Alpha",))
    assert parse_qbe("Name=Alpha;Qty=1") == BoolOp(
        "and", (Comparison("Name", "=", ("Alpha",)), Comparison("Qty", "=", ("1",)))
    )
    assert run("Name=Alpha;Qty=1") == ["Alpha"]
    assert run("Name=Alpha;Qty=5") == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Name=Smith and Sons", ["Smith and Sons"]),  # an unquoted value runs to the ';'
        ("Name= beta ", ["beta"]),
        ("Name='Gamma''s'", ["Gamma's"]),
        ("Name=Gamma's", ["Gamma's"]),
        ("Name=%a", ["Alpha", "beta"]),  # '%' in a value compares with LIKE
        ("Qty>1;Qty<10", ["beta", "Smith and Sons"]),
        ("Qty>=5", ["beta", "Gamma's"]),
        ("Qty<>5;Flag=0", ["Smith and Sons"]),
        ("Name='a;b'", []),  # a ';' inside quotes is text
    ],
)
def test_values_and_operators(q: str, expected: list[str]) -> None:
    """Quoted and unquoted values, comparison operators and the '%' wildcard."""
    assert run(q) == expected


@pytest.mark.parametrize(
    "q",
    [
        "Name LIKE 'A%'",
        "Qty IS NULL",
        "Name IN ('Alpha')",
        "(Name='Alpha')",
        "NOT Flag=1",
        "Name='Alpha' and Qty=1",
        "Name='Alpha' or Name='beta'",
        "Qty>1 and Qty<3",
        "Name=Alpha or Name LIKE 'b%'",
        "Name=",
        "Name=Alpha;",
        "Name='Alpha",
        "=Alpha",
    ],
)
def test_what_version_1_cannot_parse_is_refused(q: str) -> None:
    """Row-match expressions, empty terms and values, unclosed quotes: QueryError (HTTP 400),
    saying that version 2 or later takes expressions."""
    with pytest.raises(QueryError, match="REST-Framework-Version: 2 or later"):
        parse_qbe(q)
