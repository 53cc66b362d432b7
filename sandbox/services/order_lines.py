"""Lines, schedules and distributions of an Incomplete order.

As in Fusion, a line saved without schedules gets one schedule and one distribution for its
whole quantity: the schedule ships to the order's default ship-to location and the
distribution delivers there. Their fields may also be given on the line itself
(``NeedByDate``, ``POChargeAccount``…). The order page's "Add line" drawer posts the line alone;
its Schedules and Distributions tabs then PATCH the schedule and the distribution.
"""

from __future__ import annotations

import sqlite3

from sandbox.rules import RuleViolation
from sandbox.rules import orders as rules
from sandbox.services import refs
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext

SCHEDULE_FIELDS = frozenset(
    {
        "ScheduleNumber",
        "Quantity",
        "NeedByDate",
        "ShipToLocationId",
        "ShipToLocationCode",
        "ShipToLocation",
        "DestinationTypeCode",
    }
)
DISTRIBUTION_FIELDS = frozenset(
    {
        "DistributionNumber",
        "Quantity",
        "POChargeAccountId",
        "POChargeAccount",
        "DeliverToLocationId",
        "DeliverToLocationCode",
        "DeliverToLocation",
        "RequesterId",
        "Requester",
    }
)
LINE_FIELDS = frozenset(
    {
        "LineNumber",
        "LineType",
        "ItemId",
        "Item",
        "ItemNumber",
        "Description",
        "CategoryId",
        "Category",
        "Quantity",
        "UOMCode",
        "UOM",
        "Price",
    }
)
LINE_WRITABLE = LINE_FIELDS | SCHEDULE_FIELDS | DISTRIBUTION_FIELDS | {"schedules"}
LINE_READ_ONLY = frozenset({"POLineId", "Amount", "CurrencyCode", "CategoryCode"})
SCHEDULE_READ_ONLY = frozenset({"LineLocationId", "LineNumber"})
DISTRIBUTION_READ_ONLY = frozenset({"PODistributionId", "LineNumber", "ScheduleNumber"})
DESTINATION_TYPES = ("EXPENSE", "INVENTORY")


def editable_header(ctx: ServiceContext, conn: sqlite3.Connection, header_id: int) -> sqlite3.Row:
    """The order's header row, if the order may still change (else Oracle's refusal)."""
    header: sqlite3.Row = conn.execute(
        "SELECT * FROM po_headers WHERE id = ?", (header_id,)
    ).fetchone()
    rules.check_editable(header["status_code"], ctx.order_number(header["order_number"]))
    return header


def _touch(conn: sqlite3.Connection, ctx: ServiceContext, header_id: int) -> None:
    conn.execute(
        "UPDATE po_headers SET last_update_date = ? WHERE id = ?", (ctx.timestamp, header_id)
    )


def _next_number(
    conn: sqlite3.Connection, table: str, column: str, parent: str, parent_id: int
) -> int:
    row = conn.execute(
        f"SELECT MAX({column}) FROM {table} WHERE {parent} = ?", (parent_id,)
    ).fetchone()
    return int(row[0] or 0) + 1


