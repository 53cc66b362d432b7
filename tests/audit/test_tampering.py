"""Each kind of tampering with the trail is detected, and the first damaged record is named.

The tampering is done the way someone with access to the database and files would do it: SQL
through the database's own driver (sqlite3 on the ledger file, psycopg on the PostgreSQL
database), and plain file writes in the logs directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpa.audit.digests import digest_file
from rpa.audit.problems import ProblemKind
from rpa.audit.verify import VerificationReport, verify_trail
from rpa.ledger import Ledger
from rpa.ledger.canonical import event_hash
from tests.audit.trail_support import BuiltRun, Item, build_run
from tests.ledger_backends import Sql


@pytest.fixture
def runs(ledger: Ledger, logs_dir: Path) -> list[BuiltRun]:
    """Two finished runs with raised, rejected and failed items and their evidence."""
    return [
        build_run(
            ledger,
            logs_dir,
            [
                Item("REQ-2026-0001", "raised", "100231"),
                Item("REQ-2026-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
            ],
        ),
        build_run(
            ledger,
            logs_dir,
            [
                Item("REQ-2026-0003", "raised", "100232"),
                Item("REQ-2026-0004", "failed", message="Timed out waiting for the page"),
            ],
            operator="a.jones",
        ),
    ]


def _seq_of(sql: Sql, kind: str, subject: str) -> int:
    rows = sql("SELECT seq FROM audit_events WHERE kind = ? AND subject = ?", kind, subject)
    return int(str(rows[0][0]))


def _rehash(sql: Sql, seq: int) -> str:
    """Recompute one record's hash from its (tampered) columns, as a careful tamperer would."""
    row = sql(
        "SELECT seq, at, run_id, flow, kind, subject, reference, payload, prev_hash "
        "FROM audit_events WHERE seq = ?",
        seq,
    )[0]
    at = str(row[1]).replace(" ", "T") + "+00:00"
    fields = dict(
        zip(
            ("seq", "at", "run_id", "flow", "kind", "subject", "reference"),
            (row[0], at, *row[2:7]),
            strict=True,
        )
    )
    fields.update(payload=json.loads(str(row[7])), prev_hash=row[8])
    new = event_hash(fields)
    sql("UPDATE audit_events SET hash = ? WHERE seq = ?", new, seq)
    return new


def _verify(ledger: Ledger, logs_dir: Path) -> VerificationReport:
    report = verify_trail(ledger.engine, logs_dir)
    assert not report.ok, "the tampering went unnoticed"
    return report


def test_an_edited_record_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Changing Oracle's message in an item result is reported as that record, edited."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0002")
    sql(
        "UPDATE audit_events SET payload = replace(payload, 'inactive', 'active') WHERE seq = ?",
        seq,
    )
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq, first.run_id, first.event_kind) == (
        ProblemKind.EDITED,
        seq,
        runs[0].record.run_id,
        "item.result",
    )
    assert f"seq {seq} (run {runs[0].record.run_id}, item.result) was edited" in first.message


def test_an_edited_and_rehashed_record_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Recomputing the edited record's own hash does not help: the next record's link names it."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0001")
    sql("UPDATE audit_events SET reference = '999999' WHERE seq = ?", seq)
    _rehash(sql, seq)
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq) == (ProblemKind.EDITED, seq)
    assert "edited and its hash recomputed" in first.message


def test_a_deleted_record_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Deleting a record leaves a gap that is reported with its seq."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0004")
    sql("DELETE FROM audit_events WHERE seq = ?", seq)
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq) == (ProblemKind.DELETED, seq + 1)
    assert f"record seq {seq} deleted" in first.message


def test_a_deletion_hidden_by_renumbering_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Closing the gap by renumbering the later records is still reported as a deletion."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0002")
    sql("DELETE FROM audit_events WHERE seq = ?", seq)
    sql("UPDATE audit_events SET seq = seq - 1 WHERE seq > ?", seq)
    sql("UPDATE audit_head SET seq = seq - 1")
    report = _verify(ledger, logs_dir)
    first = report.problems[0]
    assert (first.kind, first.seq) == (ProblemKind.DELETED, seq)
    assert f"record seq {seq} of the original chain deleted" in first.message
    chain_problems = [
        p
        for p in report.problems
        if p.kind in (ProblemKind.EDITED, ProblemKind.INSERTED, ProblemKind.REORDERED)
    ]
    assert chain_problems == []  # the renumbered records are not reported one by one


