"""Run records (database row and run.json), triggers, dead runs, and resuming their items."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from config.settings import Settings
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.ledger.schema import runs
from rpa.redaction import forget_secrets, register_secret
from rpa.run_record import RunStatus, get_run, list_runs, new_run_id
from rpa.runs import RunRecorder, abort_dead_runs, code_version, config_hash
from rpa.trigger import SCHEDULE_ID_ENV, TriggerKind, detect_trigger, schedule_environment

FLOW = "raise-purchase-orders"
SCOPE = ItemScope(FLOW, "sandbox:test")  # the child run below works in the same scope
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def logs_dir(tmp_path: Path) -> Path:
    return tmp_path / "logs"


@pytest.fixture(autouse=True)
def _no_registered_secrets() -> Iterator[None]:
    yield
    forget_secrets()


def _settings(tmp_path: Path, password: str = "Sandbox-Welcome1") -> dict[str, object]:
    settings = Settings(home=tmp_path, sandbox={"password": password})
    dumped: dict[str, object] = settings.model_dump(mode="json")
    dumped["sandbox"] = {**settings.sandbox.model_dump(mode="json"), "password": password}
    return dumped


def test_run_ids_sort_by_start_time() -> None:
    """Run ids look like 20261129T193000Z-ab12cd and are unique."""
    ids = {new_run_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", run_id) for run_id in ids)


def test_trigger_detection() -> None:
    """A schedule id (argument or environment) makes a scheduled run; else the OS user is named."""
    assert detect_trigger("nightly-po").schedule_id == "nightly-po"
    by_env = detect_trigger(environ={**schedule_environment("weekly"), "USER": "x"})
    assert by_env.kind is TriggerKind.SCHEDULE and by_env.schedule_id == "weekly"
    assert SCHEDULE_ID_ENV == "RPA_SCHEDULE_ID"
    sudo = detect_trigger(environ={"SUDO_USER": "j.smith", "USER": "root"})
    assert sudo.kind is TriggerKind.OPERATOR and sudo.operator == "j.smith"
    plain = detect_trigger(environ={})
    assert plain.operator and plain.host == socket.gethostname()
    assert plain.describe().startswith("operator ")


def test_code_version_names_package_and_commit() -> None:
    """The code version is the package version, plus the git commit when run from a checkout."""
    version = code_version()
    assert version.startswith("0.1.0")
    if (REPO / ".git").exists():
        assert re.fullmatch(r"0\.1\.0\+g[0-9a-f]{12}", version)


def test_config_hash_ignores_secrets_but_not_settings(tmp_path: Path) -> None:
    """Changing a password keeps the hash; changing any other setting changes it."""
    base = _settings(tmp_path)
    other_password = _settings(tmp_path, password="Another-Pass9")
    other_workers = {**base, "workers": 4}
    assert config_hash(base) == config_hash(other_password)
    assert config_hash(base) != config_hash(other_workers)
    assert re.fullmatch(r"[0-9a-f]{64}", config_hash(base))


def test_start_records_the_run_in_database_and_json(
    ledger: Ledger, logs_dir: Path, tmp_path: Path
) -> None:
    """start() writes a running record with trigger, versions, inputs and hashes, twice over."""
    requests = tmp_path / "requests.csv"
    requests.write_text("request_id,amount\nREQ-1,100\n", encoding="utf-8")
    recorder = RunRecorder(ledger, logs_dir)

    record = recorder.start(
        flow=FLOW,
        trigger=detect_trigger("nightly-po"),
        target_url="http://127.0.0.1:8765",
        settings=_settings(tmp_path),
        input_files=[requests],
    )

    assert record.status is RunStatus.RUNNING and record.pid == os.getpid()
    assert record.trigger.kind is TriggerKind.SCHEDULE
    assert record.playwright_version and record.code_version
    (described,) = record.input_files
    assert described.name == "requests.csv" and described.size == requests.stat().st_size
    assert len(described.sha256) == 64
    assert get_run(ledger, record.run_id) == record
    assert recorder.events_path == logs_dir / "runs" / record.run_id / "events.jsonl"
    on_disk = json.loads((recorder.run_dir / "run.json").read_text(encoding="utf-8"))
    assert on_disk["run_id"] == record.run_id and on_disk["status"] == "running"
    assert on_disk["trigger"] == {
        "kind": "schedule",
        "schedule_id": "nightly-po",
        "operator": None,
        "host": socket.gethostname(),
    }
    assert on_disk["config_hash"] == record.config_hash
    assert on_disk["config"]["sandbox"]["password"] == "***"
    assert on_disk["started_at"].endswith("+00:00")


def test_counts_and_finish_update_both_copies(
    ledger: Ledger, logs_dir: Path, tmp_path: Path
) -> None:
    """Counts and the final status, duration and (redacted) message reach the row and the file."""
    register_secret("Hunter2-Secret")
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    recorder.update_counts({"raised": 1, "pending": 2})
    recorder.record_browser_version("141.0.7390.54")

    done = recorder.finish(
        RunStatus.PARTIAL, {"raised": 2, "rejected": 1}, "1 rejected; pw Hunter2-Secret"
    )

    assert done.status is RunStatus.PARTIAL and done.counts == {"raised": 2, "rejected": 1}
    assert done.ended_at is not None and done.duration_s is not None and done.duration_s >= 0
    assert done.message == "1 rejected; pw ***"
    assert get_run(ledger, done.run_id) == done
    on_disk = json.loads((recorder.run_dir / "run.json").read_text(encoding="utf-8"))
    assert on_disk["status"] == "partial" and on_disk["browser_version"] == "141.0.7390.54"
    assert on_disk["counts"] == {"raised": 2, "rejected": 1} and "config" in on_disk
    with pytest.raises(ValueError, match="final status"):
        recorder.finish(RunStatus.RUNNING)


def test_worker_threads_may_update_counts_together(ledger: Ledger, logs_dir: Path) -> None:
    """Counts updated from several worker threads at once leave a valid record and run.json."""
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                recorder.update_counts({"raised": n * 10 + i})
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    on_disk = json.loads((recorder.run_dir / "run.json").read_text(encoding="utf-8"))
    stored = get_run(ledger, recorder.record.run_id)
    assert stored is not None and stored.counts == on_disk["counts"] == recorder.record.counts
    assert sorted(p.name for p in recorder.run_dir.iterdir()) == ["run.json"]


def test_list_runs_newest_first_with_filters(ledger: Ledger, logs_dir: Path) -> None:
    """list_runs() returns the newest first and filters by flow and status."""
    finished = []
    for flow in (FLOW, "sync-suppliers", FLOW):
        recorder = RunRecorder(ledger, logs_dir)
        recorder.start(flow=flow, trigger=detect_trigger(), target_url=None, settings={})
        finished.append(recorder.finish(RunStatus.SUCCEEDED))

    assert [r.run_id for r in list_runs(ledger)] == [r.run_id for r in reversed(finished)]
    assert [r.run_id for r in list_runs(ledger, flow=FLOW)] == [
        finished[2].run_id,
        finished[0].run_id,
    ]
    assert list_runs(ledger, status=RunStatus.RUNNING) == []
    assert get_run(ledger, "no-such-run") is None


def test_a_reused_pid_or_other_host_is_judged_correctly(ledger: Ledger, logs_dir: Path) -> None:
    """A live run and another host's run stay running; a run whose pid was reused is aborted."""
    mine = RunRecorder(ledger, logs_dir)
    mine.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    reused = RunRecorder(ledger, logs_dir)
    reused.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    elsewhere = RunRecorder(ledger, logs_dir)
    elsewhere.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    with ledger.engine.begin() as conn:
        # Same pid, but the process started at another time: the pid was reused.
        conn.execute(
            update(runs).where(runs.c.run_id == reused.record.run_id).values(process_start="1")
        )
        conn.execute(
            update(runs)
            .where(runs.c.run_id == elsewhere.record.run_id)
            .values(host="another-host", pid=2**22 + 7)
        )

    aborted = abort_dead_runs(ledger)

    assert [r.run_id for r in aborted] == [reused.record.run_id]
    statuses = {r.run_id: r.status for r in list_runs(ledger)}
    assert statuses[mine.record.run_id] is RunStatus.RUNNING
    assert statuses[elsewhere.record.run_id] is RunStatus.RUNNING


