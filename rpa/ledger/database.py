"""Opening the ledger database and running short transactions on it, safely from many workers.

Why each choice:

- **One engine per process.** A pooled database connection must never cross a ``fork``; each
  process (the scheduler's child, an operator's command) opens its own :class:`Ledger`.
- **SQLite: NullPool.** Every transaction opens its own connection and closes it afterwards, so no
  connection is shared between threads or inherited by a child process, and no idle connection
  keeps a stale view of the file. Opening a local SQLite file costs far less than a browser step.
- **SQLite: WAL journal.** Readers never block the writer and the writer never blocks readers, so
  the operator's status command can read while the workers write.
- **SQLite: BEGIN IMMEDIATE for writes.** A write transaction takes the database's write lock
  before it reads, so "read the item, check its state, update it" cannot interleave with another
  process doing the same; a plain BEGIN would fail later with "database is locked" on the upgrade.
- **SQLite: busy timeout.** A writer waits (up to :data:`BUSY_TIMEOUT_S`, the setting
  ``ledger_busy_timeout_s``) for the lock instead of failing; transactions are a few statements
  long, so waits are short.
- **SQLite: synchronous=FULL.** A commit is on disk before the worker goes on to act in Oracle, so
  a power cut cannot roll back a recorded "created" to "in_progress".
- **PostgreSQL: a normal pool with pre-ping**, so a connection dropped by a database restart is
  replaced instead of failing the next write; rows are locked with ``SELECT … FOR UPDATE``.
- **Read-only** (``read_only=True``, for the support commands and auditors): nothing is ever
  written, not even SQLite's ``-wal`` and ``-shm`` files where the folder is read-only
  (:mod:`rpa.ledger.read_only`); PostgreSQL sessions are ``default_transaction_read_only``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

BUSY_TIMEOUT_S = 30.0
_WRITE_OPTION = "rpa_ledger_write"


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite (the default)."""
    return engine.dialect.name == "sqlite"


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or "mode=memory" in url:
        raise ValueError(
            "The ledger needs a database that outlives the process; an in-memory SQLite "
            f"database ({url!r}) would forget every item. Use sqlite:///<path> instead."
        )
    return Path(database)


def _on_sqlite_connect(
    dbapi_connection: Any, _record: Any, busy_timeout_s: float = BUSY_TIMEOUT_S
) -> None:
    # Take transaction control away from the sqlite3 module, which would otherwise begin
    # deferred transactions itself; _on_sqlite_begin emits the right BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _on_read_only_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # No journal_mode: changing it is a write. query_only makes any write an error at once.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only = ON")
    finally:
        cursor.close()


def _on_read_only_postgres_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET SESSION default_transaction_read_only = on")
    finally:
        cursor.close()
    dbapi_connection.commit()


def create_ledger_engine(
    url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_S, read_only: bool = False
) -> Engine:
    """An engine for the ledger at ``url``, configured for concurrent workers (see module doc).

    ``read_only``: never writes, nor creates a file or folder (see :mod:`rpa.ledger.read_only`
    for how a SQLite ledger in a read-only folder is opened); the file must exist.
    """
    if make_url(url).get_backend_name() == "sqlite":
        path = _sqlite_file(url)
        if read_only:
            # Imported here: read_only needs this module's helpers.
            from rpa.ledger.read_only import ReadOnlySqlite

            source = ReadOnlySqlite(path, busy_timeout_s)
            engine = create_engine("sqlite://", poolclass=NullPool, creator=source.connect)
            event.listen(engine, "connect", _on_read_only_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
            event.listen(engine, "engine_disposed", lambda _engine: source.close())
            return engine
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": busy_timeout_s})
        event.listen(
            engine,
            "connect",
            lambda dbapi_connection, record: _on_sqlite_connect(
                dbapi_connection, record, busy_timeout_s
            ),
        )
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if read_only:
        event.listen(engine, "connect", _on_read_only_postgres_connect)
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A short transaction that will write: committed on success, rolled back on any error."""
    with engine.connect() as connection:
        connection.execution_options(**{_WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: one consistent snapshot for the queries inside it."""
    with engine.connect() as connection, connection.begin():
        yield connection
