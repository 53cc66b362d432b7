"""Seed purchase-order history, so that the search page and REST queries look lived in.

Orders are numbered from 1004500 upward in creation order; new orders continue the sequence.
Every seeded order obeys the rules a new one would: usable supplier site for its BU, enabled
charge accounts, positive quantities and prices. Incomplete ones have need-by dates well in the
future, so they can still be submitted.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

from sandbox.seed_reference import DOCUMENT_STYLES

FIRST_ORDER_NUMBER = 1004500
HEADER_BASE, LINE_BASE = 300000060000001, 300000061000001
SCHEDULE_BASE, DISTRIBUTION_BASE = 300000062000001, 300000063000001
ORDER_COUNT = 42
HISTORY_START = date(2026, 6, 1)
HISTORY_DAYS = 170
INCOMPLETE_NEED_BY = date(2027, 9, 30)  # keeps seeded drafts submittable for a long while
SEED_APPROVAL_LIMIT = 25000.0  # the default auto-approve limit when the history was made

# spend category -> (cost centre, natural account) charged by its orders
CHARGE_BY_CATEGORY = {
    "HW": ("CC123", "5100"),
    "WST": ("CC130", "5100"),
    "FLT": ("CC145", "5300"),
    "PT": ("CC140", "5300"),
    "ECT": ("CC142", "5300"),
    "CON": ("CC175", "5200"),
    "FM": ("CC151", "5200"),
    "RET": ("CC150", "5200"),
    "UTL": ("CC150", "5200"),
    "ASC": ("CC160", "5400"),
    "CCE": ("CC170", "5400"),
    "PH": ("CC180", "5400"),
    "FIR": ("CC185", "5100"),
    "DIG": ("CC110", "5500"),
    "MKT": ("CC195", "5100"),
    "HR": ("CC115", "5100"),
    "LEG": ("CC118", "5100"),
    "OFF": ("CC101", "5100"),
}
SERVICE_CATEGORIES = frozenset({"ASC", "CCE", "LEG", "HR"})
STATUSES = ("OPEN",) * 6 + ("PENDING APPROVAL", "INCOMPLETE", "CANCELED")


def seed_orders(conn: sqlite3.Connection, rng: random.Random, categories: dict[int, str]) -> None:
    """Insert ``ORDER_COUNT`` orders; ``categories`` maps supplier id to its category code."""
    sites = conn.execute(
        """
        SELECT s.id AS site_id, s.supplier_id, a.client_bu_id, a.bill_to_bu_id
        FROM supplier_sites s
        JOIN suppliers sup ON sup.id = s.supplier_id AND sup.inactive_date IS NULL
        JOIN site_assignments a ON a.site_id = s.id
        WHERE s.purchasing = 1 AND s.inactive_date IS NULL
        ORDER BY s.id, a.client_bu_id
        """
    ).fetchall()
    buyers = [r["id"] for r in conn.execute("SELECT id FROM persons WHERE buyer = 1 ORDER BY id")]
    people = conn.execute("SELECT id, email FROM persons ORDER BY id").fetchall()
    locations = [r["id"] for r in conn.execute("SELECT id FROM locations ORDER BY id")]
    contacts = {
        r["supplier_id"]: r["id"]
        for r in conn.execute("SELECT supplier_id, id FROM supplier_contacts ORDER BY id DESC")
    }
    ids = {"line": LINE_BASE, "schedule": SCHEDULE_BASE, "distribution": DISTRIBUTION_BASE}
    days = sorted(rng.randint(0, HISTORY_DAYS) for _ in range(ORDER_COUNT))
    for index, day in enumerate(days):
        site = rng.choice(sites)
        category = categories[site["supplier_id"]]
        status = rng.choice(STATUSES)
        created = HISTORY_START + timedelta(days=day)
        stamp = (
            f"{created.isoformat()}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00.000+00:00"
        )
        buyer = rng.choice(buyers)
        ship_to = rng.choice(locations)
        items = conn.execute(
            """
            SELECT i.id, i.description, i.category_id, i.uom_code, i.list_price
            FROM items i JOIN categories c ON c.id = i.category_id
            WHERE c.code = ? ORDER BY i.id
            """,
            (category,),
        ).fetchall()
        chosen = rng.sample(items, rng.randint(1, 3))
        header_id = HEADER_BASE + index
        email = next(p["email"] for p in people if p["id"] == buyer)
        conn.execute(
            "INSERT INTO po_headers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                header_id,
                str(FIRST_ORDER_NUMBER + index),
                status,
                f"{chosen[0]['description']} - {created.strftime('%B %Y')}",
                site["client_bu_id"],
                site["client_bu_id"],
                site["bill_to_bu_id"],
                site["supplier_id"],
                site["site_id"],
                contacts.get(site["supplier_id"]),
                buyer,
                "GBP",
                DOCUMENT_STYLES[1 if category in SERVICE_CATEGORIES else 0][0],
                ship_to,
                stamp,
                stamp,
                email.split("@")[0].upper(),
                None if status == "INCOMPLETE" else stamp,
            ),
        )
        need_by = INCOMPLETE_NEED_BY if status == "INCOMPLETE" else created + timedelta(days=21)
        account = conn.execute(
            "SELECT id FROM accounts WHERE segments = ?",
            ("1000-{}-{}-000".format(*CHARGE_BY_CATEGORY[category]),),
        ).fetchone()[0]
        requester = rng.choice(people)["id"]
        for number, item in enumerate(chosen, start=1):
            price = item["list_price"]
            quantity = float(rng.randint(1, 3 if price > 1000 else 12 if price > 100 else 40))
            if status == "PENDING APPROVAL" and number == 1:
                # Pending approval only happens above the auto-approve limit: make it so.
                quantity = float(int(SEED_APPROVAL_LIMIT / item["list_price"]) + rng.randint(1, 20))
            _insert_line(
                conn, ids, header_id, number, item, quantity, need_by, ship_to, account, requester
            )


def _insert_line(
    conn: sqlite3.Connection,
    ids: dict[str, int],
    header_id: int,
    number: int,
    item: sqlite3.Row,
    quantity: float,
    need_by: date,
    ship_to: int,
    account: int,
    requester: int,
) -> None:
    line_type = "Services" if item["uom_code"] in {"HR", "DAY", "WK", "LOT"} else "Goods"
    conn.execute(
        "INSERT INTO po_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ids["line"],
            header_id,
            number,
            line_type,
            item["id"],
            item["description"],
            item["category_id"],
            quantity,
            item["uom_code"],
            item["list_price"],
        ),
    )
    conn.execute(
        "INSERT INTO po_schedules VALUES (?, ?, 1, ?, ?, ?, 'EXPENSE')",
        (ids["schedule"], ids["line"], quantity, need_by.isoformat(), ship_to),
    )
    conn.execute(
        "INSERT INTO po_distributions VALUES (?, ?, 1, ?, ?, ?, ?)",
        (ids["distribution"], ids["schedule"], quantity, account, ship_to, requester),
    )
    ids["line"] += 1
    ids["schedule"] += 1
    ids["distribution"] += 1
