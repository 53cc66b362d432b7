"""Purchase-order headers and their life cycle: create (Incomplete), edit, delete, check funds,
submit, approve, cancel.

The order number is given when the Incomplete order is created, as Fusion does, so that a
client can note it before submitting. Defaults on create: the buyer is the signed-in user's
person when that person is a procurement agent of the order's BU (else none), and the default
ship-to location is the requisitioning BU's (the procurement BU's when that BU has none).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.rules import RuleViolation
from sandbox.rules import orders as rules
from sandbox.seed_orders import FIRST_ORDER_NUMBER
from sandbox.services import refs
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext
from sandbox.services.order_lines import add_line, editable_header

HEADER_EDITABLE = frozenset(
    {
        "Description",
        "RequisitioningBUId",
        "RequisitioningBU",
        "SupplierSiteId",
        "SupplierSite",
        "SupplierContactId",
        "SupplierContact",
        "BuyerId",
        "Buyer",
        "CurrencyCode",
        "Currency",
        "DocumentStyleId",
        "DocumentStyle",
        "ShipToLocationId",
        "ShipToLocationCode",
        "ShipToLocation",
    }
)
HEADER_CREATE = HEADER_EDITABLE | {
    "ProcurementBUId",
    "ProcurementBU",
    "SupplierId",
    "Supplier",
    "lines",
}
HEADER_READ_ONLY = frozenset(
    {
        "POHeaderId",
        "OrderNumber",
        "Status",
        "StatusCode",
        "BillToBU",
        "BillToBUId",
        "SoldToLegalEntity",
        "Total",
        "CreationDate",
        "LastUpdateDate",
        "CreatedBy",
        "SubmittedDate",
        "SupplierNumber",
        "BuyerEmail",
        "ProcurementBUId",
        "ProcurementBU",
        "SupplierId",
        "Supplier",
    }
)


def _pick_site(conn: sqlite3.Connection, body: Body, supplier_id: int, bu_id: int) -> int:
    """The supplier site by id or name; a name is looked up among that supplier's sites."""
    if body.given("SupplierSiteId"):
        site_id = body.integer("SupplierSiteId")
        row = conn.execute(
            "SELECT id FROM supplier_sites WHERE id = ? AND supplier_id = ?", (site_id, supplier_id)
        ).fetchone()
    else:
        name = body.text("SupplierSite", required=True)
        # A name can repeat across procurement BUs: prefer the site assigned to this BU.
        row = conn.execute(
            "SELECT s.id FROM supplier_sites s LEFT JOIN site_assignments a "
            "ON a.site_id = s.id AND a.client_bu_id = ? "
            "WHERE s.supplier_id = ? AND s.name = ? COLLATE NOCASE "
            "ORDER BY a.id IS NULL, s.id LIMIT 1",
            (bu_id, supplier_id, name),
        ).fetchone()
    if row is None:
        given = body.text("SupplierSiteId") or body.text("SupplierSite")
        raise RuleViolation(
            f"The supplier site {given} doesn't exist for this supplier.", "SupplierSite"
        )
    return int(row["id"])


def _pick_contact(conn: sqlite3.Connection, body: Body, supplier_id: int) -> int | None:
    if body.given("SupplierContactId"):
        contact_id = body.integer("SupplierContactId")
        row = conn.execute(
            "SELECT id FROM supplier_contacts WHERE id = ? AND supplier_id = ?",
            (contact_id, supplier_id),
        ).fetchone()
    elif body.given("SupplierContact"):
        name = body.text("SupplierContact")
        row = conn.execute(
            "SELECT id FROM supplier_contacts WHERE supplier_id = ? AND "
            "(last_name || ', ' || first_name = ? COLLATE NOCASE "
            "OR first_name || ' ' || last_name = ? COLLATE NOCASE OR email = ? COLLATE NOCASE)",
            (supplier_id, name, name, name),
        ).fetchone()
    else:
        return None
    if row is None:
        given = body.text("SupplierContactId") or body.text("SupplierContact")
        raise RuleViolation(
            f"The supplier contact {given} doesn't exist for this supplier.", "SupplierContact"
        )
    return int(row["id"])


