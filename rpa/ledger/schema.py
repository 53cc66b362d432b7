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

# Bump when a table changes, and add the migration to rpa.ledger.migrations.
# 2: the audit chain (audit_events, audit_head, audit_digests).
# 3: items keyed by (flow, target, item_key); po_number -> reference; state raised -> done.
# 4: work_items.content.
# 5: audit_digests.sealed_hashes.
# 6: runs.heartbeat_at; flow_locks.
SCHEMA_VERSION = 6

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

# Work items and their history. Built by functions so that the upgrade from version 2 can
# create the same tables under other names on SQLite, which cannot alter a constraint: it
# rebuilds the tables instead (rpa.ledger.migrations). Indexes are declared below, apart, so
# that a rebuilt table gets them only once it has its final name.


def work_items_table(meta: MetaData, name: str = "work_items") -> Table:
    """The ``work_items`` table: one row per (flow, target, item_key)."""
    return Table(
        name,
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("flow", String(64), nullable=False),
        # The Oracle the item belongs to (rpa.ledger.scope): a request done in a sandbox is
        # not done in production.
        Column("target", String(300), nullable=False),
        Column("item_key", String(200), nullable=False),
        Column("state", String(20), nullable=False),
        Column("source_file", String(1000)),
        Column("content_hash", String(128)),
        # The item's content as it last arrived (canonical JSON; version 4): a later arrival
        # under the same key is compared field by field, and what changed is named.
        Column("content", Text),
        Column("reference", String(64)),  # what Oracle gave back: order or supplier number
        Column("message", Text),
        Column("failure_class", String(200)),
        Column("run_id", String(64)),  # the run holding the item, or the last that touched it
        Column("worker", String(200)),
        Column("claim_count", Integer, nullable=False, default=0),
        Column("registered_run_id", String(64)),
        Column("registered_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("claimed_at", UtcDateTime),
        UniqueConstraint("flow", "target", "item_key", name="uq_work_items_flow_target_key"),
    )


def transitions_table(
    meta: MetaData, name: str = "transitions", items: str = "work_items"
) -> Table:
    """The ``transitions`` table: every change of an item's state, in order."""
    return Table(
        name,
        meta,
        # The id orders one item's history: its rows are written one at a time under a lock.
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("item_id", Integer, ForeignKey(f"{items}.id"), nullable=False),
        Column("flow", String(64), nullable=False),
        Column("target", String(300), nullable=False),
        Column("item_key", String(200), nullable=False),
        Column("from_state", String(20)),  # None for the registration itself
        Column("to_state", String(20), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("run_id", String(64)),
        Column("worker", String(200)),
        Column("reference", String(64)),
        Column("message", Text),
        Column("failure_class", String(200)),
        Column("attempt", Integer),
    )


work_items = work_items_table(metadata)
Index("ix_work_items_scope_state", work_items.c.flow, work_items.c.target, work_items.c.state)

transitions = transitions_table(metadata)
Index(
    "ix_transitions_scope_key",
    transitions.c.flow,
    transitions.c.target,
    transitions.c.item_key,
    transitions.c.id,
)
Index("ix_transitions_run", transitions.c.run_id)

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
    # Written by the running run every run_heartbeat_interval_s (rpa.run_heartbeat), never by a
    # record change: how any host tells a live run from one whose host died. Not in the chain.
    Column("heartbeat_at", UtcDateTime),
    Index("ix_runs_flow_started", "flow", "started_at"),
    Index("ix_runs_status", "status"),
)


# Who holds each flow's fleet-wide lock (rpa.fleet_lock). The lock itself is a PostgreSQL
# advisory lock held by the running process's session; this row only describes its holder, for
# the message of a refused command and for ``rpa flows``. Written by each new holder; a row
# whose lock is free means nothing.
flow_locks = Table(
    "flow_locks",
    metadata,
    Column("flow", String(64), primary_key=True),
    Column("holder", JSON, nullable=False),
    Column("since", UtcDateTime, nullable=False),
)


# --- the audit chain (docs/audit.md) ------------------------------------------------------------
# Rows are only ever inserted, never updated or deleted, except the one-row chain head. Each
# event's hash covers its fields and the previous event's hash, so any edit, deletion, insertion
# or reordering shows when the chain is re-checked (rpa.audit.verify).

audit_events = Table(
    "audit_events",
    metadata,
    # Assigned by the appender under the chain head's lock: 1, 2, 3, ... without gaps.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("run_id", String(64)),
    Column("flow", String(64)),
    Column("kind", String(40), nullable=False),
    Column("subject", String(200)),  # the item: request id, supplier key
    Column("reference", String(200)),  # what Oracle gave back: PO number, supplier id
    Column("payload", Text, nullable=False),  # canonical JSON (rpa.ledger.canonical)
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_events_run", "run_id", "seq"),
    Index("ix_audit_events_subject", "subject"),
    Index("ix_audit_events_reference", "reference"),
)

# The chain's last event. Appenders lock this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
# BEGIN IMMEDIATE locks the whole file), so appends from any number of threads and processes
# are serialised and each links to the true previous event.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: a single row
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("digest_no", Integer, nullable=False),
    Column("digest_hash", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

audit_digests = Table(
    "audit_digests",
    metadata,
    Column("digest_no", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reason", String(20), nullable=False),  # "run" (a run ended) or "prune"
    Column("run_id", String(64)),
    Column("first_seq", Integer, nullable=False),  # the chain range since the previous digest
    Column("last_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),  # the hash of event last_seq
    Column("run_first_seq", Integer),
    Column("run_last_seq", Integer),
    Column("run_event_count", Integer),
    Column("evidence", Text, nullable=False),  # canonical JSON: [{path, sha256, size}]
    Column("prev_digest_hash", String(64), nullable=False),
    Column("digest_hash", String(64), nullable=False),
    # Canonical JSON list of the hash of every record first_seq..last_seq (version 5; empty
    # before): a chain edited and re-hashed after the seal is traced to its first changed record.
    Column("sealed_hashes", Text),
    Index("ix_audit_digests_run", "run_id"),
)
