"""The audit chain after real runs: linked records, digests, parallel workers and processes."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from rpa.audit.digests import digest_file
from rpa.audit.verify import UnknownRunError, verify_trail
from rpa.ledger import IllegalTransitionError, ItemState, Ledger
from rpa.ledger.database import read_transaction, write_transaction
from rpa.ledger.schema import SCHEMA_VERSION, audit_events, schema_version
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from tests.audit.trail_support import (
    FLOW,
    SCOPE,
    SETTINGS,
    TARGET,
    Item,
    build_run,
    process_item,
    trigger,
)

REPO = Path(__file__).resolve().parents[2]
RELEASE_0_1_LEDGER = REPO / "tests" / "fixtures" / "release_0_1_home" / "state" / "ledger.sqlite3"


def _rows(ledger: Ledger) -> list[dict[str, object]]:
    with read_transaction(ledger.engine) as conn:
        return [
            dict(r)
            for r in conn.execute(select(audit_events).order_by(audit_events.c.seq))
            .mappings()
            .all()
        ]


def test_a_run_records_every_step_and_its_digest(ledger: Ledger, logs_dir: Path) -> None:
    """A run's start, every item move, each item's result and its end are chained, then sealed."""
    built = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-2026-0001", "raised", "100231"),
            Item("REQ-2026-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
        ],
    )
    rows = _rows(ledger)
    kinds = [r["kind"] for r in rows]
    assert kinds[0] == "run.started" and kinds[1] == "run.browser"
    assert kinds[-1] == "run.finished"
    assert kinds.count("item.result") == 2
    # register, claim, created, submitting, done + register, claim, rejected
    assert kinds.count("item.transition") == 8
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"]

    raised = next(r for r in rows if r["kind"] == "item.result" and r["subject"] == "REQ-2026-0001")
    payload = json.loads(str(raised["payload"]))
    assert raised["reference"] == "100231" and payload["reference"] == "100231"
    assert payload["details"] == {"action": "raise purchase order"}
    moves = [json.loads(str(r["payload"])) for r in rows if r["kind"] == "item.transition"]
    assert {m["target"] for m in moves} == {TARGET}  # each ledger move names its Oracle
    assert [m["reference"] for m in moves[:5]] == [None, None, "100231", "100231", "100231"]
    shot = built.evidence["REQ-2026-0001"][0]
    assert payload["evidence"] == [
        {
            "path": f"runs/{built.record.run_id}/evidence/REQ-2026-0001-confirmation.png",
            "sha256": hashlib.sha256(shot.read_bytes()).hexdigest(),
            "size": shot.stat().st_size,
        }
    ]

    sealed = json.loads(digest_file(logs_dir, 1).read_text())
    assert sealed["run_id"] == built.record.run_id and sealed["last_seq"] == rows[-1]["seq"]
    assert sealed["head_hash"] == rows[-1]["hash"] and sealed["run_event_count"] == len(rows)
    assert len(sealed["evidence"]) == 3  # confirmation, failure screenshot, trace

    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems
    assert (report.events_checked, report.digests_checked, report.evidence_checked) == (
        len(rows),
        1,
        3,
    )
    assert report.undigested_events == 0


def test_hashes_can_be_recomputed_from_the_documented_format(
    ledger: Ledger, logs_dir: Path
) -> None:
    """An auditor with only hashlib and json recomputes every record's hash (docs/audit.md)."""
    build_run(ledger, logs_dir, [Item("REQ-1", "raised", "1001")])
    previous = "0" * 64
    for row in _rows(ledger):
        at = row["at"]
        assert isinstance(at, datetime.datetime)
        fields = {
            "seq": row["seq"],
            "at": at.isoformat(timespec="microseconds"),
            "run_id": row["run_id"],
            "flow": row["flow"],
            "kind": row["kind"],
            "subject": row["subject"],
            "reference": row["reference"],
            "payload": json.loads(str(row["payload"])),
            "prev_hash": previous,
        }
        data = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(data.encode()).hexdigest() == row["hash"]
        previous = str(row["hash"])


def test_a_refused_ledger_change_leaves_no_audit_record(ledger: Ledger, logs_dir: Path) -> None:
    """The record is appended in the ledger change's transaction: a refused move adds nothing."""
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=trigger(), target_url=None, settings=SETTINGS)
    run_id = recorder.record.run_id
    ledger.register(SCOPE, "REQ-1", source_file=None, content_hash="h", run_id=run_id)
    before = len(_rows(ledger))
    with pytest.raises(IllegalTransitionError):
        ledger.transition(SCOPE, "REQ-1", ItemState.DONE, run_id=run_id, reference="1")
    assert len(_rows(ledger)) == before


def test_parallel_worker_threads_keep_one_unbroken_chain(ledger: Ledger, logs_dir: Path) -> None:
    """Eight worker threads of one run append at once; every record links to its predecessor."""
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=trigger(), target_url=None, settings=SETTINGS)
    items = [
        Item(
            f"REQ-{n:04d}",
            "raised" if n % 3 else "failed",
            f"{100000 + n}",
            message="Timed out waiting for the page",
        )
        for n in range(1, 25)
    ]
    errors: list[BaseException] = []

    def work(share: list[Item], name: str) -> None:
        try:
            for item in share:
                process_item(ledger, recorder, item, name)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(items[i::8], f"w{i + 1}"), name=f"w{i + 1}")
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recorder.finish(RunStatus.PARTIAL, {"raised": 16, "failed": 8})
    rows = _rows(ledger)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    workers = {
        json.loads(str(r["payload"])).get("worker") for r in rows if r["kind"] == "item.result"
    }
    assert workers == {f"w{i}" for i in range(1, 9)}
    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems
    assert report.evidence_checked == 16 + 8 * 2


