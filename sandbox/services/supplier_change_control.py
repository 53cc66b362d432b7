"""Supplier change control, as Fusion 26A's Redwood supplier pages have it: an edit of an existing
supplier waits as a change request until it is approved.

With the sandbox setting ``supplier_change_control`` on, a supplier edit saved through the pages
(the profile, an address, a site or site assignment, a contact: a change or an addition) is not
applied. It is checked as if applied (Oracle's rules refuse a bad value at once, with their
message), then kept as a **pending change request** of that supplier: a number (``CR-1001``),
the edits to replay on approval, what they change (each attribute old → new), who asked and
when. Later page edits of the same supplier join its pending request (one pending request per
supplier) until it is approved or rejected through the admin endpoint (``sandbox/admin.py``).
Approval replays the edits on the supplier as it is then, in one transaction; an edit that no
longer applies (a name taken since, say) refuses the approval and leaves the request pending.

Outside change control:

- a REST integration's writes (basic auth): Oracle says REST writes are not approved and not
  under change control (``sandbox/services/supplier_request_origin.py``);
- creating a supplier, and the edits of the page session that created it (setting up the new
  supplier's addresses, sites and contacts): the 26A text puts *edits* of a supplier profile
  under change control. Another session's edits, or a later one's, are controlled.

Readers see the approved state only; the requests read as the ``changeRequests`` child of a
supplier (``sandbox/rest/supplier_resources.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.rules import RuleViolation
from sandbox.services import supplier_children as children
from sandbox.services import suppliers
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext, make_context
from sandbox.services.supplier_request_origin import RequestOrigin, current_origin

PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"
# What a held creation answers in place of a new row's key: no row has it, so the REST layer
# answers 204 (nothing was created yet).
NOT_CREATED = 0
NUMBER_BASE = 1000  # CR-1001 is the first request
SAVEPOINT = "supplier_change_request"

# approve or reject: (conn, request number, decided by, note)
Decision = Callable[[sqlite3.Connection, str, str, str | None], None]
Ids = tuple[int, ...]  # the supplier's id first, then the keys down to the edited row
Run = Callable[[ServiceContext, sqlite3.Connection, Ids, Body], int | None]

# Every edit the pages save, by name: how to carry it out on a supplier (also on approval).
OPERATIONS: dict[str, Run] = {
    "update_supplier": lambda ctx, conn, ids, body: suppliers.update_supplier(
        ctx, conn, ids[0], body
    ),
    "add_address": lambda ctx, conn, ids, body: children.add_address(ctx, conn, ids[0], body),
    "update_address": lambda ctx, conn, ids, body: children.update_address(
        ctx, conn, ids[0], ids[1], body
    ),
    "add_site": lambda ctx, conn, ids, body: children.add_site(ctx, conn, ids[0], body),
    "update_site": lambda ctx, conn, ids, body: children.update_site(
        ctx, conn, ids[0], ids[1], body
    ),
    "add_assignment": lambda ctx, conn, ids, body: children.add_assignment(ctx, conn, ids[1], body),
    "update_assignment": lambda ctx, conn, ids, body: children.update_assignment(
        ctx, conn, ids[1], ids[2], body
    ),
    "add_contact": lambda ctx, conn, ids, body: children.add_contact(ctx, conn, ids[0], body),
    "update_contact": lambda ctx, conn, ids, body: children.update_contact(
        ctx, conn, ids[0], ids[1], body
    ),
}
CREATIONS = frozenset(name for name in OPERATIONS if name.startswith("add_"))


class ChangeRequestError(Exception):
    """An admin call about a change request that cannot be done: ``status`` is the HTTP status
    to answer (404 unknown, 409 not pending or no longer applicable)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- what a supplier holds, to say what a request changes ----------------------------------------

