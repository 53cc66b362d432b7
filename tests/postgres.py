"""A real PostgreSQL server for the tests: a fresh database for each test that asks for one.

The server is the one at ``LEDGER_TEST_POSTGRES`` (default: the ``postgres`` user on
127.0.0.1:5432, trust authentication, as on the project's machines and in CI). Each test gets a
database of its own, created empty from ``template0`` and dropped (with any connection still
open) when the test ends, so tests running in parallel never see each other's rows.

Where no server answers, the tests that need one are skipped with a message saying so and how to
start it, unless ``LEDGER_TEST_POSTGRES_REQUIRED=1`` (set by CI): then they fail, so that a server
that did not start cannot pass for a green run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ADMIN = os.environ.get(
    "LEDGER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("LEDGER_TEST_POSTGRES_REQUIRED") == "1"
HOW_TO_START = (
    "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
)


@dataclass
class PostgresServer:
    """The test server, reached through an administrative connection (autocommit)."""

    admin: Engine

    def create_database(self, prefix: str) -> str:
        """A new, empty database; its SQLAlchemy URL (psycopg driver)."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _unreachable(reason: str) -> None:
    message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN} ({reason}); {HOW_TO_START}"
    if POSTGRES_REQUIRED:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL test server; skips (or, under CI, fails) the test when none answers."""
    try:
        import psycopg  # noqa: F401  (the driver the ledger's PostgreSQL URLs name)
    except ImportError as exc:
        _unreachable(f"the psycopg driver is not installed: {exc}")
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # no server, no rights: say which, once
        admin.dispose()
        _unreachable(str(exc).splitlines()[0])
    try:
        yield PostgresServer(admin)
    finally:
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url = postgres_server.create_database("rpa_test")
    try:
        yield url
    finally:
        postgres_server.drop_database(url)
