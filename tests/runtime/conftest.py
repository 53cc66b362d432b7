"""The runtime tests' ledger: a SQLite file, and again a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa.ledger import Ledger
from tests.ledger_backends import ledger_url_for


@pytest.fixture
def ledger_url(request: pytest.FixtureRequest, ledger_backend: str, tmp_path: Path) -> str:
    return ledger_url_for(request, ledger_backend, tmp_path / "state" / "ledger.sqlite3")


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    with Ledger(ledger_url) as opened:
        yield opened