def test_an_inserted_record_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """A record slipped into the middle (later ones renumbered to make room) is named inserted."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0001")
    prev_hash, run_id = sql("SELECT prev_hash, run_id FROM audit_events WHERE seq = ?", seq)[0]
    sql("UPDATE audit_events SET seq = -seq WHERE seq >= ?", seq)
    sql("UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0")
    sql(
        "INSERT INTO audit_events (seq, at, run_id, flow, kind, subject, reference, payload, "
        "prev_hash, hash) VALUES (?, '2026-11-29 10:00:00.000000', ?, 'raise-purchase-orders', "
        "'item.result', 'REQ-2026-0099', '100999', '{\"status\":\"raised\"}', ?, ?)",
        seq,
        run_id,
        prev_hash,
        "f" * 64,
    )
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq) == (ProblemKind.INSERTED, seq)
    assert "was inserted" in first.message


def test_a_record_appended_behind_the_suites_back_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """A well-formed record added after the chain head the suite recorded is named inserted."""
    head_seq, head_hash = sql("SELECT seq, hash FROM audit_head")[0]
    seq = int(str(head_seq)) + 1
    sql(
        "INSERT INTO audit_events (seq, at, run_id, flow, kind, subject, reference, payload, "
        "prev_hash, hash) VALUES (?, '2026-11-29 10:00:00.000000', NULL, NULL, 'step', NULL, "
        "NULL, '{\"action\":\"nothing to see\"}', ?, 'x')",
        seq,
        head_hash,
    )
    _rehash(sql, seq)
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq) == (ProblemKind.INSERTED, seq)
    assert f"ends at seq {seq - 1}" in first.message


def test_reordered_records_are_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Swapping two records' places is reported as a reordering at the first of them."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0003")
    sql("UPDATE audit_events SET seq = -1 WHERE seq = ?", seq)
    sql("UPDATE audit_events SET seq = ? WHERE seq = ?", seq, seq + 1)
    sql("UPDATE audit_events SET seq = ? WHERE seq = -1", seq + 1)
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.seq) == (ProblemKind.REORDERED, seq)
    assert f"written after the record now at seq {seq + 1}" in first.message


def test_records_cut_from_the_end_are_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Deleting the newest records is caught by the chain head and the last run's digest."""
    head = int(str(sql("SELECT seq FROM audit_head")[0][0]))
    sql("DELETE FROM audit_events WHERE seq > ?", head - 2)
    report = _verify(ledger, logs_dir)
    assert report.problems[0].kind is ProblemKind.DELETED
    assert f"records seq {head - 1}–{head} deleted from the end" in report.problems[0].message


