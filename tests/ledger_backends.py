"""One ledger test, run on each database the ledger supports: a SQLite file and PostgreSQL.

A test (or a fixture) that takes ``ledger_backend`` as an argument runs twice, as ``[sqlite]``
and ``[postgresql]`` (pytest parametrizes only what is named so, not what a fixture fetches
later); :func:`ledger_url_for` gives it the URL to open: the SQLite file it names, or
a fresh PostgreSQL database (``tests.postgres``) dropped after the test. The ``[postgresql]``
runs are marked ``postgres``: ``pytest -m postgres`` runs only them, ``-m "not postgres"`` none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

LEDGER_BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


@pytest.fixture(params=LEDGER_BACKENDS)
def ledger_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def ledger_url_for(request: pytest.FixtureRequest, backend: str, sqlite_file: Path) -> str:
    """The ledger URL of ``backend``: ``sqlite_file``, or a fresh PostgreSQL database."""
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{sqlite_file}"


Sql = Callable[..., list[tuple[object, ...]]]


def outside_sql(url: str) -> Sql:
    """SQL run on the ledger's database straight through its driver, outside the suite, as
    someone with access to the database would change it. Placeholders are ``?`` on both
    backends; each call is its own committed transaction; rows come back as tuples."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = str(parsed.database)

        def on_sqlite(statement: str, *params: object) -> list[tuple[object, ...]]:
            with sqlite3.connect(path) as conn:
                rows = conn.execute(statement, params).fetchall()
            conn.close()
            return rows

        return on_sqlite
    import psycopg  # only where a PostgreSQL ledger is tested

    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)

    def on_postgres(statement: str, *params: object) -> list[tuple[object, ...]]:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            cursor = conn.execute(statement.replace("%", "%%").replace("?", "%s"), params)
            return list(cursor.fetchall()) if cursor.description else []

    return on_postgres
