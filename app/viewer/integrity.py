"""Integrity status for the viewer's pages, computed from a real verification of the trail.

Verifying the whole trail reads every record and hashes every evidence file: seconds, once
months of runs accumulate. The runs page therefore reuses its last whole-trail check while the
chain head is unchanged, for at most :data:`MAX_REPORT_AGE_S`, and remembers each evidence
file's hash by (path, size, modification time). A run's own page always verifies that run
afresh; ``rpa audit verify`` is the authoritative check.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, select

from rpa.audit.verify import VerificationReport, verify_trail
from rpa.ledger.canonical import sha256_file
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import audit_head
from rpa.run_record import RunRecord, RunStatus

MAX_REPORT_AGE_S = 300.0


class CachedHasher:
    """sha256 of files, remembered until a file's size or modification time changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._known.get(key)
        if known is None:
            known = sha256_file(path)
            with self._lock:
                self._known[key] = known
        return known


class TrailCheck:
    """The whole trail's verification, redone when the chain grows or the last one is too old."""

    def __init__(self, engine: Engine, logs_dir: Path, max_age_s: float = MAX_REPORT_AGE_S) -> None:
        self._engine = engine
        self._logs_dir = logs_dir
        self._max_age_s = max_age_s
        self._hasher = CachedHasher()
        self._lock = threading.Lock()
        self._last: tuple[tuple[object, ...], float, VerificationReport] | None = None

    def _head(self) -> tuple[object, ...]:
        with read_transaction(self._engine) as conn:
            row = conn.execute(select(audit_head)).first()
        return tuple(row) if row is not None else ()

    def report(self) -> VerificationReport:
        with self._lock:  # one check at a time; concurrent page loads wait for its result
            head = self._head()
            now = time.monotonic()
            if self._last is not None:
                seen, at, report = self._last
                if seen == head and now - at < self._max_age_s:
                    return report
            report = verify_trail(self._engine, self._logs_dir, file_hash=self._hasher)
            self._last = (head, now, report)
            return report


def run_status(report: VerificationReport, record: RunRecord) -> tuple[str, str]:
    """(label, explanation) of one run's integrity, from a verification covering it."""
    problems = report.problems_for(record.run_id)
    if problems:
        return "tampered", f"{len(problems)} problem(s); first: {problems[0].message}"
    if record.status is RunStatus.RUNNING:
        return "running", "the run is still going: its digest is written when it ends"
    if record.run_id not in report.sealed_runs:
        return "not sealed", (
            "the run has no digest (recorded before the audit trail existed, "
            "or its process ended without closing it)"
        )
    pruned = [p for p in report.pruned if p.path.startswith(f"runs/{record.run_id}/")]
    extra = f"; {len(pruned)} file(s) pruned by retention" if pruned else ""
    return "intact", f"records, digest and evidence verified{extra}"