def _header_values(
    ctx: ServiceContext, conn: sqlite3.Connection, body: Body, base: sqlite3.Row | None
) -> dict[str, Any]:
    """Column values for the header attributes in ``body`` (all of them when creating)."""
    values: dict[str, Any] = {}
    if base is None:
        bu = refs.pick_int(
            conn, body, refs.PROCUREMENT_BU, "ProcurementBUId", "ProcurementBU", required=True
        )
        supplier = refs.pick_int(conn, body, refs.SUPPLIER, "SupplierId", "Supplier", required=True)
        assert bu is not None and supplier is not None
        rules.check_supplier_active(conn, supplier, ctx.today)
        values |= {"procurement_bu_id": bu, "supplier_id": supplier}
    else:
        bu, supplier = base["procurement_bu_id"], base["supplier_id"]
    if base is None or body.given("SupplierSiteId") or body.given("SupplierSite"):
        site = _pick_site(conn, body, supplier, bu)
        values["supplier_site_id"] = site
        values["bill_to_bu_id"] = rules.check_site_usable(conn, site, bu, ctx.today)
    if base is None or body.has("SupplierContactId") or body.has("SupplierContact"):
        values["supplier_contact_id"] = _pick_contact(conn, body, supplier)
    if base is None or body.given("RequisitioningBUId") or body.given("RequisitioningBU"):
        values["requisitioning_bu_id"] = (
            refs.pick_int(
                conn, body, refs.REQUISITIONING_BU, "RequisitioningBUId", "RequisitioningBU"
            )
            or bu
        )
    if base is None or body.has("BuyerId") or body.has("Buyer"):
        buyer = refs.pick_int(conn, body, refs.BUYER, "BuyerId", "Buyer")
        if buyer is not None:
            rules.check_buyer(conn, buyer, bu)
        elif base is None and ctx.person_id and rules.is_buyer_for(conn, ctx.person_id, bu):
            buyer = ctx.person_id
        values["buyer_id"] = buyer
    if base is None or body.given("CurrencyCode") or body.given("Currency"):
        values["currency_code"] = (
            refs.pick(conn, body, refs.CURRENCY, None, "CurrencyCode", "Currency") or "GBP"
        )
    if base is None or body.given("DocumentStyleId") or body.given("DocumentStyle"):
        style = refs.pick_int(conn, body, refs.DOCUMENT_STYLE, "DocumentStyleId", "DocumentStyle")
        values["document_style_id"] = style or refs.lookup(
            conn, refs.DOCUMENT_STYLE, "Standard Purchase Order", "DocumentStyle"
        )
    if base is None or any(
        body.has(a) for a in ("ShipToLocationId", "ShipToLocationCode", "ShipToLocation")
    ):
        ship_to = refs.pick_int(
            conn, body, refs.LOCATION, "ShipToLocationId", "ShipToLocationCode", "ShipToLocation"
        )
        if ship_to is None and base is None:
            ship_to = _default_ship_to(conn, values["requisitioning_bu_id"], bu)
        values["ship_to_location_id"] = ship_to
    if base is None or body.has("Description"):
        values["description"] = body.text("Description")
    return values


def _default_ship_to(conn: sqlite3.Connection, requisitioning_bu: int, bu: int) -> int | None:
    """The requisitioning BU's default ship-to location, else the procurement BU's."""
    for bu_id in (requisitioning_bu, bu):
        row = conn.execute(
            "SELECT default_ship_to_location_id FROM business_units WHERE id = ?", (bu_id,)
        ).fetchone()
        if row and row[0] is not None:
            return int(row[0])
    return None


def create_draft(ctx: ServiceContext, conn: sqlite3.Connection, body: Body) -> int:
    """A new Incomplete order, with its nested lines, schedules and distributions."""
    body.only(HEADER_CREATE, HEADER_READ_ONLY)
    values = _header_values(ctx, conn, body, None)
    last = conn.execute("SELECT MAX(CAST(order_number AS INTEGER)) FROM po_headers").fetchone()[0]
    values |= {
        "order_number": str(max(int(last or 0) + 1, FIRST_ORDER_NUMBER)),
        "status_code": rules.INCOMPLETE,
        "creation_date": ctx.timestamp,
        "last_update_date": ctx.timestamp,
        "created_by": ctx.username,
    }
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    header_id = conn.execute(
        f"INSERT INTO po_headers ({columns}) VALUES ({marks})", tuple(values.values())
    ).lastrowid
    assert header_id is not None
    for line in body.children("lines") or []:
        add_line(ctx, conn, header_id, line)
    return header_id


def update_header(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body
) -> None:
    header = editable_header(ctx, conn, header_id)
    body.only(HEADER_EDITABLE, HEADER_READ_ONLY)
    for attribute in ("ProcurementBUId", "ProcurementBU", "SupplierId", "Supplier"):
        if body.given(attribute) and str(body.data[attribute]) not in _current(
            conn, header, attribute
        ):
            raise RuleViolation(
                f"You can't change the attribute {attribute} of an existing purchase order.",
                attribute,
            )
    values = _header_values(ctx, conn, body, header)
    values["last_update_date"] = ctx.timestamp
    for column, value in values.items():
        conn.execute(f"UPDATE po_headers SET {column} = ? WHERE id = ?", (value, header_id))


