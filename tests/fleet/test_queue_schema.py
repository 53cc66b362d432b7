"""The queue's schema in the ledger database: applied once however many hosts start at once,
an older one refused, and ``rpa doctor``'s view of it and of the workers' heartbeats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.commands.doctor_checks import check_queue
from app.fleet.queue_app import QueueSchemaError, ensure_queue_schema
from config.settings import Settings
from tests.fleet.fleet_processes import host_env, run_rpa

pytestmark = [pytest.mark.postgres]


def test_hosts_starting_at_once_apply_the_schema_once(postgres_url: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        applied = list(pool.map(lambda _: ensure_queue_schema(postgres_url), range(4)))
    assert sorted(applied) == [False, False, False, True]
    assert ensure_queue_schema(postgres_url) is False


def test_an_older_queue_schema_is_refused_in_one_sentence(
    fleet_url: str, sql: psycopg.Connection[Any], tmp_path: Path
) -> None:
    sql.execute("DROP FUNCTION procrastinate_retry_job_v2")
    with pytest.raises(QueueSchemaError, match="older procrastinate release"):
        ensure_queue_schema(fleet_url)
    home = tmp_path / "bot"
    worker = run_rpa(home, host_env(home, fleet_url), "worker")
    assert worker.returncode == 4
    assert (
        worker.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "The queue's tables in the ledger database are from an older procrastinate release"
        )
    )
    [check] = check_queue(Settings(home=home, ledger_url=fleet_url))
    assert not check.ok and "older procrastinate release" in check.detail


def test_doctor_says_when_the_queue_is_not_there_yet(postgres_url: str, tmp_path: Path) -> None:
    [check] = check_queue(Settings(home=tmp_path, ledger_url=postgres_url))
    assert not check.ok
    assert check.detail == "the queue's tables are not in the ledger database yet"
    assert "rpa worker" in check.fix


def test_doctor_counts_live_workers_and_names_silent_ones(
    fleet_url: str, sql: psycopg.Connection[Any], tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, ledger_url=fleet_url)
    checks = list(check_queue(settings))
    assert [(c.name, c.ok) for c in checks] == [("queue", True), ("queue workers", False)]
    assert "no worker has sent a heartbeat in the last 150 s" in checks[1].detail

    sql.execute("INSERT INTO procrastinate_workers DEFAULT VALUES")
    [(silent,)] = sql.execute(
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') "
        "RETURNING id"
    ).fetchall()
    checks = list(check_queue(settings))
    assert checks[0].ok and "1 worker(s) alive, 0 run(s) waiting, 0 running" in checks[0].detail
    [stale] = checks[1:]
    assert not stale.ok
    assert stale.detail.startswith(f"worker {silent} has sent no heartbeat for 3600 s")


def test_the_ledger_on_sqlite_has_no_queue_to_check(tmp_path: Path) -> None:
    assert list(check_queue(Settings(home=tmp_path))) == []


def test_doctor_fails_a_worker_host_without_setpriv(
    fleet_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with nothing on it
    checks = list(check_queue(Settings(home=tmp_path, ledger_url=fleet_url)))
    [missing] = [c for c in checks if "setpriv" in c.detail]
    assert not missing.ok and "util-linux" in missing.fix


@pytest.mark.parametrize(
    "command", [("worker",), ("schedule",), ("run", "sleepy", "--defer"), ("flows",)]
)
def test_a_fleet_command_with_the_database_out_of_reach_stops_in_one_sentence(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    home = tmp_path / "bot"
    unreachable = "postgresql+psycopg://rpa:s3cret@127.0.0.1:1/rpa"  # nothing listens on port 1
    done = run_rpa(home, host_env(home, unreachable), *command)
    assert done.returncode == 4
    assert done.stderr.strip().splitlines() == [
        "Cannot reach the ledger database postgresql+psycopg://rpa:***@127.0.0.1:1/rpa: "
        "Connection refused; check that the server is running and accepts connections from "
        "this host (rpa doctor checks it), then run the command again."
    ]
    assert "s3cret" not in done.stdout + done.stderr
