"""Supplier master data: suppliers and their addresses, sites, site assignments and contacts."""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.rules import RuleViolation
from sandbox.rules import suppliers as rules
from sandbox.services import supplier_children as children
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext
from sandbox.services.supplier_children import COUNTRIES

SUPPLIER_FIELDS = {
    "Supplier": "name",
    "AlternateName": "alternate_name",
    "TaxOrganizationType": "tax_organization_type",
    "SupplierType": "supplier_type",
    "BusinessRelationship": "business_relationship",
    "TaxpayerCountry": "taxpayer_country",
    "TaxpayerId": "taxpayer_id",
    "DUNSNumber": "duns",
    "InactiveDate": "inactive_date",
}
SUPPLIER_WRITABLE = frozenset(SUPPLIER_FIELDS) | {"SupplierNumber"}
SUPPLIER_READ_ONLY = frozenset(
    {"SupplierId", "SupplierPartyId", "Status", "CreationDate", "LastUpdateDate"}
)
SUPPLIER_CHILDREN = frozenset({"addresses", "sites", "contacts"})


def _supplier_values(
    conn: sqlite3.Connection, body: Body, supplier_id: int | None
) -> dict[str, Any]:
    """Checked column values for the supplier attributes present in ``body``."""
    creating = supplier_id is None
    values: dict[str, Any] = {}
    if creating or body.has("Supplier"):
        name = body.text("Supplier", required=True)
        assert name is not None
        rules.check_unique_name(conn, name, supplier_id)
        values["name"] = name
    choices = (
        ("TaxOrganizationType", rules.TAX_ORGANIZATION_TYPES, "Corporation"),
        ("SupplierType", rules.SUPPLIER_TYPES, "Supplier"),
        ("BusinessRelationship", rules.BUSINESS_RELATIONSHIPS, "Spend Authorized"),
    )
    for attribute, allowed, default in choices:
        if creating or body.has(attribute):
            value = body.text(attribute) or default
            rules.check_choice(attribute, value, allowed)
            values[SUPPLIER_FIELDS[attribute]] = value
    if creating or body.has("TaxpayerCountry"):
        country = body.text("TaxpayerCountry") or "United Kingdom"
        names = {name.lower(): name for name in COUNTRIES.values()}
        if country.upper() in COUNTRIES:
            country = COUNTRIES[country.upper()]
        elif country.lower() in names:
            country = names[country.lower()]
        else:
            raise RuleViolation(f"The tax country {country} isn't valid.", "TaxpayerCountry")
        values["taxpayer_country"] = country
    if body.has("TaxpayerId"):
        taxpayer_id = body.text("TaxpayerId")
        if taxpayer_id is not None:
            rules.check_unique_taxpayer_id(conn, taxpayer_id, supplier_id)
        values["taxpayer_id"] = taxpayer_id
    if body.has("DUNSNumber"):
        duns = body.text("DUNSNumber")
        if duns is not None:
            rules.check_duns(duns)
        values["duns"] = duns
    for attribute in ("AlternateName",):
        if body.has(attribute):
            values[SUPPLIER_FIELDS[attribute]] = body.text(attribute)
    if body.has("InactiveDate"):
        values["inactive_date"] = body.date("InactiveDate")
    return values


def create_supplier(ctx: ServiceContext, conn: sqlite3.Connection, body: Body) -> int:
    """A new supplier; its number comes from the supplier number sequence unless given."""
    body.only(SUPPLIER_WRITABLE | SUPPLIER_CHILDREN, SUPPLIER_READ_ONLY)
    values = _supplier_values(conn, body, None)
    number = body.text("SupplierNumber")
    if number is None:
        last = conn.execute("SELECT MAX(CAST(number AS INTEGER)) FROM suppliers").fetchone()[0]
        number = str(int(last or 30000) + 1)
    elif conn.execute("SELECT 1 FROM suppliers WHERE number = ?", (number,)).fetchone():
        raise RuleViolation(f"The supplier number {number} is already used.", "SupplierNumber")
    party = conn.execute("SELECT MAX(party_id) FROM suppliers").fetchone()[0]
    values |= {
        "number": number,
        "party_id": int(party or 300000053000000) + 1,
        "creation_date": ctx.timestamp,
        "last_update_date": ctx.timestamp,
    }
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    supplier_id = conn.execute(
        f"INSERT INTO suppliers ({columns}) VALUES ({marks})", tuple(values.values())
    ).lastrowid
    assert supplier_id is not None
    # Nested children, in the order that lets sites name the addresses created just before.
    for address in body.children("addresses") or []:
        children.add_address(ctx, conn, supplier_id, address)
    for site in body.children("sites") or []:
        children.add_site(ctx, conn, supplier_id, site)
    for contact in body.children("contacts") or []:
        children.add_contact(ctx, conn, supplier_id, contact)
    return supplier_id


def update_supplier(
    ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, body: Body
) -> None:
    body.only(SUPPLIER_WRITABLE - {"SupplierNumber"}, SUPPLIER_READ_ONLY | {"SupplierNumber"})
    values = _supplier_values(conn, body, supplier_id)
    values["last_update_date"] = ctx.timestamp
    for column, value in values.items():
        conn.execute(f"UPDATE suppliers SET {column} = ? WHERE id = ?", (value, supplier_id))
