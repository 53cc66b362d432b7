"""The sandbox's seed: deterministic, so that two fresh data dirs hold identical data.

Everything random comes from one ``random.Random`` with a fixed seed, and every date is fixed
(not relative to today), so a reset always restores exactly the same records.
"""

from __future__ import annotations

import random
import sqlite3

from sandbox.seed_items import seed_items
from sandbox.seed_orders import seed_orders
from sandbox.seed_reference import seed_reference
from sandbox.seed_suppliers import SUPPLIER_BASE, SUPPLIERS, seed_suppliers

SEED = 20261129


def seed(conn: sqlite3.Connection, service_username: str) -> None:
    """Fill an empty schema with the seed data."""
    rng = random.Random(SEED)
    seed_reference(conn, service_username)
    seed_items(conn)
    seed_suppliers(conn, rng)
    categories = {SUPPLIER_BASE + i: category for i, (_, category, _) in enumerate(SUPPLIERS)}
    seed_orders(conn, rng, categories)
