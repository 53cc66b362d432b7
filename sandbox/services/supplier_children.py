"""A supplier's addresses, sites (with site assignments) and contacts."""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.rules import RuleViolation
from sandbox.rules import suppliers as rules
from sandbox.services import refs
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext

COUNTRIES = {
    "GB": "United Kingdom",
    "IE": "Ireland",
    "FR": "France",
    "DE": "Germany",
    "NL": "Netherlands",
    "BE": "Belgium",
    "ES": "Spain",
    "US": "United States",
}
ADDRESS_FIELDS = {
    "AddressName": "name",
    "AddressLine1": "line1",
    "AddressLine2": "line2",
    "City": "city",
    "County": "county",
    "PostalCode": "postal_code",
    "InactiveDate": "inactive_date",
}
ADDRESS_FLAGS = {
    "AddressPurposeOrderingFlag": "ordering",
    "AddressPurposeRemitToFlag": "remit_to",
    "AddressPurposeRFQOrBiddingFlag": "rfq",
}
SITE_FLAGS = {
    "SitePurposeSourcingOnlyFlag": "sourcing_only",
    "SitePurposePurchasingFlag": "purchasing",
    "SitePurposeProcurementCardFlag": "procurement_card",
    "SitePurposePayFlag": "pay",
    "SitePurposePrimaryPayFlag": "primary_pay",
}
CONTACT_FIELDS = {
    "FirstName": "first_name",
    "LastName": "last_name",
    "Email": "email",
    "PhoneNumber": "phone",
}


def _update(conn: sqlite3.Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
    for column, value in values.items():
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, row_id))


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    new_id = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
    ).lastrowid
    assert new_id is not None
    return new_id


def _touch_supplier(conn: sqlite3.Connection, ctx: ServiceContext, supplier_id: int) -> None:
    conn.execute(
        "UPDATE suppliers SET last_update_date = ? WHERE id = ?", (ctx.timestamp, supplier_id)
    )


# --- addresses -------------------------------------------------------------------------------


def _address_values(
    conn: sqlite3.Connection, body: Body, supplier_id: int, current: sqlite3.Row | None
) -> dict[str, Any]:
    body.only(
        set(ADDRESS_FIELDS) | set(ADDRESS_FLAGS) | {"CountryCode", "Country"},
        {"SupplierAddressId", "Status"},
    )
    values: dict[str, Any] = {}
    if current is None or body.has("AddressName"):
        name = body.text("AddressName", required=True)
        clash = conn.execute(
            "SELECT 1 FROM supplier_addresses WHERE supplier_id = ? AND name = ? COLLATE NOCASE "
            "AND id IS NOT ?",
            (supplier_id, name, current["id"] if current else None),
        ).fetchone()
        if clash:
            raise RuleViolation(
                f"An address named {name} already exists for this supplier.", "AddressName"
            )
        values["name"] = name
    if current is None or body.given("CountryCode") or body.given("Country"):
        code = body.text("CountryCode")
        country = body.text("Country")
        by_name = {name.lower(): c for c, name in COUNTRIES.items()}
        resolved = (
            code.upper() if code else by_name.get((country or "").lower(), (country or "").upper())
        )
        if resolved not in COUNTRIES:
            raise RuleViolation(f"The country {code or country} isn't valid.", "CountryCode")
        values["country_code"] = resolved
    if current is None or body.has("AddressLine1"):
        values["line1"] = body.text("AddressLine1", required=True)
    for attribute in ("AddressLine2", "City", "County", "PostalCode"):
        if body.has(attribute):
            values[ADDRESS_FIELDS[attribute]] = body.text(attribute)
    if body.has("InactiveDate"):
        values["inactive_date"] = body.date("InactiveDate")
    flags = {
        column: body.flag(attribute, bool(current[column]) if current else False)
        for attribute, column in ADDRESS_FLAGS.items()
    }
    rules.check_address_purposes(flags["ordering"], flags["remit_to"], flags["rfq"])
    return values | {column: int(flag) for column, flag in flags.items()}