def add_line(ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, body: Body) -> int:
    header = editable_header(ctx, conn, header_id)
    body.only(LINE_WRITABLE, LINE_READ_ONLY)
    item: sqlite3.Row | None = None
    item_id = refs.pick_int(conn, body, refs.ITEM, "ItemId", "Item", "ItemNumber")
    if item_id is not None:
        item = conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    number = body.integer("LineNumber") or _next_number(
        conn, "po_lines", "line_number", "header_id", header_id
    )
    if conn.execute(
        "SELECT 1 FROM po_lines WHERE header_id = ? AND line_number = ?", (header_id, number)
    ).fetchone():
        raise RuleViolation(
            f"Line {number} already exists on purchase order "
            f"{ctx.order_number(header['order_number'])}.",
            "LineNumber",
        )
    line_type = body.text("LineType") or "Goods"
    if line_type not in rules.LINE_TYPES:
        raise RuleViolation(
            f"The line type {line_type} isn't valid. Use Goods or Services.", "LineType"
        )
    description = body.text("Description") or (item["description"] if item else None)
    if description is None:
        raise RuleViolation("A value for the attribute Description is required.", "Description")
    category_id = refs.pick_int(conn, body, refs.CATEGORY, "CategoryId", "Category")
    if category_id is None and item is None:
        raise RuleViolation("A value for the attribute Category is required.", "Category")
    uom = refs.pick(conn, body, refs.UOM, None, "UOMCode", "UOM")
    if uom is None and item is None:
        raise RuleViolation("A value for the attribute UOM is required.", "UOM")
    quantity = body.number("Quantity", required=True)
    price = body.number("Price")
    if price is None:
        if item is None:
            raise RuleViolation("A value for the attribute Price is required.", "Price")
        price = float(item["list_price"])
    assert quantity is not None
    rules.check_positive("Quantity", quantity)
    rules.check_positive("Price", price)
    line_id = conn.execute(
        "INSERT INTO po_lines (header_id, line_number, line_type, item_id, description, "
        "category_id, quantity, uom_code, price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            header_id,
            number,
            line_type,
            item_id,
            description,
            category_id if category_id is not None else _from_item(item, "category_id"),
            quantity,
            uom if uom is not None else _from_item(item, "uom_code"),
            price,
        ),
    ).lastrowid
    assert line_id is not None
    schedules = body.children("schedules")
    if schedules is None:  # Fusion's default: one schedule, one distribution, from the line
        add_schedule(ctx, conn, header_id, line_id, body, strict=False)
    for schedule in schedules or []:
        add_schedule(ctx, conn, header_id, line_id, schedule)
    _touch(conn, ctx, header_id)
    return line_id


def _from_item(item: sqlite3.Row | None, column: str) -> object:
    assert item is not None  # callers only ask when a value was neither given nor required
    return item[column]


def update_line(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, line_id: int, body: Body
) -> None:
    editable_header(ctx, conn, header_id)
    body.only(LINE_FIELDS - {"LineNumber"}, LINE_READ_ONLY | {"LineNumber"})
    line = conn.execute("SELECT * FROM po_lines WHERE id = ?", (line_id,)).fetchone()
    changes: dict[str, object] = {}
    if body.has("LineType"):
        line_type = body.text("LineType", required=True)
        if line_type not in rules.LINE_TYPES:
            raise RuleViolation(
                f"The line type {line_type} isn't valid. Use Goods or Services.", "LineType"
            )
        changes["line_type"] = line_type
    if body.has("Description"):
        changes["description"] = body.text("Description", required=True)
    if body.given("CategoryId") or body.given("Category"):
        changes["category_id"] = refs.pick_int(conn, body, refs.CATEGORY, "CategoryId", "Category")
    if body.given("UOMCode") or body.given("UOM"):
        changes["uom_code"] = refs.pick(conn, body, refs.UOM, None, "UOMCode", "UOM")
    for attribute, column in (("Quantity", "quantity"), ("Price", "price")):
        if body.has(attribute):
            amount = body.number(attribute, required=True)
            assert amount is not None
            rules.check_positive(attribute, amount)
            changes[column] = amount
    for column, value in changes.items():
        conn.execute(f"UPDATE po_lines SET {column} = ? WHERE id = ?", (value, line_id))
    if "quantity" in changes:
        _follow_line_quantity(conn, line_id, line["quantity"], float(str(changes["quantity"])))
    _touch(conn, ctx, header_id)


def _follow_line_quantity(conn: sqlite3.Connection, line_id: int, old: float, new: float) -> None:
    """A line with one schedule and one distribution keeps them in step, as Fusion does."""
    schedules = conn.execute("SELECT id FROM po_schedules WHERE line_id = ?", (line_id,)).fetchall()
    if len(schedules) != 1 or old == new:
        return
    conn.execute("UPDATE po_schedules SET quantity = ? WHERE id = ?", (new, schedules[0]["id"]))
    distributions = conn.execute(
        "SELECT id FROM po_distributions WHERE schedule_id = ?", (schedules[0]["id"],)
    ).fetchall()
    if len(distributions) == 1:
        conn.execute(
            "UPDATE po_distributions SET quantity = ? WHERE id = ?", (new, distributions[0]["id"])
        )