_PROCESS_SCRIPT = """
import sys
from pathlib import Path
from rpa.ledger import Ledger
from tests.audit.trail_support import Item, build_run
url, home, tag = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
with Ledger(url) as ledger:
    build_run(ledger, home / "logs", [
        Item(f"{tag}-{n}", "raised" if n % 2 else "rejected", f"{tag}{n}", message="Bad site")
        for n in range(4)
    ], operator=tag)
"""


@pytest.mark.slow
def test_concurrent_processes_keep_one_unbroken_chain(
    ledger: Ledger, ledger_url: str, home: Path, logs_dir: Path
) -> None:
    """Four processes run at once on one ledger; the chain stays whole and every run is sealed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS_SCRIPT, ledger_url, str(home), f"P{n}"],
            env=env,
            cwd=REPO,
        )
        for n in range(4)
    ]
    assert [child.wait(timeout=240) for child in children] == [0, 0, 0, 0]
    rows = _rows(ledger)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["run_id"] for r in rows}) == 4
    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems
    assert report.digests_checked == 4 and len(report.sealed_runs) == 4


def test_one_runs_verification_covers_its_records_and_neighbours(
    ledger: Ledger, logs_dir: Path
) -> None:
    """verify --run checks that run's records, digest and evidence; an unknown run is refused."""
    first = build_run(ledger, logs_dir, [Item("REQ-1", "raised", "1001")])
    second = build_run(ledger, logs_dir, [Item("REQ-2", "failed", message="Timed out")])
    report = verify_trail(ledger.engine, logs_dir, run_id=second.record.run_id)
    assert report.ok, report.problems
    assert report.digests_checked == 1 and report.evidence_checked == 2
    first_rows = [r for r in _rows(ledger) if r["run_id"] == first.record.run_id]
    assert report.first_seq == first_rows[-1]["seq"]  # the link into the run is checked too
    with pytest.raises(UnknownRunError, match="no run"):
        verify_trail(ledger.engine, logs_dir, run_id="20990101T000000Z-000000")


def test_a_database_of_the_first_schema_gains_the_chain(home: Path, logs_dir: Path) -> None:
    """A ledger written before the audit trail existed is upgraded in place; the chain starts.

    Schema 1 is schema 2 without the audit tables: the release 0.1 fixture without them.
    """
    path = home / "state" / "old.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RELEASE_0_1_LEDGER, path)
    with sqlite3.connect(path) as raw:
        for table in ("audit_digests", "audit_events", "audit_head"):
            raw.execute(f"DROP TABLE {table}")
        raw.execute("UPDATE schema_version SET version = 1")
    raw.close()
    with Ledger(f"sqlite:///{path}") as ledger:
        with read_transaction(ledger.engine) as conn:
            assert conn.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION
        (upgraded,) = _rows(ledger)  # the chain starts with the upgrade itself
        assert json.loads(str(upgraded["payload"])) == {
            "action": "ledger schema upgraded",
            "from": 1,
            "to": SCHEMA_VERSION,
        }
        build_run(ledger, logs_dir, [Item("REQ-1", "raised", "1001")])
        assert verify_trail(ledger.engine, logs_dir).ok


def test_aborting_a_dead_run_seals_it(ledger: Ledger, logs_dir: Path) -> None:
    """A run found dead is closed in the chain with a digest of the evidence it left."""
    from rpa.ledger.schema import runs
    from rpa.runs import abort_dead_runs

    built = build_run(
        ledger, logs_dir, [Item("REQ-1", "failed", message="Browser crashed")], finish=False
    )
    with write_transaction(ledger.engine) as conn:  # a pid that is certainly not running
        conn.execute(update(runs).values(pid=2**22 + 17, process_start="1"))
        conn.execute(delete(audit_events).where(audit_events.c.seq < 0))
    closed = abort_dead_runs(ledger, host="rpa-host-1")
    assert [r.run_id for r in closed] == [built.record.run_id]
    report = verify_trail(ledger.engine, logs_dir, run_id=built.record.run_id)
    assert report.ok, report.problems
    assert report.digests_checked == 1 and report.evidence_checked == 2
    finished = [r for r in _rows(ledger) if r["kind"] == "run.finished"]
    assert "abort_dead_runs" in json.loads(str(finished[0]["payload"]))["closed_by"]


def test_odd_values_never_stop_a_ledger_change(ledger: Ledger, logs_dir: Path) -> None:
    """Values JSON cannot hold (NaN, dates, tuple keys) are written as text, and still verify."""
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=trigger(), target_url=None, settings=SETTINGS)
    event = recorder.record_item(
        "SUP-1",
        "updated",
        reference="4471",
        details={
            "action": "update supplier",
            "before": {"credit_limit": float("nan"), "since": datetime.date(2026, 4, 1)},
            "after": {("site", "NORWICH"): "active"},  # a key JSON lacks
        },
    )
    assert event.payload["details"]["before"] == {"credit_limit": "nan", "since": "2026-04-01"}
    assert event.payload["details"]["after"] == {"('site', 'NORWICH')": "active"}
    recorder.finish(RunStatus.SUCCEEDED, {"updated": 1})
    assert verify_trail(ledger.engine, logs_dir).ok