_FLAG = "CASE WHEN {} THEN 'true' ELSE 'false' END"
# (object type, the query of its rows by supplier: id, object_name, then attributes as REST names)
_OBJECTS: tuple[tuple[str, str], ...] = (
    (
        "Supplier",
        """SELECT s.id, s.name AS object_name, s.name AS "Supplier",
            s.alternate_name AS "AlternateName", s.tax_organization_type AS "TaxOrganizationType",
            s.supplier_type AS "SupplierType", s.business_relationship AS "BusinessRelationship",
            s.taxpayer_country AS "TaxpayerCountry", s.taxpayer_id AS "TaxpayerId",
            s.duns AS "DUNSNumber", s.inactive_date AS "InactiveDate"
        FROM suppliers s WHERE s.id = ?""",
    ),
    (
        "Address",
        f"""SELECT a.id, a.name AS object_name, a.name AS "AddressName",
            a.country_code AS "CountryCode", a.line1 AS "AddressLine1",
            a.line2 AS "AddressLine2", a.city AS "City", a.county AS "County",
            a.postal_code AS "PostalCode",
            {_FLAG.format("a.ordering")} AS "AddressPurposeOrderingFlag",
            {_FLAG.format("a.remit_to")} AS "AddressPurposeRemitToFlag",
            {_FLAG.format("a.rfq")} AS "AddressPurposeRFQOrBiddingFlag",
            a.inactive_date AS "InactiveDate"
        FROM supplier_addresses a WHERE a.supplier_id = ? ORDER BY a.id""",
    ),
    (
        "Site",
        f"""SELECT st.id, bu.name || ' / ' || st.name AS object_name,
            st.name AS "SupplierSite", bu.name AS "ProcurementBU",
            ad.name AS "SupplierAddressName",
            {_FLAG.format("st.purchasing")} AS "SitePurposePurchasingFlag",
            {_FLAG.format("st.pay")} AS "SitePurposePayFlag",
            {_FLAG.format("st.primary_pay")} AS "SitePurposePrimaryPayFlag",
            {_FLAG.format("st.sourcing_only")} AS "SitePurposeSourcingOnlyFlag",
            {_FLAG.format("st.procurement_card")} AS "SitePurposeProcurementCardFlag",
            st.inactive_date AS "InactiveDate"
        FROM supplier_sites st
        JOIN business_units bu ON bu.id = st.procurement_bu_id
        LEFT JOIN supplier_addresses ad ON ad.id = st.address_id
        WHERE st.supplier_id = ? ORDER BY st.id""",
    ),
    (
        "Site Assignment",
        """SELECT sa.id, st.name || ' / ' || cbu.name AS object_name,
            cbu.name AS "ClientBU", bbu.name AS "BillToBU", sa.inactive_date AS "InactiveDate"
        FROM site_assignments sa
        JOIN supplier_sites st ON st.id = sa.site_id
        JOIN business_units cbu ON cbu.id = sa.client_bu_id
        JOIN business_units bbu ON bbu.id = sa.bill_to_bu_id
        WHERE st.supplier_id = ? ORDER BY sa.id""",
    ),
    (
        "Contact",
        f"""SELECT c.id, c.first_name || ' ' || c.last_name AS object_name,
            c.first_name AS "FirstName", c.last_name AS "LastName", c.email AS "Email",
            c.phone AS "PhoneNumber",
            {_FLAG.format("c.administrative")} AS "AdministrativeContactFlag",
            c.inactive_date AS "InactiveDate"
        FROM supplier_contacts c WHERE c.supplier_id = ? ORDER BY c.id""",
    ),
)

# (object type, row id) -> (the object's name, its attributes)
State = dict[tuple[str, int], tuple[str, dict[str, str | None]]]


@dataclass(frozen=True)
class ChangeLine:
    """One attribute a change request changes; ``old`` is None for a record it adds."""

    object_type: str
    object_name: str
    attribute: str
    old: str | None
    new: str | None


def supplier_state(conn: sqlite3.Connection, supplier_id: int) -> State:
    """Everything the pages can edit of a supplier, as text by REST attribute name."""
    state: State = {}
    for object_type, sql in _OBJECTS:
        for row in conn.execute(sql, (supplier_id,)).fetchall():
            values = {
                key: (None if value is None else str(value))
                for key, value in dict(row).items()
                if key not in ("id", "object_name")
            }
            state[(object_type, int(row["id"]))] = (str(row["object_name"]), values)
    return state


def differences(before: State, after: State) -> list[ChangeLine]:
    """What ``after`` changes or adds against ``before`` (nothing is ever deleted). A record it
    adds lists the attributes it gives (not the blank ones, nor the flags left off)."""
    lines: list[ChangeLine] = []
    for key, (name, values) in after.items():
        added = key not in before
        old_values = {} if added else before[key][1]
        for attribute, new in values.items():
            old = old_values.get(attribute)
            if old != new and not (added and new in (None, "false")):
                lines.append(ChangeLine(key[0], name, attribute, old, new))
    return lines


