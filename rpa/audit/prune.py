"""``rpa audit prune``: delete evidence files and debug logs older than the retention period.

The retention rule (:class:`RetentionRule`) gives a cutoff. By default it is the council's
schedule for purchase-order and supplier records, the current year plus six: a run that ended
in year Y keeps its evidence through 31 December of Y + ``audit.retention_years`` (6) and may be
pruned from the 1 January after, the years counted on the UK calendar (Europe/London; January
is GMT, so the boundary is also midnight UTC). ``audit.retention_days``, when an operator sets it,
replaces that with a plain number of days.

What is pruned: the evidence folder and ``events.jsonl`` of every run that ended before the
cutoff, and scheduled runs' console output (``<logs>/scheduler/runs/``) last written before
it. What is never pruned: the audit chain and its digests (in the database and under
``<logs>/audit/``), run records (``run.json``), results files.

The prune is recorded before anything is deleted: one ``audit.pruned`` event listing every file
with its SHA-256, sealed by a digest. Verification then reports those files as pruned, not
missing. A file whose bytes no longer match the hash the trail recorded is not pruned: deleting
it would hide the change, so it stays for verification to report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from rpa.audit.continuity import refuse_if_behind
from rpa.audit.digests import Digest, digests_of, save_digest_file, write_digest
from rpa.audit.evidence import files_in, relative_name, run_evidence_dir
from rpa.audit.evidence_check import recorded_evidence
from rpa.ledger.canonical import sha256_file
from rpa.ledger.chain import ChainEvent, append_event, lock_chain_head
from rpa.ledger.database import read_transaction, write_transaction
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import RUN_STATUS_RUNNING, audit_events, runs, utc_now
from rpa.run_record import EVENTS_JSONL, run_dir

SCHEDULER_OUTPUT = Path("scheduler") / "runs"
# The calendar the years of the retention rule are counted on: the council's.
RETENTION_ZONE = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class RetentionRule:
    """How long evidence is kept: whole calendar years after the year a run ended (``years``),
    or, when ``days`` is set, that many days after it ended."""

    years: int = 6
    days: int | None = None

    def cutoff(self, now: datetime) -> datetime:
        """The moment (UTC) before which a run's evidence may go."""
        if self.days is not None:
            return now - timedelta(days=self.days)
        this_year = now.astimezone(RETENTION_ZONE).year
        first_kept = datetime(this_year - self.years, 1, 1, tzinfo=RETENTION_ZONE)
        return first_kept.astimezone(UTC)

    def describe(self) -> str:
        """The rule in words, for the prune's output and its record."""
        if self.days is not None:
            return f"kept {self.days} days after the run ended (audit.retention_days)"
        return (
            f"kept for the year the run ended plus {self.years} calendar year(s), UK time "
            "(audit.retention_years)"
        )


@dataclass(frozen=True)
class PruneFile:
    """One file retention deletes (or would, in a dry run)."""

    path: str  # relative to the logs directory
    sha256: str
    size: int
    category: str  # "evidence" or "debug_log"
    run_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "category": self.category,
            "run_id": self.run_id,
        }


@dataclass
class PruneResult:
    """What a prune did (or, in a dry run, would do)."""

    rule: RetentionRule
    cutoff: datetime
    dry_run: bool
    files: list[PruneFile] = field(default_factory=list)
    kept_changed: list[str] = field(default_factory=list)  # changed since recorded: kept
    event_seq: int | None = None
    digest_no: int | None = None

    @property
    def retention_days(self) -> int | None:
        return self.rule.days

    def as_dict(self) -> dict[str, Any]:
        return {
            "retention_days": self.rule.days,
            "retention_years": None if self.rule.days is not None else self.rule.years,
            "rule": self.rule.describe(),
            "cutoff": self.cutoff.isoformat(),
            "dry_run": self.dry_run,
            "files": [f.as_dict() for f in self.files],
            "kept_changed": self.kept_changed,
            "event_seq": self.event_seq,
            "digest_no": self.digest_no,
        }


