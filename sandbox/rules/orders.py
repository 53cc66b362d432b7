"""Purchase-order rules: who can be ordered from, what can be charged, when an order can change.

Messages follow Fusion's style: they name the value at fault and say what would make it right.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from sandbox.rules.errors import RuleViolation

# Fusion's sixteen purchase-order statuses (the names Oracle's REST returns as Status). The
# codes (StatusCode) are the names in capitals: Oracle's own codes are not all documented.
STATUS_NAMES = {
    name.upper(): name
    for name in (
        "Canceled",
        "Closed",
        "Closed for Receiving",
        "Closed for Invoicing",
        "Finally Closed",
        "Incomplete",
        "On Hold",
        "Open",
        "Pending Approval",
        "Pending Change Approval",
        "Pending Funds Reservation",
        "Pending Signature Preparation",
        "Pending Supplier Acknowledgment",
        "Rejected",
        "Sent for Signature",
        "Withdrawn",
    )
}
INCOMPLETE, PENDING_APPROVAL, OPEN, CANCELED = "INCOMPLETE", "PENDING APPROVAL", "OPEN", "CANCELED"
FINALLY_CLOSED = "FINALLY CLOSED"
LINE_TYPES = ("Goods", "Services")


def is_inactive(inactive_date: str | None, today: date) -> bool:
    """Fusion's convention: a record is inactive from its inactive date on."""
    return inactive_date is not None and inactive_date <= today.isoformat()


def check_supplier_active(conn: sqlite3.Connection, supplier_id: int, today: date) -> None:
    row = conn.execute(
        "SELECT name, inactive_date FROM suppliers WHERE id = ?", (supplier_id,)
    ).fetchone()
    if is_inactive(row["inactive_date"], today):
        raise RuleViolation(f"The supplier {row['name']} is inactive.", "Supplier")


def check_site_usable(conn: sqlite3.Connection, site_id: int, bu_id: int, today: date) -> int:
    """Refuse a site that can't be used on an order for ``bu_id``; return its bill-to BU."""
    site = conn.execute(
        "SELECT name, purchasing, inactive_date FROM supplier_sites WHERE id = ?", (site_id,)
    ).fetchone()
    if is_inactive(site["inactive_date"], today):
        raise RuleViolation(f"The supplier site {site['name']} is inactive.", "SupplierSite")
    assignment = conn.execute(
        "SELECT bill_to_bu_id, inactive_date FROM site_assignments "
        "WHERE site_id = ? AND client_bu_id = ?",
        (site_id, bu_id),
    ).fetchone()
    usable = (
        site["purchasing"] and assignment and not is_inactive(assignment["inactive_date"], today)
    )
    if not usable:
        bu_name = conn.execute("SELECT name FROM business_units WHERE id = ?", (bu_id,)).fetchone()
        raise RuleViolation(
            f"The supplier site {site['name']} isn't valid for procurement BU {bu_name['name']}. "
            "It needs a purchasing purpose and a site assignment for that BU.",
            "SupplierSite",
        )
    return int(assignment["bill_to_bu_id"])


