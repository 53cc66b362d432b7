"""`rpa doctor`'s ledger check: the database answers, its schema, and runs whose heartbeat went
stale; on a SQLite file and on the PostgreSQL test server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.commands.doctor_checks import Check, check_ledger
from config.settings import Settings
from rpa.ledger import Ledger
from rpa.ledger.schema import SCHEMA_VERSION
from rpa.run_heartbeat import beat
from rpa.runs import RunRecorder
from rpa.trigger import detect_trigger
from tests.ledger_backends import ledger_url_for


@pytest.fixture
def settings(request: pytest.FixtureRequest, ledger_backend: str, tmp_path: Path) -> Settings:
    url = ledger_url_for(request, ledger_backend, tmp_path / "state" / "ledger.sqlite3")
    return Settings(home=tmp_path, ledger_url=url, run_heartbeat_timeout_s=60)


def _checks(settings: Settings) -> list[Check]:
    return list(check_ledger(settings))


def test_a_ledger_with_a_live_run_passes(settings: Settings, tmp_path: Path) -> None:
    with Ledger(settings.effective_ledger_url) as ledger:
        RunRecorder(ledger, tmp_path / "logs").start(
            flow="raise-purchase-orders", trigger=detect_trigger(), target_url=None, settings={}
        )
    (found,) = _checks(settings)
    assert found.ok and found.name == "ledger"
    assert f"schema {SCHEMA_VERSION}, 1 run(s) running" in found.detail


def test_a_run_with_a_stale_heartbeat_is_reported(settings: Settings, tmp_path: Path) -> None:
    with Ledger(settings.effective_ledger_url) as ledger:
        recorder = RunRecorder(ledger, tmp_path / "logs")
        record = recorder.start(
            flow="raise-purchase-orders", trigger=detect_trigger(), target_url=None, settings={}
        )
        assert beat(ledger.engine, record.run_id, at=record.started_at - timedelta(minutes=10))
    ledger_check, heartbeat = _checks(settings)
    assert ledger_check.ok
    assert not heartbeat.ok and heartbeat.name == "run heartbeat"
    assert f"run {record.run_id} (raise-purchase-orders) on {record.trigger.host}" in (
        heartbeat.detail
    )
    assert "limit 60 s" in heartbeat.detail and "closes it as aborted" in heartbeat.fix


def test_a_sqlite_ledger_not_created_yet_passes(tmp_path: Path) -> None:
    (found,) = _checks(Settings(home=tmp_path))
    assert found.ok and "not created yet" in found.detail
    assert not (tmp_path / "state" / "ledger.sqlite3").exists()  # the check created nothing


def test_an_unreachable_database_server_fails_in_one_sentence(tmp_path: Path) -> None:
    url = "postgresql+psycopg://rpa:hunter2-db@127.0.0.1:1/rpa"  # port 1: nothing listens
    (found,) = _checks(Settings(home=tmp_path, ledger_url=url))
    assert not found.ok
    assert found.detail.startswith("Cannot reach the ledger database postgresql+psycopg://rpa:***@")
    assert "hunter2-db" not in found.detail
    assert "RPA_LEDGER_URL" in found.fix
