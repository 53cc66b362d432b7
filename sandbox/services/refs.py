"""Resolving references in a request: an id, or a name instead of the id, as Fusion allows.

``{"Supplier": "Anglia Care Partnership Limited"}`` and ``{"SupplierId": 300000052000007}``
mean the same; names match case-insensitively; an unknown one is a 400 that names it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sandbox.rules import RuleViolation
from sandbox.services.body import Body


@dataclass(frozen=True)
class Ref:
    """A kind of record that requests refer to: its table and the columns that name it."""

    label: str
    table: str
    name_columns: tuple[str, ...]
    id_column: str = "id"
    missing: str = "The {label} {value} doesn't exist."
    where: str = "1 = 1"


BUSINESS_UNIT = Ref("business unit", "business_units", ("name",))
PROCUREMENT_BU = Ref("procurement BU", "business_units", ("name",), where="is_procurement = 1")
REQUISITIONING_BU = Ref(
    "requisitioning BU", "business_units", ("name",), where="is_requisitioning = 1"
)
SUPPLIER = Ref("supplier", "suppliers", ("name", "number"))
LOCATION = Ref("location", "locations", ("code", "name"))
CATEGORY = Ref("purchasing category", "categories", ("name", "code"))
UOM = Ref("unit of measure", "uoms", ("code", "name"), id_column="code")
PERSON = Ref("person", "persons", ("display_name", "email"))
# Any person may be named; whether they may buy for the order's BU is a rule of their own
# (``rules.orders.check_buyer``), with a message that says why.
BUYER = Ref("buyer", "persons", ("display_name", "email"))
ACCOUNT = Ref(
    "account",
    "accounts",
    ("segments",),
    missing="The account {value} isn't a valid account combination.",
)
DOCUMENT_STYLE = Ref("document style", "document_styles", ("name",))
CURRENCY = Ref("currency", "currencies", ("code", "name"), id_column="code")
ITEM = Ref("item", "items", ("number",))


def find(
    conn: sqlite3.Connection, ref: Ref, value: str, extra: str = "", args: tuple[object, ...] = ()
) -> list[sqlite3.Row]:
    """Rows of ``ref`` named ``value`` (any of its name columns, case-insensitive)."""
    match = " OR ".join(f"{column} = ? COLLATE NOCASE" for column in ref.name_columns)
    sql = f"SELECT * FROM {ref.table} WHERE ({match}) AND {ref.where} {extra}"
    return conn.execute(sql, (value,) * len(ref.name_columns) + args).fetchall()


def lookup(conn: sqlite3.Connection, ref: Ref, value: str, attribute: str) -> int | str:
    """The id of the record named ``value``; 400 when there is none."""
    rows = find(conn, ref, value)
    if not rows:
        raise RuleViolation(ref.missing.format(label=ref.label, value=value), attribute)
    found: int | str = rows[0][ref.id_column]
    return found


def check_id(conn: sqlite3.Connection, ref: Ref, value: int | str, attribute: str) -> int | str:
    row = conn.execute(
        f"SELECT {ref.id_column} FROM {ref.table} WHERE {ref.id_column} = ? AND {ref.where}",
        (value,),
    ).fetchone()
    if row is None:
        raise RuleViolation(f"The {ref.label} with the id {value} doesn't exist.", attribute)
    found: int | str = row[0]
    return found


def pick(
    conn: sqlite3.Connection,
    body: Body,
    ref: Ref,
    id_attribute: str | None,
    *name_attributes: str,
    required: bool = False,
) -> int | str | None:
    """The referenced id from ``id_attribute`` or else the first name attribute given."""
    if id_attribute and body.given(id_attribute):
        raw = body.text(id_attribute)
        assert raw is not None
        key: int | str = raw
        if ref.id_column == "id":
            key_number = body.integer(id_attribute)
            assert key_number is not None
            key = key_number
        return check_id(conn, ref, key, id_attribute)
    for attribute in name_attributes:
        name = body.text(attribute)
        if name is not None:
            return lookup(conn, ref, name, attribute)
    if required:
        wanted = name_attributes[0] if name_attributes else id_attribute
        raise RuleViolation(f"A value for the attribute {wanted} is required.", wanted)
    return None


def pick_int(
    conn: sqlite3.Connection,
    body: Body,
    ref: Ref,
    id_attribute: str | None,
    *name_attributes: str,
    required: bool = False,
) -> int | None:
    """:func:`pick` for integer-keyed records."""
    found = pick(conn, body, ref, id_attribute, *name_attributes, required=required)
    return None if found is None else int(found)