def check_account(conn: sqlite3.Connection, account_id: int) -> None:
    row = conn.execute(
        "SELECT segments, enabled FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()
    if not row["enabled"]:
        raise RuleViolation(
            f"The account {row['segments']} isn't a valid account combination. "
            "It's disabled for posting.",
            "POChargeAccount",
        )


def status_code(given: str) -> str:
    """The status code for a status name or code, in any case; RuleViolation when unknown."""
    code = " ".join(given.split()).upper()
    if code not in STATUS_NAMES:
        raise RuleViolation(
            f"The status {given} isn't valid. Use one of: {', '.join(STATUS_NAMES.values())}.",
            "Status",
        )
    return code


def check_buyer(conn: sqlite3.Connection, person_id: int, bu_id: int) -> None:
    """The buyer must be a procurement agent of the order's procurement BU."""
    person = conn.execute(
        "SELECT display_name, buyer FROM persons WHERE id = ?", (person_id,)
    ).fetchone()
    agent = conn.execute(
        "SELECT 1 FROM procurement_agents WHERE person_id = ? AND bu_id = ?", (person_id, bu_id)
    ).fetchone()
    if not person["buyer"] or agent is None:
        bu = conn.execute("SELECT name FROM business_units WHERE id = ?", (bu_id,)).fetchone()
        raise RuleViolation(
            f"The buyer {person['display_name']} isn't a procurement agent for procurement BU "
            f"{bu['name']}. Choose a buyer who is.",
            "Buyer",
        )


def is_buyer_for(conn: sqlite3.Connection, person_id: int, bu_id: int) -> bool:
    try:
        check_buyer(conn, person_id, bu_id)
    except RuleViolation:
        return False
    return True


def check_positive(attribute: str, value: float) -> None:
    if value <= 0:
        raise RuleViolation(f"The value of {attribute} must be greater than zero.", attribute)


def check_need_by(need_by: str, today: date) -> None:
    if need_by < today.isoformat():
        raise RuleViolation(
            f"The need-by date {need_by} is in the past. Enter today's date or a later one.",
            "NeedByDate",
        )


def check_editable(status_code: str, order_number: str) -> None:
    """Only an Incomplete order can change; a submitted one needs a change order in Fusion."""
    if status_code != INCOMPLETE:
        raise RuleViolation(
            f"You can't edit purchase order {order_number} because its status is "
            f"{STATUS_NAMES[status_code]}."
        )


def check_deletable(status_code: str, order_number: str) -> None:
    """Only an Incomplete order can be deleted; a submitted one can only be canceled."""
    if status_code != INCOMPLETE:
        raise RuleViolation(
            f"You can't delete purchase order {order_number} because its status is "
            f"{STATUS_NAMES[status_code]}. Cancel it instead."
        )


def check_submittable(
    conn: sqlite3.Connection, header: sqlite3.Row, today: date, number: str
) -> None:
    """Everything Fusion checks on submit: lines, need-by dates, charge accounts, quantities.

    ``number`` is the order number as clients see it (with the UI variant's prefix).
    """
    if header["status_code"] != INCOMPLETE:
        raise RuleViolation(
            f"You can't submit purchase order {number} because its status is "
            f"{STATUS_NAMES[header['status_code']]}."
        )
    lines = conn.execute(
        "SELECT id, line_number, quantity FROM po_lines WHERE header_id = ? ORDER BY line_number",
        (header["id"],),
    ).fetchall()
    if not lines:
        raise RuleViolation(f"You must add at least one line to purchase order {number}.")
    if header["buyer_id"] is None:
        raise RuleViolation(f"Enter a buyer for purchase order {number}.", "Buyer")
    check_supplier_active(conn, header["supplier_id"], today)
    check_site_usable(conn, header["supplier_site_id"], header["procurement_bu_id"], today)
    for line in lines:
        _check_line_submittable(conn, line, today)


def _check_line_submittable(conn: sqlite3.Connection, line: sqlite3.Row, today: date) -> None:
    where = f"line {line['line_number']}"
    schedules = conn.execute(
        "SELECT id, schedule_number, quantity, need_by_date FROM po_schedules WHERE line_id = ?",
        (line["id"],),
    ).fetchall()
    if not schedules:
        raise RuleViolation(f"You must add at least one schedule to {where}.")
    if abs(sum(s["quantity"] for s in schedules) - line["quantity"]) > 1e-9:
        raise RuleViolation(f"The schedule quantities on {where} don't add up to its quantity.")
    for schedule in schedules:
        at = f"schedule {schedule['schedule_number']} of {where}"
        if not schedule["need_by_date"]:
            raise RuleViolation(f"Enter a need-by date for {at}.", "NeedByDate")
        check_need_by(schedule["need_by_date"], today)
        distributions = conn.execute(
            "SELECT distribution_number, quantity, account_id FROM po_distributions "
            "WHERE schedule_id = ?",
            (schedule["id"],),
        ).fetchall()
        if not distributions:
            raise RuleViolation(f"You must add at least one distribution to {at}.")
        if abs(sum(d["quantity"] for d in distributions) - schedule["quantity"]) > 1e-9:
            raise RuleViolation(
                f"The distribution quantities on {at} don't add up to its quantity."
            )
        for distribution in distributions:
            if distribution["account_id"] is None:
                raise RuleViolation(
                    f"Enter a PO charge account for distribution "
                    f"{distribution['distribution_number']} of {at}.",
                    "POChargeAccount",
                )
            check_account(conn, distribution["account_id"])


def status_after_submit(total: float, auto_approve_limit: float, bypass_approval: bool) -> str:
    """Orders at or under the limit are approved at once; bigger ones wait for an approver."""
    if bypass_approval or total <= auto_approve_limit:
        return OPEN
    return PENDING_APPROVAL


def check_can_approve(status_code: str, order_number: str) -> None:
    if status_code != PENDING_APPROVAL:
        raise RuleViolation(
            f"You can't approve purchase order {order_number} because its status is "
            f"{STATUS_NAMES[status_code]}."
        )


def check_can_cancel(status_code: str, order_number: str) -> None:
    if status_code == CANCELED:
        raise RuleViolation(f"Purchase order {order_number} is already canceled.")
    if status_code == FINALLY_CLOSED:
        raise RuleViolation(
            f"You can't cancel purchase order {order_number} because its status is "
            f"{STATUS_NAMES[status_code]}."
        )


def funds_warning(
    conn: sqlite3.Connection, header_id: int, total: float, warning_above: float | None
) -> dict[str, object] | None:
    """The funds check's warning, when the order's total is above ``warning_above``.

    The budget named is the charge account that carries most of the order (on a tie, the one
    charged first); ``ExceededBy`` is how far the order's total is above ``warning_above``.
    """
    if warning_above is None or total <= warning_above:
        return None
    account = conn.execute(
        """
        SELECT a.segments, SUM(d.quantity * l.price) AS amount
        FROM po_distributions d
        JOIN po_schedules s ON s.id = d.schedule_id
        JOIN po_lines l ON l.id = s.line_id
        JOIN accounts a ON a.id = d.account_id
        WHERE l.header_id = ?
        GROUP BY a.id
        ORDER BY amount DESC, MIN(d.id)
        LIMIT 1
        """,
        (header_id,),
    ).fetchone()
    return {
        "POChargeAccount": account["segments"] if account else None,
        "ExceededBy": round(total - warning_above, 2),
    }
