"""A locked ledger, a read-only home and a full disk: each ends ``rpa run`` with one sentence on
stderr naming the path and the cause, exit 4, no traceback, and the run's record closed.

The command is a real run of raise-purchase-orders whose requests all fail validation: it opens
the ledger, writes its run record, logs and results, and needs no browser nor Oracle.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest

from rpa.storage_faults import FaultKind, StorageContext, storage_fault
from tests.mount_namespace import (
    REPO,
    needs_mount_namespace,
    read_only_mount,
    rpa_argv,
    rpa_env,
    run_rpa,
    small_full_tmpfs,
)

RUN = ("run", "raise-purchase-orders", "--sandbox", "--input")


@pytest.fixture
def requests_file(tmp_path: Path) -> Path:
    """Every example request with a price Oracle would never take: all rejected at validation."""
    with (REPO / "examples" / "purchase-requests.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row["unit_price"] = "-1"
    path = tmp_path / "requests.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def home(tmp_path: Path, requests_file: Path) -> Path:
    """A home with a ledger and logs: one run already done."""
    path = tmp_path / "home"
    done = _run(path, requests_file, tmp_path)
    assert done.returncode == 3, done.stderr  # every request rejected: partial
    return path


def _run(
    home: Path, requests_file: Path, cwd: Path, setup: str | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    return run_rpa(home, *RUN, str(requests_file), setup=setup, cwd=cwd, **settings)


def _runs(home: Path, cwd: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        rpa_argv(home, "runs", "list", "--json"),
        env=rpa_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    runs: list[dict[str, object]] = json.loads(done.stdout)
    return runs


def _one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_ledger_locked_longer_than_the_busy_timeout(
    home: Path, requests_file: Path, tmp_path: Path
) -> None:
    """Another process holds the write lock: after ledger_busy_timeout_s, one sentence naming
    the ledger, exit 4; nothing was recorded, and the next run goes through."""
    ledger = home / "state" / "ledger.sqlite3"
    before = _runs(home, tmp_path)
    holder = sqlite3.connect(ledger, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        done = _run(home, requests_file, tmp_path, RPA_LEDGER_BUSY_TIMEOUT_S="1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 4, done.stderr
    sentence = _one_sentence(done.stderr)
    assert f"The ledger {ledger} is locked by another process" in sentence
    assert "stayed locked for 1 s" in sentence
    assert _runs(home, tmp_path) == before
    assert _run(home, requests_file, tmp_path).returncode == 3


@needs_mount_namespace
def test_a_run_on_a_read_only_home(home: Path, requests_file: Path, tmp_path: Path) -> None:
    """The home is a read-only mount: one sentence naming the path and "read-only", exit 4."""
    done = _run(home, requests_file, tmp_path, read_only_mount(home))
    assert done.returncode == 4, done.stderr
    sentence = _one_sentence(done.stderr)
    assert f"Cannot write to {home}" in sentence
    assert "the file system is read-only" in sentence


@needs_mount_namespace
def test_a_full_disk_part_way_through_a_run(
    home: Path, requests_file: Path, tmp_path: Path
) -> None:
    """The logs folder is on a full disk: the run record is written (the ledger is elsewhere),
    then its log folder cannot be. One sentence naming the folder and "full", exit 4, and the
    record is closed aborted with that sentence; once there is space, runs go on."""
    logs = home / "logs"
    done = _run(home, requests_file, tmp_path, small_full_tmpfs(logs))
    assert done.returncode == 4, done.stderr
    sentence = _one_sentence(done.stderr)
    assert f"Cannot write to {logs}" in sentence and "the disk is full" in sentence
    # Outside the mount namespace the tmpfs is gone: the space is free again.
    newest = _runs(home, tmp_path)[0]
    assert newest["status"] == "aborted"
    assert newest["message"] == sentence
    assert _run(home, requests_file, tmp_path).returncode == 3
    assert _runs(home, tmp_path)[1]["status"] == "aborted"


def test_a_ledger_database_server_out_of_reach(home: Path, tmp_path: Path) -> None:
    """The ledger on a PostgreSQL server that does not answer: one sentence naming the database
    (password masked) and the cause, exit 4, no traceback."""
    url = "postgresql+psycopg://rpa:hunter2-db@127.0.0.1:1/rpa_ledger"  # port 1: nothing listens
    done = run_rpa(home, "runs", "list", setup=None, cwd=tmp_path, RPA_LEDGER_URL=url)
    assert done.returncode == 4, done.stderr
    sentence = _one_sentence(done.stderr)
    assert sentence.startswith(
        "Cannot reach the ledger database postgresql+psycopg://rpa:***@127.0.0.1:1/rpa_ledger: "
    )
    assert "hunter2-db" not in done.stderr + done.stdout


def test_only_connection_failures_are_called_out_of_reach() -> None:
    """A deadlock or a cancelled query comes from a server that answers: not this fault, so
    its traceback is not hidden behind a wrong sentence. A refused or dropped connection, or a
    server shutting down, is."""
    context = StorageContext(ledger_server="postgresql+psycopg://rpa:***@db/rpa")
    for answered in (
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.SerializationFailure("could not serialize access"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
    ):
        assert storage_fault(answered, context) is None, answered
    for lost in (
        psycopg.OperationalError('connection to server at "db" failed: Connection refused'),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    ):
        fault = storage_fault(lost, context)
        assert fault is not None and fault.kind is FaultKind.UNREACHABLE, lost
        assert fault.sentence.startswith("Cannot reach the ledger database postgresql")
