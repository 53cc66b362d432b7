"""The ledger database's tables, in portable SQLAlchemy Core (SQLite by default, PostgreSQL too).

Only generic types are used, so the same metadata creates the same tables on either database.
Timestamps are stored as naive UTC (:class:`UtcDateTime`): SQLite has no time zone type, and
storing one convention everywhere keeps ordering and comparisons identical on both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

# Bump when a table changes, and add the migration to Ledger._create_schema.
SCHEMA_VERSION = 1

# The one run status the ledger itself needs to know (rpa.runs.RunStatus.RUNNING is this value):
# items held by a run in any other status are stale.
RUN_STATUS_RUNNING = "running"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC ``datetime`` in Python, a naive UTC timestamp in the database."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("ledger timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC: the only clock the ledger writes."""
    return datetime.now(UTC)


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: a single row
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

work_items = Table(
    "work_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("flow", String(64), nullable=False),
    Column("item_key", String(200), nullable=False),
    Column("state", String(20), nullable=False),
    Column("source_file", String(1000)),
    Column("content_hash", String(128)),
    Column("po_number", String(64)),
    Column("message", Text),
    Column("failure_class", String(200)),
    Column("run_id", String(64)),  # the run holding the item, or the last run that touched it
    Column("worker", String(200)),
    Column("claim_count", Integer, nullable=False, default=0),
    Column("registered_run_id", String(64)),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("claimed_at", UtcDateTime),
    UniqueConstraint("flow", "item_key", name="uq_work_items_flow_key"),
    Index("ix_work_items_flow_state", "flow", "state"),
)

transitions = Table(
    "transitions",
    metadata,
    # The id orders one item's history: its rows are written one at a time under a lock.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("work_items.id"), nullable=False),
    Column("flow", String(64), nullable=False),
    Column("item_key", String(200), nullable=False),
    Column("from_state", String(20)),  # None for the registration itself
    Column("to_state", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("run_id", String(64)),
    Column("worker", String(200)),
    Column("po_number", String(64)),
    Column("message", Text),
    Column("failure_class", String(200)),
    Column("attempt", Integer),
    Index("ix_transitions_flow_key", "flow", "item_key", "id"),
    Index("ix_transitions_run", "run_id"),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("flow", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("trigger_kind", String(20), nullable=False),
    Column("schedule_id", String(200)),
    Column("operator", String(200)),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    # The process's start time as the OS reports it, so a reused pid is not mistaken for the run.
    Column("process_start", String(64)),
    Column("code_version", String(100)),
    Column("browser_version", String(100)),
    Column("playwright_version", String(50)),
    Column("target_url", String(1000)),
    Column("config_hash", String(64)),
    Column("input_files", JSON, nullable=False),
    Column("counts", JSON, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Column("duration_s", Float),
    Column("message", Text),
    Column("run_dir", String(1000)),
    Index("ix_runs_flow_started", "flow", "started_at"),
    Index("ix_runs_status", "status"),
)