def _old_runs(engine: Engine, cutoff: datetime) -> list[str]:
    ended = func.coalesce(runs.c.ended_at, runs.c.started_at)
    stmt = select(runs.c.run_id).where(runs.c.status != RUN_STATUS_RUNNING, ended < cutoff)
    with read_transaction(engine) as conn:
        return [row[0] for row in conn.execute(stmt).all()]


def _recorded_hashes(engine: Engine, run_ids: list[str]) -> dict[str, set[str]]:
    """For each evidence file of these runs, every hash the trail recorded for it."""
    if not run_ids:
        return {}
    stmt = select(audit_events).where(
        audit_events.c.kind == EventKind.ITEM_RESULT.value, audit_events.c.run_id.in_(run_ids)
    )
    with read_transaction(engine) as conn:
        events = [ChainEvent.from_row(row) for row in conn.execute(stmt).mappings().all()]
        digests: list[Digest] = [d for d in digests_of(conn) if d.run_id in set(run_ids)]
    hashes: dict[str, set[str]] = defaultdict(set)
    for item in recorded_evidence(events, digests):
        hashes[item.path].add(item.sha256)
    return hashes


def _candidates(
    logs_dir: Path, run_ids: list[str], cutoff: datetime
) -> list[tuple[Path, str, str | None]]:
    found: list[tuple[Path, str, str | None]] = []
    for run_id in run_ids:
        folder = run_dir(logs_dir, run_id)
        found += [(p, "evidence", run_id) for p in files_in(run_evidence_dir(folder))]
        if (folder / EVENTS_JSONL).is_file():
            found.append((folder / EVENTS_JSONL, "debug_log", run_id))
    for path in files_in(logs_dir / SCHEDULER_OUTPUT):
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff:
            found.append((path, "debug_log", None))
    return found


def prune(
    engine: Engine,
    logs_dir: Path,
    retention_days: int | None = None,
    *,
    rule: RetentionRule | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PruneResult:
    """Apply the retention rule (``rule``, or ``retention_days`` days; the calendar-year rule
    when neither is given); record the prune in the chain before deleting anything."""
    if rule is None:
        rule = RetentionRule(days=retention_days)
    elif retention_days is not None:
        raise ValueError("give a retention rule or a number of days, not both")
    cutoff = rule.cutoff(now or utc_now())
    result = PruneResult(rule, cutoff, dry_run)
    run_ids = _old_runs(engine, cutoff)
    recorded = _recorded_hashes(engine, run_ids)
    for path, category, run_id in _candidates(logs_dir, run_ids, cutoff):
        name = relative_name(path, logs_dir)
        sha = sha256_file(path)
        if recorded.get(name, {sha}) != {sha}:
            result.kept_changed.append(name)
            continue
        result.files.append(PruneFile(name, sha, path.stat().st_size, category, run_id))
    if dry_run or not result.files:
        return result
    with write_transaction(engine) as conn:
        head = lock_chain_head(conn)
        # Its digest would overwrite digest files of a trail this ledger lost: refuse.
        refuse_if_behind(
            logs_dir,
            ledger=engine.url.render_as_string(hide_password=True),
            head_seq=int(head["seq"]),
            head_digest_no=int(head["digest_no"]),
        )
        event = append_event(
            conn,
            EventKind.PRUNED,
            {
                "retention_days": rule.days,
                "retention_years": None if rule.days is not None else rule.years,
                "rule": rule.describe(),
                "cutoff": cutoff.isoformat(),
                "files": [f.as_dict() for f in result.files],
                "kept_changed": result.kept_changed,
            },
            run_id=None,
            flow=None,
        )
        digest = write_digest(conn, reason="prune", run_id=None)
    result.event_seq, result.digest_no = event.seq, digest.digest_no
    save_digest_file(logs_dir, digest)
    for item in result.files:
        (logs_dir / item.path).unlink(missing_ok=True)
    for run_id in run_ids:
        folder = run_evidence_dir(run_dir(logs_dir, run_id))
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return result
