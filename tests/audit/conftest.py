"""Fixtures for the audit trail tests: a home with a real SQLite ledger and logs directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli import cli
from rpa.ledger import Ledger
from rpa.redaction import forget_secrets


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
def ledger(home: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as opened:
        yield opened


@pytest.fixture(autouse=True)
def _no_registered_secrets() -> Iterator[None]:
    yield
    forget_secrets()


Rpa = Callable[..., Result]


@pytest.fixture
def rpa(home: Path, monkeypatch: pytest.MonkeyPatch) -> Rpa:
    """``rpa ARGS`` in this process on ``home``, with no RPA_* setting from outside; settings
    as keyword arguments (``RPA_AUDIT__ANCHOR_DIR=...``)."""
    for name in [n for n in os.environ if n.startswith("RPA_")]:
        monkeypatch.delenv(name)

    def run(*args: str, **env: str) -> Result:
        return CliRunner().invoke(
            cli, ["--home", str(home), *args], env=env, catch_exceptions=False
        )

    return run
