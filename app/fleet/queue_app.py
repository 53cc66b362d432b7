"""The fleet's queue: a procrastinate app on the ledger's PostgreSQL database.

Its tables (``procrastinate_jobs``, ``procrastinate_workers``, …) live beside the ledger's. The
schema is applied by whichever process needs it first (a worker, a scheduler, ``--defer``),
once: concurrent starts on several hosts are serialised by an advisory lock, and a schema that
is there already is left alone.
"""

from __future__ import annotations

from typing import Any

import procrastinate
import psycopg
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url

from rpa.fleet_lock import KEEPALIVE_COUNT, KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, is_postgres_url

QUEUE = "flows"
RUN_FLOW_TASK = "rpa.run_flow"
# The advisory lock (class, key) held while the schema is checked and applied.
SCHEMA_LOCK = (0x52504146, 0x51554555)  # "RPAF", "QUEU"
# A table and a function of the procrastinate release this suite ships with: both present means
# the schema is this release's (an older one lacks the newer function).
SCHEMA_MARKS = ("procrastinate_jobs", "procrastinate_retry_job_v2")


class QueueNotAvailableError(RuntimeError):
    """The ledger is not on PostgreSQL, so there is no fleet queue; the message says what to do."""


class QueueSchemaError(RuntimeError):
    """The queue's schema in the database cannot be used by this release."""


def libpq_url(ledger_url: str) -> str:
    """The ledger's SQLAlchemy URL as a libpq connection string (``postgresql+psycopg://`` ->
    ``postgresql://``), password included: it goes to the driver, never to a log."""
    if not is_postgres_url(ledger_url):
        raise QueueNotAvailableError(
            "The fleet's queue needs the ledger on PostgreSQL: set RPA_LEDGER_URL to a "
            "postgresql:// URL (with SQLite, `rpa schedule` and `rpa run` run flows on this host)."
        )
    return make_url(ledger_url).set(drivername="postgresql").render_as_string(hide_password=False)


def connection_options() -> dict[str, Any]:
    """Options of every queue connection: TCP keepalives, so a vanished peer is noticed."""
    return {
        "keepalives": 1,
        "keepalives_idle": KEEPALIVE_IDLE_S,
        "keepalives_interval": KEEPALIVE_INTERVAL_S,
        "keepalives_count": KEEPALIVE_COUNT,
    }


def sync_queue_app(ledger_url: str) -> procrastinate.App:
    """An app for deferring and inspecting jobs from synchronous code (CLI, scheduler)."""
    connector = procrastinate.SyncPsycopgConnector(
        conninfo=libpq_url(ledger_url), kwargs=connection_options(), min_size=1, max_size=2
    )
    return procrastinate.App(connector=connector)


def worker_queue_app(ledger_url: str) -> procrastinate.App:
    """An app for a worker (asynchronous connections; its tasks are registered by the caller)."""
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(ledger_url), kwargs=connection_options(), min_size=1, max_size=4
    )
    return procrastinate.App(connector=connector)


def queue_schema_state(conn: psycopg.Connection[Any]) -> str:
    """``"current"``, ``"missing"`` or ``"older"`` (tables there, this release's function not)."""
    table, function = SCHEMA_MARKS
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL, EXISTS (SELECT 1 FROM pg_proc WHERE proname = %s)",
        (table, function),
    ).fetchone()
    has_table, has_function = row if row else (False, False)
    if not has_table:
        return "missing"
    return "current" if has_function else "older"


def ensure_queue_schema(ledger_url: str) -> bool:
    """Apply the queue's schema unless it is there. Returns True when this call applied it.

    Raises :class:`QueueSchemaError` for a schema of an older procrastinate release: migrating
    it is a deliberate step (docs/operations.md), not something a worker does on start.
    """
    with (
        psycopg.connect(libpq_url(ledger_url), **connection_options()) as conn,
        conn.transaction(),
    ):
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", SCHEMA_LOCK)
        state = queue_schema_state(conn)
        if state == "older":
            raise QueueSchemaError(
                "The queue's tables in the ledger database are from an older procrastinate "
                "release; apply its migrations first (docs/operations.md, 'Upgrading the "
                "queue')."
            )
        if state == "current":
            return False
        conn.execute(SchemaManager.get_schema().encode())
    return True