def delete_line(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, line_id: int
) -> None:
    editable_header(ctx, conn, header_id)
    conn.execute(
        "DELETE FROM po_distributions WHERE schedule_id IN "
        "(SELECT id FROM po_schedules WHERE line_id = ?)",
        (line_id,),
    )
    conn.execute("DELETE FROM po_schedules WHERE line_id = ?", (line_id,))
    conn.execute("DELETE FROM po_lines WHERE id = ?", (line_id,))
    _touch(conn, ctx, header_id)


def add_schedule(
    ctx: ServiceContext,
    conn: sqlite3.Connection,
    header_id: int,
    line_id: int,
    body: Body,
    *,
    strict: bool = True,
) -> int:
    header = editable_header(ctx, conn, header_id)
    if strict:
        body.only(SCHEDULE_FIELDS | {"distributions"}, SCHEDULE_READ_ONLY)
    line = conn.execute("SELECT quantity FROM po_lines WHERE id = ?", (line_id,)).fetchone()
    number = (body.integer("ScheduleNumber") if strict else None) or _next_number(
        conn, "po_schedules", "schedule_number", "line_id", line_id
    )
    quantity = body.number("Quantity") if strict else None
    quantity = quantity if quantity is not None else float(line["quantity"])
    rules.check_positive("Quantity", quantity)
    need_by = body.date("NeedByDate")
    if need_by is not None:
        rules.check_need_by(need_by, ctx.today)
    ship_to = refs.pick_int(
        conn, body, refs.LOCATION, "ShipToLocationId", "ShipToLocationCode", "ShipToLocation"
    )
    ship_to = ship_to if ship_to is not None else header["ship_to_location_id"]
    destination = body.text("DestinationTypeCode") or "EXPENSE"
    if destination not in DESTINATION_TYPES:
        raise RuleViolation(
            f"The destination type {destination} isn't valid.", "DestinationTypeCode"
        )
    schedule_id = conn.execute(
        "INSERT INTO po_schedules (line_id, schedule_number, quantity, need_by_date, "
        "ship_to_location_id, destination_type) VALUES (?, ?, ?, ?, ?, ?)",
        (line_id, number, quantity, need_by, ship_to, destination),
    ).lastrowid
    assert schedule_id is not None
    distributions = body.children("distributions") if strict else None
    if distributions is None:
        add_distribution(ctx, conn, header_id, schedule_id, body, strict=False)
    for distribution in distributions or []:
        add_distribution(ctx, conn, header_id, schedule_id, distribution)
    return schedule_id


def update_schedule(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, schedule_id: int, body: Body
) -> None:
    editable_header(ctx, conn, header_id)
    body.only(SCHEDULE_FIELDS - {"ScheduleNumber"}, SCHEDULE_READ_ONLY | {"ScheduleNumber"})
    if body.has("NeedByDate"):
        need_by = body.date("NeedByDate")
        if need_by is not None:
            rules.check_need_by(need_by, ctx.today)
        conn.execute(
            "UPDATE po_schedules SET need_by_date = ? WHERE id = ?", (need_by, schedule_id)
        )
    if any(body.given(a) for a in ("ShipToLocationId", "ShipToLocationCode", "ShipToLocation")):
        ship_to = refs.pick_int(
            conn, body, refs.LOCATION, "ShipToLocationId", "ShipToLocationCode", "ShipToLocation"
        )
        old = conn.execute(
            "SELECT ship_to_location_id FROM po_schedules WHERE id = ?", (schedule_id,)
        ).fetchone()[0]
        conn.execute(
            "UPDATE po_schedules SET ship_to_location_id = ? WHERE id = ?", (ship_to, schedule_id)
        )
        # Deliver-to defaults from ship-to: distributions still delivering to the old ship-to
        # (or to nowhere) follow it; one given a place of its own keeps it.
        conn.execute(
            "UPDATE po_distributions SET deliver_to_location_id = ? WHERE schedule_id = ? "
            "AND (deliver_to_location_id IS ? OR deliver_to_location_id IS NULL)",
            (ship_to, schedule_id, old),
        )
    if body.has("Quantity"):
        quantity = body.number("Quantity", required=True)
        assert quantity is not None
        rules.check_positive("Quantity", quantity)
        conn.execute("UPDATE po_schedules SET quantity = ? WHERE id = ?", (quantity, schedule_id))
    _touch(conn, ctx, header_id)


