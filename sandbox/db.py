"""The sandbox's SQLite store: one file under the data dir, WAL mode, writes serialised.

Starlette runs the sync endpoints in a thread pool, so every request opens its own short-lived
connection (cheap for SQLite) and writers take one process-wide lock. Readers never block in WAL
mode, and the lock keeps two writers from racing on "read the next order number, then insert".
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sandbox.schema import SCHEMA, SCHEMA_VERSION, TABLES

DB_FILE_NAME = "sandbox.sqlite3"

Seeder = Callable[[sqlite3.Connection], None]


class Database:
    """The sandbox's state. ``seeder`` fills a fresh schema with the seed data."""

    def __init__(self, data_dir: Path, seeder: Seeder) -> None:
        self.path = data_dir / DB_FILE_NAME
        self._seeder = seeder
        self._write_lock = threading.Lock()

    def _connect(self, *, foreign_keys: bool = True) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun and ended explicitly below.
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        return conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (a consistent snapshot per statement)."""
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self, *, foreign_keys: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction, committed on success and rolled back on error."""
        with self._write_lock:
            conn = self._connect(foreign_keys=foreign_keys)
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    def open(self, *, reset: bool = False) -> None:
        """Create the file (WAL mode) and seed it when new, stale or when ``reset`` is asked."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        if reset or self._stored_version() != SCHEMA_VERSION:
            self.reset()

    def reset(self) -> None:
        """Drop everything and restore the seed, atomically for every other connection."""
        # Foreign keys are off so that tables can be dropped in any order.
        with self.write(foreign_keys=False) as conn:
            for table in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            self._seeder(conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def _stored_version(self) -> int | None:
        with self.read() as conn:
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            except sqlite3.OperationalError:  # no meta table: a new file
                return None
        return int(row["value"]) if row else None