def add_address(ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, body: Body) -> int:
    values = _address_values(conn, body, supplier_id, None)
    _touch_supplier(conn, ctx, supplier_id)
    return _insert(conn, "supplier_addresses", values | {"supplier_id": supplier_id})


def update_address(
    ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, address_id: int, body: Body
) -> None:
    current = conn.execute(
        "SELECT * FROM supplier_addresses WHERE id = ?", (address_id,)
    ).fetchone()
    _update(
        conn, "supplier_addresses", address_id, _address_values(conn, body, supplier_id, current)
    )
    _touch_supplier(conn, ctx, supplier_id)


# --- sites and their assignments -------------------------------------------------------------


def _site_values(
    conn: sqlite3.Connection, body: Body, supplier_id: int, current: sqlite3.Row | None
) -> dict[str, Any]:
    writable = {
        "SupplierSite",
        "ProcurementBUId",
        "ProcurementBU",
        "SupplierAddressId",
        "SupplierAddressName",
        "InactiveDate",
        *SITE_FLAGS,
    }
    body.only(
        writable | ({"assignments"} if current is None else set()),
        {"SupplierSiteId", "Status", "SupplierId"},
    )
    values: dict[str, Any] = {}
    if current is None:
        values["procurement_bu_id"] = refs.pick_int(
            conn, body, refs.PROCUREMENT_BU, "ProcurementBUId", "ProcurementBU", required=True
        )
    elif body.given("ProcurementBUId") or body.given("ProcurementBU"):
        raise RuleViolation(
            "You can't change the procurement BU of a supplier site.", "ProcurementBU"
        )
    if current is None or body.has("SupplierSite"):
        name = body.text("SupplierSite", required=True)
        bu = values.get("procurement_bu_id") or (current["procurement_bu_id"] if current else None)
        clash = conn.execute(
            "SELECT 1 FROM supplier_sites WHERE supplier_id = ? AND procurement_bu_id = ? "
            "AND name = ? COLLATE NOCASE AND id IS NOT ?",
            (supplier_id, bu, name, current["id"] if current else None),
        ).fetchone()
        if clash:
            raise RuleViolation(
                f"The supplier site {name} already exists in this procurement BU.", "SupplierSite"
            )
        values["name"] = name
    if current is None or body.given("SupplierAddressId") or body.given("SupplierAddressName"):
        values["address_id"] = _pick_address(conn, body, supplier_id)
    if body.has("InactiveDate"):
        values["inactive_date"] = body.date("InactiveDate")
    flags = {
        attribute: body.flag(attribute, bool(current[column]) if current else False)
        for attribute, column in SITE_FLAGS.items()
    }
    rules.check_site_purposes(flags)
    return values | {SITE_FLAGS[attribute]: int(flag) for attribute, flag in flags.items()}


def _pick_address(conn: sqlite3.Connection, body: Body, supplier_id: int) -> int:
    if body.given("SupplierAddressId"):
        given = body.integer("SupplierAddressId")
        row = conn.execute(
            "SELECT id FROM supplier_addresses WHERE id = ? AND supplier_id = ?",
            (given, supplier_id),
        ).fetchone()
    else:
        name = body.text("SupplierAddressName", required=True)
        row = conn.execute(
            "SELECT id FROM supplier_addresses WHERE supplier_id = ? AND name = ? COLLATE NOCASE",
            (supplier_id, name),
        ).fetchone()
    if row is None:
        given_text = body.text("SupplierAddressId") or body.text("SupplierAddressName")
        raise RuleViolation(
            f"The address {given_text} doesn't exist for this supplier.", "SupplierAddressName"
        )
    return int(row["id"])


def add_site(ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, body: Body) -> int:
    site_id = _insert(
        conn,
        "supplier_sites",
        _site_values(conn, body, supplier_id, None) | {"supplier_id": supplier_id},
    )
    for assignment in body.children("assignments") or []:
        add_assignment(ctx, conn, site_id, assignment)
    _touch_supplier(conn, ctx, supplier_id)
    return site_id