def test_a_rewritten_chain_is_caught_by_the_digests(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Editing a record and re-hashing everything after it still contradicts the sealed digest."""
    seq = _seq_of(sql, "item.result", "REQ-2026-0002")
    sql(
        "UPDATE audit_events SET payload = replace(payload, 'rejected', 'raised') WHERE seq = ?",
        seq,
    )
    head = int(str(sql("SELECT seq FROM audit_head")[0][0]))
    new = _rehash(sql, seq)
    for later in range(seq + 1, head + 1):
        sql("UPDATE audit_events SET prev_hash = ? WHERE seq = ?", new, later)
        new = _rehash(sql, later)
    sql("UPDATE audit_head SET hash = ?", new)
    report = _verify(ledger, logs_dir)
    # The first problem is the edited record itself, not the digest that sealed it.
    first = report.problems[0]
    assert (first.kind, first.seq, first.digest_no) == (ProblemKind.EDITED, seq, 1)
    assert "re-hashed to hide the edit" in first.message
    assert {p.kind for p in report.problems[1:]} == {ProblemKind.DIGEST_MISMATCH}
    assert "was rewritten after it was sealed" in report.problems[1].message


def test_a_record_inserted_far_beyond_the_head_is_named_inserted_not_a_gap(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """A record written at seq 1000 after a chain of some tens is an insertion: nothing between
    the head and it was ever written, so nothing was deleted."""
    head_seq, head_hash = sql("SELECT seq, hash FROM audit_head")[0]
    sql(
        "INSERT INTO audit_events (seq, at, run_id, flow, kind, subject, reference, payload, "
        "prev_hash, hash) VALUES (1000, '2026-11-29 10:00:00.000000', NULL, NULL, 'step', NULL, "
        "NULL, '{\"action\":\"nothing to see\"}', ?, 'x')",
        head_hash,
    )
    report = _verify(ledger, logs_dir)
    first = report.problems[0]
    assert (first.kind, first.seq) == (ProblemKind.INSERTED, 1000)
    assert f"ends at seq {head_seq}" in first.message
    assert not any(p.kind is ProblemKind.DELETED for p in report.problems)


def test_an_edited_digest_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Dropping a file from a digest's evidence list breaks the digest's hash."""
    sql("UPDATE audit_digests SET evidence = '[]' WHERE digest_no = 1")
    kinds = [p.kind for p in _verify(ledger, logs_dir).problems]
    assert kinds[0] is ProblemKind.DIGEST_EDITED


def test_an_edited_or_deleted_digest_file_is_named(
    ledger: Ledger, logs_dir: Path, runs: list[BuiltRun]
) -> None:
    """A digest file that differs from the database, or is gone, is reported."""
    path = digest_file(logs_dir, 2)
    content = json.loads(path.read_text())
    content["evidence"] = content["evidence"][:1]
    path.write_text(json.dumps(content))
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.digest_no) == (ProblemKind.DIGEST_EDITED, 2)
    assert "differs from the digest in the database" in first.message
    path.unlink()
    first = _verify(ledger, logs_dir).problems[0]
    assert (first.kind, first.digest_no) == (ProblemKind.DIGEST_DELETED, 2)


def test_a_deleted_digest_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, runs: list[BuiltRun]
) -> None:
    """Deleting the newest digest row is caught by the chain head and its remaining file."""
    sql("DELETE FROM audit_digests WHERE digest_no = 2")
    report = _verify(ledger, logs_dir)
    assert {p.kind for p in report.problems} == {ProblemKind.DIGEST_DELETED}
    assert any("digests 2–2 were deleted" in p.message for p in report.problems)


def test_a_changed_evidence_file_is_named(
    ledger: Ledger, logs_dir: Path, runs: list[BuiltRun]
) -> None:
    """Overwriting a confirmation screenshot is reported with the file's path."""
    shot = runs[1].evidence["REQ-2026-0003"][0]
    shot.write_bytes(shot.read_bytes() + b"\x00")
    report = _verify(ledger, logs_dir)
    assert {p.kind for p in report.problems} == {ProblemKind.EVIDENCE_CHANGED}
    name = f"runs/{runs[1].record.run_id}/evidence/REQ-2026-0003-confirmation.png"
    assert report.problems[0].path == name and name in report.problems[0].message
    assert report.problems_for(runs[1].record.run_id) and not report.problems_for(
        runs[0].record.run_id
    )


def test_a_deleted_evidence_file_is_named(
    ledger: Ledger, logs_dir: Path, runs: list[BuiltRun]
) -> None:
    """Deleting a trace without a recorded prune is reported as missing evidence."""
    trace = runs[0].evidence["REQ-2026-0002"][1]
    trace.unlink()
    first = _verify(ledger, logs_dir).problems[0]
    assert first.kind is ProblemKind.EVIDENCE_MISSING
    assert "REQ-2026-0002-trace.zip is missing and no prune recorded its deletion" in (
        first.message
    )


def test_an_added_evidence_file_is_named(
    ledger: Ledger, logs_dir: Path, runs: list[BuiltRun]
) -> None:
    """A screenshot slipped into a sealed run's evidence folder is reported as added."""
    forged = runs[0].record.run_dir and Path(runs[0].record.run_dir) / "evidence" / "REQ-X.png"
    assert forged
    forged.write_bytes(b"\x89PNG forged")
    first = _verify(ledger, logs_dir).problems[0]
    assert first.kind is ProblemKind.EVIDENCE_ADDED and first.path is not None
    assert first.path.endswith("/evidence/REQ-X.png")
