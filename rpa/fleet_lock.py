"""One run of a flow at a time across every host that shares a PostgreSQL ledger.

A file lock (:mod:`rpa.flow_lock`) holds only on its own machine. With the ledger on PostgreSQL,
the run also takes the flow's lock in the database: a session-level **advisory lock**
(``pg_try_advisory_lock``) on a connection of its own, kept open for the whole run. PostgreSQL
holds it for exactly as long as that session lives, so it can never go stale:

- the run ends: the lock is released;
- the run's process dies (even ``kill -9``): the kernel closes its socket, the session ends;
- the run's host stops answering: the session's TCP keepalives (set on both ends below) fail
  within about a minute, the server ends the session.

The lock key is the pair (:data:`LOCK_CLASS`, the flow name's CRC-32), so the suite's locks never
meet another application's advisory locks. Who holds it is written in the ``flow_locks`` table
(run id, trigger, pid, host, since), so that a refused command names the run in the way, and
``rpa flows`` shows which host runs what.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import Connection, Engine, create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from rpa.flow_lock import LockHolder, take_or_wait
from rpa.ledger.schema import flow_locks, utc_now

LOCK_CLASS = 0x52504146  # "RPAF": the first half of every fleet flow lock's key
# A host that vanishes (power, network) is noticed within idle + interval * count seconds.
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 30, 10, 3


def is_postgres_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def flow_key(flow: str) -> int:
    """The flow's half of the lock key: its name's CRC-32, as PostgreSQL's signed int4."""
    crc = zlib.crc32(flow.encode("utf-8"))
    return crc - (1 << 32) if crc >= (1 << 31) else crc


def _engine(url: str) -> Engine:
    # NullPool: the lock's connection is the run's own, never handed to anyone else.
    return create_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "keepalives": 1,
            "keepalives_idle": KEEPALIVE_IDLE_S,
            "keepalives_interval": KEEPALIVE_INTERVAL_S,
            "keepalives_count": KEEPALIVE_COUNT,
        },
        isolation_level="AUTOCOMMIT",
    )


def _holder_of(conn: Connection, flow: str) -> LockHolder | None:
    row = conn.execute(select(flow_locks.c.holder).where(flow_locks.c.flow == flow)).first()
    if row is None or not isinstance(row.holder, dict):
        return None
    try:
        return LockHolder(**row.holder)
    except TypeError:
        return None


def _held(conn: Connection, flow: str) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid::bigint = :class_id AND objid::bigint = :obj_id"
            ),
            {"class_id": LOCK_CLASS, "obj_id": flow_key(flow) & 0xFFFFFFFF},
        ).scalar_one()
    )


def _ensure_holders_table(engine: Engine) -> None:
    """``flow_locks`` in a database no run has opened yet (the ledger's schema has it too).
    Two hosts starting at once may both create it: the loser finds it made."""
    try:
        flow_locks.create(engine, checkfirst=True)
    except DBAPIError:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, flow_locks.name):
                raise


class FleetFlowLock:
    """The flow's lock in the shared database; :meth:`acquire`, then :meth:`release`."""

    def __init__(self, url: str, flow: str) -> None:
        self.url = url
        self.flow = flow
        self._engine: Engine | None = None
        self._conn: Connection | None = None

    def acquire(
        self,
        holder: LockHolder,
        *,
        wait: bool = False,
        wait_timeout_s: float | None = None,
        on_wait: Callable[[LockHolder | None], None] | None = None,
    ) -> FleetFlowLock:
        """Take the lock, or raise :class:`~rpa.flow_lock.FlowBusyError` naming the holder (at
        once, or after ``wait_timeout_s``); ``on_wait`` as for
        :meth:`rpa.flow_lock.FlowLock.acquire`."""
        engine = _engine(self.url)
        _ensure_holders_table(engine)
        conn = engine.connect()
        try:
            # The server's side of the keepalives: it, too, must notice a vanished host.
            for name, value in (
                ("tcp_keepalives_idle", KEEPALIVE_IDLE_S),
                ("tcp_keepalives_interval", KEEPALIVE_INTERVAL_S),
                ("tcp_keepalives_count", KEEPALIVE_COUNT),
            ):
                conn.execute(
                    text("SELECT set_config(:name, :value, false)"),
                    {"name": name, "value": str(value)},
                )
            take_or_wait(
                self.flow,
                lambda: self._try(conn),
                lambda: _holder_of(conn, self.flow),
                wait=wait,
                wait_timeout_s=wait_timeout_s,
                on_wait=on_wait,
            )
            self._describe(conn, holder)
        except BaseException:
            conn.close()
            engine.dispose()
            raise
        self._engine, self._conn = engine, conn
        return self

    def _try(self, conn: Connection) -> bool:
        return bool(
            conn.execute(
                text("SELECT pg_try_advisory_lock(:class_id, :obj_id)"),
                {"class_id": LOCK_CLASS, "obj_id": flow_key(self.flow)},
            ).scalar_one()
        )

    def _describe(self, conn: Connection, holder: LockHolder) -> None:
        # Only the lock's holder writes the row, so delete-then-insert cannot race.
        conn.execute(delete(flow_locks).where(flow_locks.c.flow == self.flow))
        conn.execute(
            insert(flow_locks).values(flow=self.flow, holder=asdict(holder), since=utc_now())
        )

    def update_holder(self, holder: LockHolder) -> None:
        if self._conn is not None:
            self._describe(self._conn, holder)

    def release(self) -> None:
        conn, engine = self._conn, self._engine
        self._conn = self._engine = None
        if conn is None or engine is None:
            return
        try:
            conn.execute(
                text("SELECT pg_advisory_unlock(:class_id, :obj_id)"),
                {"class_id": LOCK_CLASS, "obj_id": flow_key(self.flow)},
            )
        finally:  # closing the session releases the lock in any case
            conn.close()
            engine.dispose()


def fleet_holder(url: str, flow: str) -> LockHolder | None:
    """Who runs ``flow`` anywhere in the fleet right now, or None when nobody does."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            if not _held(conn, flow):
                return None
            if not engine.dialect.has_table(conn, flow_locks.name):
                return LockHolder(None, "unknown", 0, "unknown", "unknown")
            return _holder_of(conn, flow) or LockHolder(None, "unknown", 0, "unknown", "unknown")
    finally:
        engine.dispose()