def update_site(
    ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, site_id: int, body: Body
) -> None:
    current = conn.execute("SELECT * FROM supplier_sites WHERE id = ?", (site_id,)).fetchone()
    _update(conn, "supplier_sites", site_id, _site_values(conn, body, supplier_id, current))
    _touch_supplier(conn, ctx, supplier_id)


def _assignment_values(
    conn: sqlite3.Connection, body: Body, current: sqlite3.Row | None
) -> dict[str, Any]:
    body.only(
        {"ClientBUId", "ClientBU", "BillToBUId", "BillToBU", "InactiveDate"},
        {"AssignmentId", "Status"},
    )
    values: dict[str, Any] = {}
    if current is None:
        values["client_bu_id"] = refs.pick_int(
            conn, body, refs.BUSINESS_UNIT, "ClientBUId", "ClientBU", required=True
        )
        rules.check_assignment_bill_to(body.given("BillToBUId") or body.given("BillToBU"))
    elif body.given("ClientBUId") or body.given("ClientBU"):
        raise RuleViolation("You can't change the client BU of a site assignment.", "ClientBU")
    if body.given("BillToBUId") or body.given("BillToBU"):
        values["bill_to_bu_id"] = refs.pick_int(
            conn, body, refs.BUSINESS_UNIT, "BillToBUId", "BillToBU"
        )
    elif current is not None and (body.has("BillToBUId") or body.has("BillToBU")):
        rules.check_assignment_bill_to(False)
    if body.has("InactiveDate"):
        values["inactive_date"] = body.date("InactiveDate")
    return values


def add_assignment(ctx: ServiceContext, conn: sqlite3.Connection, site_id: int, body: Body) -> int:
    values = _assignment_values(conn, body, None)
    if conn.execute(
        "SELECT 1 FROM site_assignments WHERE site_id = ? AND client_bu_id = ?",
        (site_id, values["client_bu_id"]),
    ).fetchone():
        raise RuleViolation("The site already has an assignment for that client BU.", "ClientBU")
    return _insert(conn, "site_assignments", values | {"site_id": site_id})


def update_assignment(
    ctx: ServiceContext, conn: sqlite3.Connection, site_id: int, assignment_id: int, body: Body
) -> None:
    current = conn.execute(
        "SELECT * FROM site_assignments WHERE id = ?", (assignment_id,)
    ).fetchone()
    _update(conn, "site_assignments", assignment_id, _assignment_values(conn, body, current))


# --- contacts --------------------------------------------------------------------------------


def _contact_values(body: Body, current: sqlite3.Row | None) -> dict[str, Any]:
    body.only(
        {*CONTACT_FIELDS, "AdministrativeContactFlag", "InactiveDate"},
        {"SupplierContactId", "Status"},
    )
    values: dict[str, Any] = {}
    if current is None or body.has("LastName"):
        values["last_name"] = body.text("LastName", required=True)
    if current is None or body.has("FirstName"):
        values["first_name"] = body.text("FirstName", required=True)
    if body.has("Email"):
        email = body.text("Email")
        if email is not None:
            rules.check_email(email)
        values["email"] = email
    if body.has("PhoneNumber"):
        values["phone"] = body.text("PhoneNumber")
    if body.has("AdministrativeContactFlag"):
        values["administrative"] = int(body.flag("AdministrativeContactFlag"))
    if body.has("InactiveDate"):
        values["inactive_date"] = body.date("InactiveDate")
    return values


def add_contact(ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, body: Body) -> int:
    _touch_supplier(conn, ctx, supplier_id)
    return _insert(
        conn, "supplier_contacts", _contact_values(body, None) | {"supplier_id": supplier_id}
    )


def update_contact(
    ctx: ServiceContext, conn: sqlite3.Connection, supplier_id: int, contact_id: int, body: Body
) -> None:
    current = conn.execute("SELECT * FROM supplier_contacts WHERE id = ?", (contact_id,)).fetchone()
    _update(conn, "supplier_contacts", contact_id, _contact_values(body, current))
    _touch_supplier(conn, ctx, supplier_id)
