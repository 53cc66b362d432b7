"""Who is asking and when: what every service function needs besides the request body."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True)
class ServiceContext:
    """The signed-in user (service account or a page session), the clock, and how order
    numbers read (``order_number_prefix``: the UI variant's, e.g. "NCC"; the database keeps the
    bare sequence, so Oracle's messages must add it where they name an order)."""

    username: str
    person_id: int
    auto_approve_limit: float
    now: datetime
    order_number_prefix: str = ""
    # Orders whose total is above it pass the funds check with a warning (None: never).
    funds_check_warning_above: float | None = None

    def order_number(self, stored: str) -> str:
        """The order number as clients see it, from the one stored."""
        return f"{self.order_number_prefix}{stored}"

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def timestamp(self) -> str:
        """Fusion's timestamp format, e.g. ``2026-11-29T19:40:37.123+00:00``."""
        return self.now.isoformat(timespec="milliseconds")


def make_context(
    conn: sqlite3.Connection,
    username: str,
    auto_approve_limit: float,
    order_number_prefix: str = "",
    funds_check_warning_above: float | None = None,
) -> ServiceContext:
    """The context for ``username``; a user without a person record still acts, as nobody."""
    row = conn.execute("SELECT person_id FROM users WHERE username = ?", (username,)).fetchone()
    return ServiceContext(
        username=username.upper(),
        person_id=int(row["person_id"]) if row else 0,
        auto_approve_limit=auto_approve_limit,
        now=datetime.now(UTC),
        order_number_prefix=order_number_prefix,
        funds_check_warning_above=funds_check_warning_above,
    )
