"""Fixtures for the fleet tests: a fresh PostgreSQL database holding the ledger and the queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.fleet.queue_app import ensure_queue_schema, libpq_url


@pytest.fixture
def fleet_url(postgres_url: str) -> str:
    """The ledger's URL on a fresh database, with the queue's schema applied."""
    ensure_queue_schema(postgres_url)
    return postgres_url


@pytest.fixture
def sql(fleet_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A plain connection to the fleet's database, for the tests' own looks (autocommit)."""
    with psycopg.connect(libpq_url(fleet_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """The directory the hosts share (inbox, logs and evidence)."""
    path = tmp_path / "shared"
    path.mkdir()
    return path
