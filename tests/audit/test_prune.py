"""Retention: old evidence and debug logs are pruned, recorded, and verification still passes."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from rpa.audit.problems import ProblemKind
from rpa.audit.prune import prune
from rpa.audit.verify import verify_trail
from rpa.ledger import Ledger
from rpa.run_record import EVENTS_JSONL
from tests.audit.trail_support import BuiltRun, Item, backdate_run, build_run


def _two_runs(ledger: Ledger, logs_dir: Path) -> tuple[BuiltRun, BuiltRun]:
    old = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-2025-0001", "raised", "100001"),
            Item("REQ-2025-0002", "rejected", message="Supplier site is inactive"),
        ],
    )
    recent = build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    for built in (old, recent):  # what configure_logging writes during a run
        (Path(str(built.record.run_dir)) / EVENTS_JSONL).write_text('{"event": "run started"}\n')
    backdate_run(ledger, old.record.run_id, days=120)
    return old, recent


def test_pruning_keeps_verification_passing_and_says_what_was_pruned(
    ledger: Ledger, logs_dir: Path
) -> None:
    """Old evidence and logs go, are listed with their hashes, and verify reports them pruned."""
    old, recent = _two_runs(ledger, logs_dir)
    old_dir, recent_dir = Path(str(old.record.run_dir)), Path(str(recent.record.run_dir))
    scheduler_output = logs_dir / "scheduler" / "runs" / "nightly-po.out"
    scheduler_output.parent.mkdir(parents=True)
    scheduler_output.write_text("console output\n")
    a_year_ago = time.time() - 365 * 86400
    os.utime(scheduler_output, (a_year_ago, a_year_ago))

    result = prune(ledger.engine, logs_dir, retention_days=90)

    pruned = {f.path: f.category for f in result.files}
    assert pruned == {
        f"runs/{old.record.run_id}/evidence/REQ-2025-0001-confirmation.png": "evidence",
        f"runs/{old.record.run_id}/evidence/REQ-2025-0002-failure.png": "evidence",
        f"runs/{old.record.run_id}/evidence/REQ-2025-0002-trace.zip": "evidence",
        f"runs/{old.record.run_id}/events.jsonl": "debug_log",
        "scheduler/runs/nightly-po.out": "debug_log",
    }
    assert not (old_dir / "evidence").exists() and not (old_dir / EVENTS_JSONL).exists()
    assert not scheduler_output.exists()
    assert (old_dir / "run.json").is_file()  # the run record stays
    assert [p.name for p in (recent_dir / "evidence").iterdir()] == [
        "REQ-2026-0001-confirmation.png"
    ]
    assert (recent_dir / EVENTS_JSONL).is_file()
    assert result.event_seq is not None and result.digest_no == 3

    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems
    assert {p.path for p in report.pruned} == set(pruned)
    assert all(p.seq == result.event_seq for p in report.pruned)
    run_report = verify_trail(ledger.engine, logs_dir, run_id=old.record.run_id)
    assert run_report.ok and len(run_report.pruned) == 4  # three evidence files and the log


def test_a_dry_run_deletes_nothing_and_records_nothing(ledger: Ledger, logs_dir: Path) -> None:
    """--dry-run lists the files but leaves them, and the chain, as they were."""
    _two_runs(ledger, logs_dir)
    head_before = verify_trail(ledger.engine, logs_dir).head_seq
    result = prune(ledger.engine, logs_dir, retention_days=90, dry_run=True)
    assert len(result.files) == 4 and result.event_seq is None
    assert all((logs_dir / f.path).is_file() for f in result.files)
    assert verify_trail(ledger.engine, logs_dir).head_seq == head_before


def test_nothing_recent_is_pruned(ledger: Ledger, logs_dir: Path) -> None:
    """Runs inside the retention period keep everything, and no prune record is written."""
    build_run(ledger, logs_dir, [Item("REQ-1", "raised", "1001")])
    result = prune(ledger.engine, logs_dir, retention_days=1)
    assert result.files == [] and result.event_seq is None


def test_a_changed_file_is_not_pruned_so_the_change_stays_visible(
    ledger: Ledger, logs_dir: Path
) -> None:
    """Evidence altered since it was recorded is kept: pruning it would hide the tampering."""
    old, _recent = _two_runs(ledger, logs_dir)
    shot = old.evidence["REQ-2025-0001"][0]
    shot.write_bytes(b"\x89PNG altered")
    result = prune(ledger.engine, logs_dir, retention_days=90)
    name = f"runs/{old.record.run_id}/evidence/REQ-2025-0001-confirmation.png"
    assert result.kept_changed == [name] and shot.is_file()
    report = verify_trail(ledger.engine, logs_dir)
    assert [(p.kind, p.path) for p in report.problems] == [(ProblemKind.EVIDENCE_CHANGED, name)]


def test_the_prune_record_is_itself_protected(ledger: Ledger, logs_dir: Path) -> None:
    """Editing the prune record to cover a file deleted by hand is detected."""
    _two_runs(ledger, logs_dir)
    result = prune(ledger.engine, logs_dir, retention_days=90)

    db = logs_dir.parent / "state" / "ledger.sqlite3"
    with sqlite3.connect(db) as conn:
        (payload,) = conn.execute(
            "SELECT payload FROM audit_events WHERE seq = ?", (result.event_seq,)
        ).fetchone()
        content = json.loads(payload)
        content["files"].append(
            {
                "path": "runs/x/evidence/y.png",
                "sha256": "0",
                "size": 1,
                "category": "evidence",
                "run_id": "x",
            }
        )
        conn.execute(
            "UPDATE audit_events SET payload = ? WHERE seq = ?",
            (json.dumps(content), result.event_seq),
        )
    conn.close()
    first = verify_trail(ledger.engine, logs_dir).problems[0]
    assert (first.kind, first.seq, first.event_kind) == (
        ProblemKind.EDITED,
        result.event_seq,
        "audit.pruned",
    )