def delete_draft(ctx: ServiceContext, conn: sqlite3.Connection, header_id: int) -> None:
    """Delete an Incomplete order with its lines, schedules and distributions."""
    header = conn.execute(
        "SELECT status_code, order_number FROM po_headers WHERE id = ?", (header_id,)
    ).fetchone()
    rules.check_deletable(header["status_code"], ctx.order_number(header["order_number"]))
    lines = "SELECT id FROM po_lines WHERE header_id = ?"
    schedules = f"SELECT id FROM po_schedules WHERE line_id IN ({lines})"
    conn.execute(f"DELETE FROM po_distributions WHERE schedule_id IN ({schedules})", (header_id,))
    conn.execute(f"DELETE FROM po_schedules WHERE line_id IN ({lines})", (header_id,))
    conn.execute("DELETE FROM po_lines WHERE header_id = ?", (header_id,))
    conn.execute("DELETE FROM po_headers WHERE id = ?", (header_id,))


def set_status(conn: sqlite3.Connection, header_id: int, status: str, timestamp: str) -> str:
    """Put an order in any of Fusion's statuses (the admin endpoint, for tests); its name."""
    code = rules.status_code(status)
    conn.execute(
        "UPDATE po_headers SET status_code = ?, last_update_date = ?, "
        "submitted_date = CASE WHEN ? = ? THEN submitted_date "
        "ELSE COALESCE(submitted_date, ?) END WHERE id = ?",
        (code, timestamp, code, rules.INCOMPLETE, timestamp, header_id),
    )
    return rules.STATUS_NAMES[code]


def _current(conn: sqlite3.Connection, header: sqlite3.Row, attribute: str) -> set[str]:
    """The ways a client may spell the header's current BU or supplier (echoing it is fine)."""
    if attribute.startswith("ProcurementBU"):
        row = conn.execute(
            "SELECT id, name FROM business_units WHERE id = ?", (header["procurement_bu_id"],)
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT id, name FROM suppliers WHERE id = ?", (header["supplier_id"],)
        ).fetchone()
    return {str(row["id"]), row["name"]}


def _total(conn: sqlite3.Connection, header_id: int) -> float:
    row = conn.execute(
        "SELECT COALESCE(SUM(quantity * price), 0) FROM po_lines WHERE header_id = ?", (header_id,)
    ).fetchone()
    return round(float(row[0]), 2)


def check_funds(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body
) -> dict[str, Any]:
    """Fusion's funds check before submit: PASSED, or WARNING with the budget exceeded.

    The order must be submittable (the same refusals as submit). A warning names the charge
    account that carries most of the order and the amount by which the total is above the
    sandbox's ``funds_check_warning_above``; the client decides whether to submit anyway.
    """
    body.only(set())
    header = conn.execute("SELECT * FROM po_headers WHERE id = ?", (header_id,)).fetchone()
    number = ctx.order_number(header["order_number"])
    rules.check_submittable(conn, header, ctx.today, number)
    warning = rules.funds_warning(
        conn, header_id, _total(conn, header_id), ctx.funds_check_warning_above
    )
    if warning is None:
        return {"result": "PASSED"}
    return {
        "result": "WARNING",
        **warning,
        "Message": (
            f"The funds check for purchase order {number} passed with warnings: the budget for "
            f"{warning['POChargeAccount']} is exceeded by £{warning['ExceededBy']:,.2f}."
        ),
    }


def submit(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body
) -> dict[str, Any]:
    """Submit for approval: Open at or under the auto-approve limit, else Pending Approval."""
    body.only({"bypassApprovalsFlag"})
    header = conn.execute("SELECT * FROM po_headers WHERE id = ?", (header_id,)).fetchone()
    rules.check_submittable(conn, header, ctx.today, ctx.order_number(header["order_number"]))
    status = rules.status_after_submit(
        _total(conn, header_id), ctx.auto_approve_limit, body.flag("bypassApprovalsFlag")
    )
    conn.execute(
        "UPDATE po_headers SET status_code = ?, submitted_date = ?, last_update_date = ? "
        "WHERE id = ?",
        (status, ctx.timestamp, ctx.timestamp, header_id),
    )
    return {"result": "SUCCESS"}


def approve(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body
) -> dict[str, Any]:
    body.only(set())
    header = conn.execute("SELECT * FROM po_headers WHERE id = ?", (header_id,)).fetchone()
    rules.check_can_approve(header["status_code"], ctx.order_number(header["order_number"]))
    conn.execute(
        "UPDATE po_headers SET status_code = ?, last_update_date = ? WHERE id = ?",
        (rules.OPEN, ctx.timestamp, header_id),
    )
    return {"result": "SUCCESS"}


def cancel(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body
) -> dict[str, Any]:
    body.only({"CancelReason", "cancelReason"})
    header = conn.execute("SELECT * FROM po_headers WHERE id = ?", (header_id,)).fetchone()
    rules.check_can_cancel(header["status_code"], ctx.order_number(header["order_number"]))
    conn.execute(
        "UPDATE po_headers SET status_code = ?, last_update_date = ? WHERE id = ?",
        (rules.CANCELED, ctx.timestamp, header_id),
    )
    return {"result": "SUCCESS"}