def add_distribution(
    ctx: ServiceContext,
    conn: sqlite3.Connection,
    header_id: int,
    schedule_id: int,
    body: Body,
    *,
    strict: bool = True,
) -> int:
    editable_header(ctx, conn, header_id)
    if strict:
        body.only(DISTRIBUTION_FIELDS, DISTRIBUTION_READ_ONLY)
    schedule = conn.execute(
        "SELECT quantity, ship_to_location_id FROM po_schedules WHERE id = ?", (schedule_id,)
    ).fetchone()
    number = (body.integer("DistributionNumber") if strict else None) or _next_number(
        conn, "po_distributions", "distribution_number", "schedule_id", schedule_id
    )
    quantity = body.number("Quantity") if strict else None
    quantity = quantity if quantity is not None else float(schedule["quantity"])
    rules.check_positive("Quantity", quantity)
    account = refs.pick_int(conn, body, refs.ACCOUNT, "POChargeAccountId", "POChargeAccount")
    if account is not None:
        rules.check_account(conn, account)
    deliver_to = refs.pick_int(
        conn,
        body,
        refs.LOCATION,
        "DeliverToLocationId",
        "DeliverToLocationCode",
        "DeliverToLocation",
    )
    requester = refs.pick_int(conn, body, refs.PERSON, "RequesterId", "Requester")
    distribution_id = conn.execute(
        "INSERT INTO po_distributions (schedule_id, distribution_number, quantity, account_id, "
        "deliver_to_location_id, requester_id) VALUES (?, ?, ?, ?, ?, ?)",
        (
            schedule_id,
            number,
            quantity,
            account,
            deliver_to if deliver_to is not None else schedule["ship_to_location_id"],
            requester,
        ),
    ).lastrowid
    assert distribution_id is not None
    return distribution_id


def update_distribution(
    ctx: ServiceContext, conn: sqlite3.Connection, header_id: int, distribution_id: int, body: Body
) -> None:
    editable_header(ctx, conn, header_id)
    body.only(
        DISTRIBUTION_FIELDS - {"DistributionNumber"},
        DISTRIBUTION_READ_ONLY | {"DistributionNumber"},
    )
    if body.given("POChargeAccountId") or body.given("POChargeAccount"):
        account = refs.pick_int(conn, body, refs.ACCOUNT, "POChargeAccountId", "POChargeAccount")
        assert account is not None
        rules.check_account(conn, account)
        conn.execute(
            "UPDATE po_distributions SET account_id = ? WHERE id = ?", (account, distribution_id)
        )
    if any(
        body.given(a) for a in ("DeliverToLocationId", "DeliverToLocationCode", "DeliverToLocation")
    ):
        location = refs.pick_int(
            conn,
            body,
            refs.LOCATION,
            "DeliverToLocationId",
            "DeliverToLocationCode",
            "DeliverToLocation",
        )
        conn.execute(
            "UPDATE po_distributions SET deliver_to_location_id = ? WHERE id = ?",
            (location, distribution_id),
        )
    if body.has("RequesterId") or body.has("Requester"):
        requester = refs.pick_int(conn, body, refs.PERSON, "RequesterId", "Requester")
        conn.execute(
            "UPDATE po_distributions SET requester_id = ? WHERE id = ?",
            (requester, distribution_id),
        )
    if body.has("Quantity"):
        quantity = body.number("Quantity", required=True)
        assert quantity is not None
        rules.check_positive("Quantity", quantity)
        conn.execute(
            "UPDATE po_distributions SET quantity = ? WHERE id = ?", (quantity, distribution_id)
        )
    _touch(conn, ctx, header_id)
