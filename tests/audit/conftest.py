"""Fixtures for the audit trail tests: a home with a real ledger and logs directory.

The ledger is a SQLite file in the home's state folder, and, for every test again, a PostgreSQL
database (``tests.ledger_backends``): the chain, digests, verification and the commands must
behave the same on both. Tests about the SQLite file itself (deleting, copying or mounting it)
say so by a ``ledger_backend`` fixture of their own returning ``"sqlite"``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli import cli
from rpa.ledger import Ledger
from rpa.redaction import forget_secrets
from tests.ledger_backends import Sql, ledger_url_for, outside_sql


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An RPA_HOME: the ledger in state/, the logs in logs/ (as the settings place them)."""
    path = tmp_path / "home"
    (path / "state").mkdir(parents=True)
    return path


@pytest.fixture
def logs_dir(home: Path) -> Path:
    return home / "logs"


@pytest.fixture
def ledger_url(request: pytest.FixtureRequest, ledger_backend: str, home: Path) -> str:
    return ledger_url_for(request, ledger_backend, home / "state" / "ledger.sqlite3")


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    with Ledger(ledger_url) as opened:
        yield opened


@pytest.fixture
def sql(ledger_url: str) -> Sql:
    """SQL on the ledger's database directly, outside the suite (as a tamperer would)."""
    return outside_sql(ledger_url)


@pytest.fixture(autouse=True)
def _no_registered_secrets() -> Iterator[None]:
    yield
    forget_secrets()


Rpa = Callable[..., Result]


@pytest.fixture
def rpa(home: Path, ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> Rpa:
    """``rpa ARGS`` in this process on ``home`` and the test's ledger, with no RPA_* setting
    from outside; settings as keyword arguments (``RPA_AUDIT__ANCHOR_DIR=...``)."""
    for name in [n for n in os.environ if n.startswith("RPA_")]:
        monkeypatch.delenv(name)

    def run(*args: str, **env: str) -> Result:
        return CliRunner().invoke(
            cli,
            ["--home", str(home), *args],
            env={"RPA_LEDGER_URL": ledger_url, **env},
            catch_exceptions=False,
        )

    return run