CHILD_RUN = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from rpa.ledger import ItemScope, ItemState, Ledger
    from rpa.runs import RunRecorder
    from rpa.trigger import detect_trigger

    url, logs = sys.argv[1], Path(sys.argv[2])
    ledger = Ledger(url)
    run = RunRecorder(ledger, logs).start(
        flow="raise-purchase-orders", trigger=detect_trigger("nightly-po"),
        target_url=None, settings={},
    )
    flow, rid = ItemScope("raise-purchase-orders", "sandbox:test"), run.run_id
    for key in ("REQ-1", "REQ-2", "REQ-3"):
        ledger.register(flow, key, source_file="r.csv", content_hash="h", run_id=rid)
    ledger.claim(flow, "REQ-1", run_id=rid, worker="w1")
    ledger.transition(flow, "REQ-1", ItemState.CREATED, run_id=rid, reference="1001")
    ledger.transition(flow, "REQ-1", ItemState.SUBMITTING, run_id=rid)
    ledger.claim(flow, "REQ-2", run_id=rid, worker="w2")
    print(rid, flush=True)
    sys.stdin.readline()  # held mid-item until the test kills it
    """
)


@pytest.mark.slow
def test_a_killed_run_is_aborted_and_its_items_resumed(
    ledger: Ledger, ledger_url: str, logs_dir: Path
) -> None:
    """A run killed mid-item: the next run marks it aborted and re-claims its items as unknown."""
    url = ledger_url
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_RUN, url, str(logs_dir)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    dead_run = child.stdout.readline().strip()
    assert get_run(ledger, dead_run) is not None
    assert [r.run_id for r in abort_dead_runs(ledger)] == []  # still alive: left alone
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdin.close()
    child.stdout.close()

    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    aborted = abort_dead_runs(ledger)
    released = ledger.release_stale(SCOPE, run_id=recorder.record.run_id)

    assert [r.run_id for r in aborted] == [dead_run]
    record = get_run(ledger, dead_run)
    assert record is not None and record.status is RunStatus.ABORTED
    assert record.message and str(child.pid) in record.message
    run_json = json.loads((logs_dir / "runs" / dead_run / "run.json").read_text("utf-8"))
    assert run_json["status"] == "aborted" and run_json["ended_at"]
    assert sorted(i.item_key for i in released) == ["REQ-1", "REQ-2"]
    resumed = ledger.claim(SCOPE, "REQ-1", run_id=recorder.record.run_id, worker="w1")
    assert resumed is not None and resumed.outcome_unknown
    assert resumed.item.reference == "1001"
    fresh = ledger.claim(SCOPE, "REQ-3", run_id=recorder.record.run_id, worker="w1")
    assert fresh is not None and not fresh.outcome_unknown
    assert ledger.counts(SCOPE)[ItemState.ABANDONED] == 1  # REQ-2, not yet re-claimed
