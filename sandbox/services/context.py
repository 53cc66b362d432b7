"""Who is asking and when: what every service function needs besides the request body."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True)
class ServiceContext:
    """The signed-in user (service account or a page session) and the clock."""

    username: str
    person_id: int
    auto_approve_limit: float
    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def timestamp(self) -> str:
        """Fusion's timestamp format, e.g. ``2026-11-29T19:40:37.123+00:00``."""
        return self.now.isoformat(timespec="milliseconds")


def make_context(
    conn: sqlite3.Connection, username: str, auto_approve_limit: float
) -> ServiceContext:
    """The context for ``username``; a user without a person record still acts, as nobody."""
    row = conn.execute("SELECT person_id FROM users WHERE username = ?", (username,)).fetchone()
    return ServiceContext(
        username=username.upper(),
        person_id=int(row["person_id"]) if row else 0,
        auto_approve_limit=auto_approve_limit,
        now=datetime.now(UTC),
    )
