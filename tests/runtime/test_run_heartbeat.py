"""Liveness by heartbeat: a running run beats in the ledger; any host that shares the ledger
closes a run whose heartbeat went stale, and the next run takes its items up. On a SQLite file
and on PostgreSQL.

"Another host" is this machine under another name: :func:`abort_dead_runs` is told which host
it runs on, so the runs recorded under this machine's real name are, to it, another host's,
which it cannot check by process and must judge by heartbeat.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings
from rpa.audit.verify import verify_trail
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.run_heartbeat import beat, last_heartbeats
from rpa.run_record import RunStatus, get_run
from rpa.runs import RunRecorder, abort_dead_runs
from rpa.trigger import detect_trigger

FLOW = "raise-purchase-orders"
SCOPE = ItemScope(FLOW, "sandbox:test")
OTHER_HOST = "rpa-bot-2.council.internal"  # the name the closing host goes by, in these tests
REPO = Path(__file__).resolve().parents[2]
DEADLINE_S = 30


@pytest.fixture
def logs_dir(tmp_path: Path) -> Path:
    return tmp_path / "logs"


def _started(ledger: Ledger, logs_dir: Path, interval_s: float | None = None) -> RunRecorder:
    recorder = RunRecorder(ledger, logs_dir, heartbeat_interval_s=interval_s)
    recorder.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    return recorder


def _heartbeat(ledger: Ledger, run_id: str) -> datetime:
    found = last_heartbeats(ledger.engine, [run_id])[run_id]
    assert found is not None
    return found


def _status(ledger: Ledger, run_id: str) -> RunStatus:
    found = get_run(ledger, run_id)
    assert found is not None
    return found.status


def _until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition()`` under a deadline (the heartbeat is written by another thread)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_running_run_beats_until_it_finishes(ledger: Ledger, logs_dir: Path) -> None:
    """The record starts with a heartbeat, the run's thread renews it, and finishing stops it."""
    recorder = _started(ledger, logs_dir, interval_s=0.1)
    run_id = recorder.record.run_id
    first = _heartbeat(ledger, run_id)
    assert first == recorder.record.started_at
    _until(lambda: _heartbeat(ledger, run_id) != first, "a second heartbeat")

    recorder.finish(RunStatus.SUCCEEDED, {})
    last = _heartbeat(ledger, run_id)
    assert not beat(ledger.engine, run_id)  # a finished run takes no heartbeat
    assert _heartbeat(ledger, run_id) == last
    assert _status(ledger, run_id) is RunStatus.SUCCEEDED