# --- submitting an edit ---------------------------------------------------------------------------


def under_control(conn: sqlite3.Connection, origin: RequestOrigin | None, supplier_id: int) -> bool:
    """Whether a write to this supplier waits for approval (see the module's docstring)."""
    if origin is None or not origin.change_control or origin.page_session is None:
        return False
    row = conn.execute(
        "SELECT session_digest FROM supplier_setup_sessions WHERE supplier_id = ?",
        (supplier_id,),
    ).fetchone()
    return row is None or row["session_digest"] != origin.page_session


def create_supplier(ctx: ServiceContext, conn: sqlite3.Connection, body: Body) -> int:
    """A new supplier (never under change control); a page session that creates one sets it up
    without change requests."""
    supplier_id = suppliers.create_supplier(ctx, conn, body)
    origin = current_origin()
    if origin is not None and origin.page_session is not None:
        conn.execute(
            "INSERT OR REPLACE INTO supplier_setup_sessions (supplier_id, session_digest) "
            "VALUES (?, ?)",
            (supplier_id, origin.page_session),
        )
    return supplier_id


def submit(
    ctx: ServiceContext, conn: sqlite3.Connection, operation: str, ids: Ids, body: Body
) -> int | None:
    """Carry out a supplier edit, or, under change control, hold it in the supplier's pending
    change request. Returns what the operation returns (a new row's key), ``NOT_CREATED`` for a
    held addition."""
    run = OPERATIONS[operation]
    supplier_id = ids[0]
    if not under_control(conn, current_origin(), supplier_id):
        return run(ctx, conn, ids, body)
    pending = pending_request(conn, supplier_id)
    earlier: list[dict[str, Any]] = json.loads(pending["operations"]) if pending else []
    conn.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        before = supplier_state(conn, supplier_id)
        if pending is not None:
            _replay(ctx, conn, earlier, str(pending["number"]))
        so_far = supplier_state(conn, supplier_id)
        run(ctx, conn, ids, body)  # Oracle's rules check the edit now, with their message
        after = supplier_state(conn, supplier_id)
    finally:
        conn.execute(f"ROLLBACK TO {SAVEPOINT}")
        conn.execute(f"RELEASE {SAVEPOINT}")
    if after != so_far:  # an edit that changes nothing needs no approval
        record = {
            "operation": operation,
            "ids": list(ids),
            "resource": body.resource,
            "body": dict(body.data),
        }
        _keep(ctx, conn, supplier_id, pending, [*earlier, record], differences(before, after))
    return NOT_CREATED if operation in CREATIONS else None


def pending_request(conn: sqlite3.Connection, supplier_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM supplier_change_requests WHERE supplier_id = ? AND status = ?",
        (supplier_id, PENDING),
    ).fetchone()
    return row


def _replay(
    ctx: ServiceContext, conn: sqlite3.Connection, records: Sequence[Mapping[str, Any]], number: str
) -> None:
    """Carry out a request's edits in order; one that no longer applies names the request."""
    for record in records:
        body = Body(record["body"], str(record["resource"]))
        try:
            OPERATIONS[str(record["operation"])](ctx, conn, tuple(record["ids"]), body)
        except RuleViolation as exc:
            raise RuleViolation(
                f"The pending change request {number} no longer applies: {exc}",
                exc.attribute,
            ) from exc


def _keep(
    ctx: ServiceContext,
    conn: sqlite3.Connection,
    supplier_id: int,
    pending: sqlite3.Row | None,
    records: list[dict[str, Any]],
    lines: list[ChangeLine],
) -> None:
    operations = json.dumps(records, ensure_ascii=False)
    if pending is None:
        request_id = int(
            conn.execute(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM supplier_change_requests"
            ).fetchone()[0]
        )
        conn.execute(
            "INSERT INTO supplier_change_requests (id, number, supplier_id, status, operations, "
            "requested_by, requested_at, last_update_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                request_id,
                f"CR-{NUMBER_BASE + request_id}",
                supplier_id,
                PENDING,
                operations,
                ctx.username,
                ctx.timestamp,
                ctx.timestamp,
            ),
        )
    else:
        request_id = int(pending["id"])
        conn.execute(
            "UPDATE supplier_change_requests SET operations = ?, last_update_date = ? WHERE id = ?",
            (operations, ctx.timestamp, request_id),
        )
        conn.execute(
            "DELETE FROM supplier_change_request_lines WHERE request_id = ?", (request_id,)
        )
    conn.executemany(
        "INSERT INTO supplier_change_request_lines (request_id, line_number, object_type, "
        "object_name, attribute, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (request_id, n, line.object_type, line.object_name, line.attribute, line.old, line.new)
            for n, line in enumerate(lines, start=1)
        ],
    )


