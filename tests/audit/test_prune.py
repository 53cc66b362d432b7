"""Retention: old evidence and debug logs are pruned, recorded, and verification still passes."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from sqlalchemy import select

from rpa.audit.problems import ProblemKind
from rpa.audit.prune import RetentionRule, prune
from rpa.audit.report_text import render_prune
from rpa.audit.verify import verify_trail
from rpa.ledger import Ledger
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import audit_events
from rpa.run_record import EVENTS_JSONL
from tests.audit.trail_support import BuiltRun, Item, build_run
from tests.ledger_backends import Sql


def _two_runs(ledger: Ledger, logs_dir: Path) -> tuple[BuiltRun, BuiltRun]:
    old = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-2025-0001", "raised", "100001"),
            Item("REQ-2025-0002", "rejected", message="Supplier site is inactive"),
        ],
        days_ago=120,
    )
    recent = build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    for built in (old, recent):  # what configure_logging writes during a run
        (Path(str(built.record.run_dir)) / EVENTS_JSONL).write_text('{"event": "run started"}\n')
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


def test_the_prune_record_is_itself_protected(ledger: Ledger, logs_dir: Path, sql: Sql) -> None:
    """Editing the prune record to cover a file deleted by hand is detected."""
    _two_runs(ledger, logs_dir)
    result = prune(ledger.engine, logs_dir, retention_days=90)

    ((payload,),) = sql("SELECT payload FROM audit_events WHERE seq = ?", result.event_seq)
    content = json.loads(str(payload))
    content["files"].append(
        {
            "path": "runs/x/evidence/y.png",
            "sha256": "0",
            "size": 1,
            "category": "evidence",
            "run_id": "x",
        }
    )
    sql("UPDATE audit_events SET payload = ? WHERE seq = ?", json.dumps(content), result.event_seq)
    first = verify_trail(ledger.engine, logs_dir).problems[0]
    assert (first.kind, first.seq, first.event_kind) == (
        ProblemKind.EDITED,
        result.event_seq,
        "audit.pruned",
    )


def _built_at(ledger: Ledger, logs_dir: Path, item: Item, moment: datetime) -> BuiltRun:
    """A whole run that started and ended at ``moment``, as its record and its audit records
    both say."""
    with patch("rpa.runs.utc_now", lambda: moment):
        return build_run(ledger, logs_dir, [item])


def _pruned_runs(ledger: Ledger, logs_dir: Path, now: datetime) -> set[str | None]:
    result = prune(ledger.engine, logs_dir, rule=RetentionRule(), now=now, dry_run=True)
    return {f.run_id for f in result.files}


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        (datetime(2026, 1, 1, 0, 0, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)),
        (datetime(2026, 7, 15, 12, 0, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)),
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)),
    ],
)
def test_the_default_rule_keeps_the_year_of_the_run_plus_six(
    now: datetime, cutoff: datetime
) -> None:
    """Records of a year are kept through the sixth year after it: in 2026 the cutoff is
    1 January 2020 (UK time, which is UTC in January), moving on at the New Year."""
    assert RetentionRule().cutoff(now) == cutoff
    assert RetentionRule(days=400).cutoff(now) == now - timedelta(days=400)  # days instead


def test_evidence_goes_on_the_first_of_january_seven_years_after_the_run(
    ledger: Ledger, logs_dir: Path
) -> None:
    """A run that ended late on 31 December 2019 is pruned from 1 January 2026; one that ended
    in the first minutes of 2020 waits until 1 January 2027."""
    end_of_2019 = _built_at(
        ledger,
        logs_dir,
        Item("REQ-2019-0950", "raised", "90950"),
        datetime(2019, 12, 31, 23, 59, tzinfo=UTC),
    )
    start_of_2020 = _built_at(
        ledger,
        logs_dir,
        Item("REQ-2020-0001", "raised", "90951"),
        datetime(2020, 1, 1, 0, 1, tzinfo=UTC),
    )
    old, new = end_of_2019.record.run_id, start_of_2020.record.run_id

    assert _pruned_runs(ledger, logs_dir, datetime(2025, 12, 31, 23, 59, tzinfo=UTC)) == set()
    assert _pruned_runs(ledger, logs_dir, datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == {old}
    assert _pruned_runs(ledger, logs_dir, datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == {old}
    assert _pruned_runs(ledger, logs_dir, datetime(2027, 1, 1, 0, 0, tzinfo=UTC)) == {old, new}


def test_a_dry_run_says_the_cutoff_and_the_rule(ledger: Ledger, logs_dir: Path) -> None:
    _built_at(
        ledger,
        logs_dir,
        Item("REQ-2019-0950", "raised", "90950"),
        datetime(2019, 6, 30, 12, 0, tzinfo=UTC),
    )
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    result = prune(ledger.engine, logs_dir, rule=RetentionRule(), now=now, dry_run=True)
    text = render_prune(result)
    assert text.splitlines()[:2] == [
        "Would prune 1 file(s) of runs that ended before 1 January 2020 (UK time).",
        "Rule: evidence is kept for the year the run ended plus 6 calendar year(s), UK time "
        "(audit.retention_years); the audit trail is never pruned.",
    ]
    document = result.as_dict()
    assert document["cutoff"] == "2020-01-01T00:00:00+00:00"
    assert (document["retention_years"], document["retention_days"]) == (6, None)

    days = prune(ledger.engine, logs_dir, rule=RetentionRule(days=400), now=now, dry_run=True)
    assert render_prune(days).startswith("Would prune 1 file(s) older than 400 days (before ")
    assert "kept 400 days after the run ended (audit.retention_days)" in render_prune(days)


def test_pruning_never_deletes_the_audit_chain_digests_or_run_records(
    ledger: Ledger, logs_dir: Path
) -> None:
    """Everything past retention: the evidence and logs go, while every record of the chain,
    every digest (row and file) and every run.json stays as it was; the prune itself is
    recorded in the chain with its rule."""
    may_2018 = datetime(2018, 5, 1, tzinfo=UTC)
    built = [
        _built_at(ledger, logs_dir, Item("REQ-2018-0001", "raised", "80001"), may_2018),
        _built_at(
            ledger, logs_dir, Item("REQ-2018-0002", "rejected", message="Bad site"), may_2018
        ),
    ]
    for one in built:
        (Path(str(one.record.run_dir)) / EVENTS_JSONL).write_text('{"event": "run started"}\n')
    with read_transaction(ledger.engine) as conn:
        chain_before = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
    digest_files = sorted((logs_dir / "audit").rglob("*.json"))
    records = {p: p.read_bytes() for p in logs_dir.rglob("run.json")}
    assert chain_before and digest_files and len(records) == 2

    result = prune(
        ledger.engine, logs_dir, rule=RetentionRule(), now=datetime(2026, 1, 5, tzinfo=UTC)
    )

    assert {f.category for f in result.files} == {"evidence", "debug_log"}
    with read_transaction(ledger.engine) as conn:
        chain_after = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
    assert chain_after[: len(chain_before)] == chain_before
    [prune_record] = chain_after[len(chain_before) :]
    payload = (
        json.loads(prune_record.payload)
        if isinstance(prune_record.payload, str)
        else (prune_record.payload)
    )
    assert payload["retention_years"] == 6 and payload["cutoff"] == "2020-01-01T00:00:00+00:00"
    assert all(path.is_file() for path in digest_files)
    assert {p: p.read_bytes() for p in logs_dir.rglob("run.json")} == records
    assert verify_trail(ledger.engine, logs_dir).ok