def test_another_hosts_run_is_closed_once_its_heartbeat_is_stale(
    ledger: Ledger, logs_dir: Path
) -> None:
    """Fresh: left alone. Stale: closed as aborted by the other host, with a sentence saying
    whose heartbeat stopped and when; its items are released for the next run, and the trail
    verifies."""
    recorder = _started(ledger, logs_dir)
    run_id = recorder.record.run_id
    ledger.register(SCOPE, "REQ-1", source_file="r.csv", content_hash="h", run_id=run_id)
    ledger.claim(SCOPE, "REQ-1", run_id=run_id, worker="w1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=run_id, reference="1001")

    assert abort_dead_runs(ledger, host=OTHER_HOST, heartbeat_timeout_s=60) == []
    silent_since = recorder.record.started_at - timedelta(minutes=5)
    assert beat(ledger.engine, run_id, at=silent_since)
    closed = abort_dead_runs(ledger, host=OTHER_HOST, heartbeat_timeout_s=60, logs_dir=logs_dir)

    assert [run.run_id for run in closed] == [run_id]
    record = get_run(ledger, run_id)
    assert record is not None and record.status is RunStatus.ABORTED
    assert record.message is not None
    assert f"Host {recorder.record.trigger.host} stopped sending the run's heartbeat" in (
        record.message
    )
    assert f"{silent_since:%Y-%m-%d %H:%M:%S} UTC" in record.message
    assert f"before {OTHER_HOST} closed it" in record.message
    nxt = _started(ledger, logs_dir)
    released = ledger.release_stale(SCOPE, run_id=nxt.record.run_id)
    assert [item.item_key for item in released] == ["REQ-1"]
    resumed = ledger.claim(SCOPE, "REQ-1", run_id=nxt.record.run_id, worker="w1")
    assert resumed is not None and resumed.outcome_unknown and resumed.item.reference == "1001"
    nxt.finish(RunStatus.SUCCEEDED, {})
    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems


def test_runs_without_a_heartbeat_rule_or_a_heartbeat_are_left_to_their_host(
    ledger: Ledger, logs_dir: Path, ledger_url: str
) -> None:
    """No timeout given: another host's runs are never judged. A run that never wrote a
    heartbeat (recorded by an earlier release) is left to its own host's process check."""
    recorder = _started(ledger, logs_dir)
    run_id = recorder.record.run_id
    assert beat(ledger.engine, run_id, at=recorder.record.started_at - timedelta(hours=1))
    assert abort_dead_runs(ledger, host=OTHER_HOST) == []
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE runs SET heartbeat_at = NULL WHERE run_id = '{run_id}'")
    assert abort_dead_runs(ledger, host=OTHER_HOST, heartbeat_timeout_s=1) == []
    assert _status(ledger, run_id) is RunStatus.RUNNING


def test_timeouts_shorter_than_three_beats_are_refused() -> None:
    with pytest.raises(ValidationError, match="at least three times"):
        Settings(run_heartbeat_interval_s=30, run_heartbeat_timeout_s=60)
    settings = Settings(run_heartbeat_interval_s=5, run_heartbeat_timeout_s=15)
    assert (settings.run_heartbeat_interval_s, settings.run_heartbeat_timeout_s) == (5, 15)


CHILD_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rpa.ledger import ItemScope, Ledger
    from rpa.runs import RunRecorder
    from rpa.trigger import detect_trigger

    url, logs = sys.argv[1], Path(sys.argv[2])
    ledger = Ledger(url)
    run = RunRecorder(ledger, logs, heartbeat_interval_s=0.2).start(
        flow="raise-purchase-orders", trigger=detect_trigger(), target_url=None, settings={},
    )
    scope = ItemScope("raise-purchase-orders", "sandbox:test")
    ledger.register(scope, "REQ-7", source_file="r.csv", content_hash="h", run_id=run.run_id)
    ledger.claim(scope, "REQ-7", run_id=run.run_id, worker="w1")
    print(run.run_id, flush=True)
    sys.stdin.readline()  # held mid-item until the test kills it
    """
)


@pytest.mark.slow
def test_a_killed_process_is_found_dead_by_another_host(
    ledger: Ledger, ledger_url: str, logs_dir: Path
) -> None:
    """A real process runs with its heartbeat: another host leaves it alone for longer than
    the timeout while it beats, and closes it once it is SIGKILLed and its heartbeat stops."""
    timeout_s = 1.5
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_RUN, ledger_url, str(logs_dir)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        run_id = child.stdout.readline().strip()
        started = get_run(ledger, run_id)
        assert started is not None
        # Alive for well past the timeout: its heartbeat keeps it so.
        _until(
            lambda: (
                (_heartbeat(ledger, run_id) - started.started_at).total_seconds() > 2 * timeout_s
            ),
            "the child's heartbeats to outlast the timeout",
        )
        assert abort_dead_runs(ledger, host=OTHER_HOST, heartbeat_timeout_s=timeout_s) == []
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()

    closed: list[str] = []

    def closed_by_the_other_host() -> bool:
        found = abort_dead_runs(
            ledger, host=OTHER_HOST, heartbeat_timeout_s=timeout_s, logs_dir=logs_dir
        )
        closed.extend(run.run_id for run in found)
        return bool(closed)

    _until(closed_by_the_other_host, "the dead run to be closed")
    assert closed == [run_id]
    record = get_run(ledger, run_id)
    assert record is not None and record.status is RunStatus.ABORTED
    assert "stopped sending the run's heartbeat" in (record.message or "")
    assert verify_trail(ledger.engine, logs_dir).ok