# --- the admin's side: list, approve, reject -------------------------------------------------


def _request_json(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    supplier = conn.execute(
        "SELECT name, number FROM suppliers WHERE id = ?", (row["supplier_id"],)
    ).fetchone()
    lines = conn.execute(
        "SELECT * FROM supplier_change_request_lines WHERE request_id = ? ORDER BY line_number",
        (row["id"],),
    ).fetchall()
    return {
        "ChangeRequestNumber": row["number"],
        "Status": row["status"],
        "SupplierId": row["supplier_id"],
        "Supplier": supplier["name"],
        "SupplierNumber": supplier["number"],
        "RequestedBy": row["requested_by"],
        "RequestDate": row["requested_at"],
        "LastUpdateDate": row["last_update_date"],
        "DecidedBy": row["decided_by"],
        "DecisionDate": row["decided_at"],
        "DecisionNote": row["decision_note"],
        "changes": [
            {
                "ObjectType": line["object_type"],
                "ObjectName": line["object_name"],
                "Attribute": line["attribute"],
                "OldValue": line["old_value"],
                "NewValue": line["new_value"],
            }
            for line in lines
        ],
    }


def list_requests(
    conn: sqlite3.Connection, *, status: str | None = None, supplier_number: str | None = None
) -> list[dict[str, Any]]:
    """Change requests, oldest first, filtered by status and supplier number when given."""
    sql = (
        "SELECT cr.* FROM supplier_change_requests cr JOIN suppliers s ON s.id = cr.supplier_id "
        "WHERE (? IS NULL OR cr.status = ?) AND (? IS NULL OR s.number = ?) ORDER BY cr.id"
    )
    wanted = status.upper() if status else None
    rows = conn.execute(sql, (wanted, wanted, supplier_number, supplier_number)).fetchall()
    return [_request_json(conn, row) for row in rows]


def get_request(conn: sqlite3.Connection, number: str) -> dict[str, Any]:
    return _request_json(conn, _find(conn, number))


def _find(conn: sqlite3.Connection, number: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM supplier_change_requests WHERE number = ? COLLATE NOCASE", (number,)
    ).fetchone()
    if row is None:
        raise ChangeRequestError(f"The change request {number} doesn't exist.", 404)
    return row


def _pending(conn: sqlite3.Connection, number: str) -> sqlite3.Row:
    row = _find(conn, number)
    if row["status"] != PENDING:
        raise ChangeRequestError(
            f"The change request {row['number']} isn't pending: it was {row['status'].lower()}.",
            409,
        )
    return row


def _decide(
    conn: sqlite3.Connection, row: sqlite3.Row, status: str, by: str, note: str | None
) -> None:
    when = make_context(conn, by, 0.0).timestamp
    conn.execute(
        "UPDATE supplier_change_requests SET status = ?, decided_by = ?, decided_at = ?, "
        "decision_note = ? WHERE id = ?",
        (status, by, when, note, row["id"]),
    )


def approve(conn: sqlite3.Connection, number: str, by: str, note: str | None = None) -> None:
    """Apply a pending request's edits to the supplier as it is now (as its requester), and
    mark it approved. An edit that no longer applies raises ``ChangeRequestError`` (409): the
    caller's transaction is then rolled back and the request stays pending."""
    row = _pending(conn, number)
    ctx = make_context(conn, str(row["requested_by"]), 0.0)
    try:
        _replay(ctx, conn, json.loads(row["operations"]), str(row["number"]))
    except RuleViolation as exc:
        raise ChangeRequestError(exc.message, 409) from exc
    _decide(conn, row, APPROVED, by, note)


def reject(conn: sqlite3.Connection, number: str, by: str, note: str | None = None) -> None:
    """Mark a pending request rejected: nothing of it is applied."""
    _decide(conn, _pending(conn, number), REJECTED, by, note)
