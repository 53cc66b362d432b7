"""``rpa audit verify``: re-check the whole audit trail, or one run's part of it.

Checks, in order: the hash chain (every record, every link, the end against the chain head),
the digests (their hashes and links, the chain heads they sealed and every record's hash they
sealed, their files, and digest files the ledger does not reach), the evidence files (against
every hash recorded for them, allowing for files retention pruned), and the tables and
``run.json`` files the support tools show (against the chain's replay: rpa.audit.state_check).
The report lists every problem; the first in the list is the first damaged record in chain
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from rpa.audit.anchors import AnchorFile, check_anchors
from rpa.audit.chain_check import check_chain, check_tail
from rpa.audit.continuity import (
    files_ahead,
    missing_ledger_problem,
    rollback_problem,
)
from rpa.audit.digest_check import check_digest, check_digest_set, check_sealed_records
from rpa.audit.digests import Digest, digests_of
from rpa.audit.evidence_check import (
    FileHasher,
    check_evidence,
    check_unsealed_files,
    prune_index,
    recorded_evidence,
)
from rpa.audit.problems import Problem, ProblemKind, PrunedFile
from rpa.audit.state_check import check_items, check_runs
from rpa.ledger.canonical import GENESIS_HASH, sha256_file
from rpa.ledger.chain import ChainEvent
from rpa.ledger.database import read_transaction
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import audit_events, audit_head, runs, utc_now


class UnknownRunError(LookupError):
    """The run asked about has no records in the audit trail."""

    def __init__(self, run_id: str, known: bool) -> None:
        self.run_id = run_id
        super().__init__(
            f"Run {run_id} has no audit records: it was recorded before the audit trail existed."
            if known
            else f"There is no run {run_id!r} in the ledger."
        )


@dataclass
class VerificationReport:
    """What verification checked and found."""

    run_id: str | None  # None: the whole trail
    events_checked: int
    first_seq: int | None
    last_seq: int | None
    head_seq: int
    head_hash: str
    digests_checked: int
    evidence_checked: int
    undigested_events: int  # records after the last digest: sealed by the chain head only
    problems: list[Problem] = field(default_factory=list)
    anchors_checked: int = 0  # anchors kept outside the host the chain was checked against
    pruned: list[PrunedFile] = field(default_factory=list)
    sealed_runs: set[str] = field(default_factory=set)  # runs with a digest (in scope)
    checked_at: datetime = field(default_factory=utc_now)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def problems_for(self, run_id: str) -> list[Problem]:
        return [p for p in self.problems if p.run_id == run_id]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "run_id": self.run_id,
            "events_checked": self.events_checked,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "chain_head": {"seq": self.head_seq, "hash": self.head_hash},
            "digests_checked": self.digests_checked,
            "evidence_checked": self.evidence_checked,
            "undigested_events": self.undigested_events,
            "anchors_checked": self.anchors_checked,
            "problems": [p.as_dict() for p in self.problems],
            "pruned": [p.as_dict() for p in self.pruned],
            "sealed_runs": sorted(self.sealed_runs),
            "checked_at": self.checked_at.isoformat(),
        }


def _events(conn: Connection, low: int, high: int | None) -> list[ChainEvent]:
    stmt = select(audit_events).where(audit_events.c.seq >= low).order_by(audit_events.c.seq)
    if high is not None:
        stmt = stmt.where(audit_events.c.seq <= high)
    return [ChainEvent.from_row(row) for row in conn.execute(stmt).mappings().all()]


def _run_range(conn: Connection, run_id: str, digests: Sequence[Digest]) -> tuple[int, int]:
    low, high = conn.execute(
        select(func.min(audit_events.c.seq), func.max(audit_events.c.seq)).where(
            audit_events.c.run_id == run_id
        )
    ).one()
    sealed = [d for d in digests if d.run_id == run_id]
    lows = [v for v in [low, *(d.run_first_seq for d in sealed)] if v is not None]
    highs = [v for v in [high, *(d.last_seq for d in sealed)] if v is not None]
    if not lows:
        known = conn.execute(select(runs.c.run_id).where(runs.c.run_id == run_id)).first()
        raise UnknownRunError(run_id, known is not None)
    return min(lows), max(highs)


def verify_trail(
    engine: Engine,
    logs_dir: Path,
    *,
    run_id: str | None = None,
    file_hash: FileHasher = sha256_file,
    anchors: Sequence[AnchorFile] = (),
) -> VerificationReport:
    """Verify the whole trail, or (``run_id``) the run's records, digests and evidence;
    ``anchors`` are chain heads kept elsewhere, which the chain must still extend.

    A run's check covers the chain from the record before its first one to the record its
    digest sealed, so that records of other runs in between are checked too.
    """
    with read_transaction(engine) as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).mappings().first()
        head_seq = int(head["seq"]) if head else 0
        head_hash = head["hash"] if head else GENESIS_HASH
        all_digests = digests_of(conn)
        first_prev: str | None
        if run_id is None:
            events = _events(conn, 1, None)
            first_seq, first_prev = 1, GENESIS_HASH
        else:
            low, high = _run_range(conn, run_id, all_digests)
            events = _events(conn, max(1, low - 1), high)
            first_seq = max(1, low - 1)
            first_prev = GENESIS_HASH if first_seq == 1 else None
        prune_events = [
            ChainEvent.from_row(row)
            for row in conn.execute(
                select(audit_events)
                .where(audit_events.c.kind == EventKind.PRUNED.value)
                .order_by(audit_events.c.seq)
            )
            .mappings()
            .all()
        ]
        # What the tables and run.json files say, against what the chain recorded.
        began = events[0].at if events and events[0].seq == 1 else None
        state_problems = check_runs(conn, events, logs_dir, run_id=run_id, chain_began=began)
        if run_id is None:
            state_problems += check_items(conn, events, chain_began=began)

    trusted = {head_hash, *(d.head_hash for d in all_digests)}
    problems = check_chain(
        events,
        first_seq=first_seq,
        first_prev=first_prev,
        trusted_hashes=trusted,
        head_seq=head_seq,
    )
    if run_id is None or (events and events[-1].seq >= head_seq):
        problems += check_tail(events, head_seq, head_hash)

    by_seq = {e.seq: e for e in events}
    by_no = {d.digest_no: d for d in all_digests}
    digests = [d for d in all_digests if run_id is None or d.run_id == run_id]
    # Before the digests' own problems: the record where a re-hashed rewrite began comes first.
    problems += check_sealed_records(all_digests, by_seq, problems)
    for digest in digests:
        problems += check_digest(
            digest, predecessor=by_no.get(digest.digest_no - 1), events=by_seq, logs_dir=logs_dir
        )
    if run_id is None and head is not None:
        problems += check_digest_set(
            all_digests,
            head_digest_no=int(head["digest_no"]),
            head_digest_hash=head["digest_hash"],
            logs_dir=logs_dir,
        )
    if run_id is None:
        head_digest_no = int(head["digest_no"]) if head else 0
        ahead = files_ahead(logs_dir, head_digest_no)
        if ahead is not None:
            problems.insert(
                0,
                rollback_problem(
                    ahead, head_seq=head_seq, head_digest_no=head_digest_no, logs_dir=logs_dir
                ),
            )

    scoped = [e for e in events if run_id is None or e.run_id == run_id]
    recorded = recorded_evidence(scoped, digests)
    pruned_index = prune_index(prune_events)
    evidence_problems, pruned = check_evidence(recorded, pruned_index, logs_dir, file_hash)
    problems += evidence_problems
    problems += check_unsealed_files((d.run_id for d in digests if d.run_id), recorded, logs_dir)
    problems += state_problems
    anchor_problems = check_anchors(engine, anchors)
    # A rollback explains everything after it: first. A rewrite is named at its first record
    # by the checks above; the anchors it contradicts follow.
    problems[:0] = [p for p in anchor_problems if p.kind is ProblemKind.ROLLED_BACK]
    problems += [p for p in anchor_problems if p.kind is not ProblemKind.ROLLED_BACK]
    if run_id is None:
        pruned = sorted(pruned_index.values(), key=lambda p: p.path)
    else:
        prefix = f"runs/{run_id}/"
        pruned = sorted(
            {
                p.path: p
                for p in [*pruned, *(p for p in pruned_index.values() if p.path.startswith(prefix))]
            }.values(),
            key=lambda p: p.path,
        )

    last_sealed = max((d.last_seq for d in all_digests), default=0)
    return VerificationReport(
        run_id=run_id,
        events_checked=len(events),
        first_seq=events[0].seq if events else None,
        last_seq=events[-1].seq if events else None,
        head_seq=head_seq,
        head_hash=head_hash,
        digests_checked=len(digests),
        evidence_checked=len({r.path for r in recorded}),
        undigested_events=sum(1 for e in scoped if e.seq > last_sealed),
        problems=problems,
        pruned=pruned,
        sealed_runs={d.run_id for d in digests if d.run_id},
        anchors_checked=len(anchors),
    )


def verify_missing_ledger(
    ledger_path: Path, logs_dir: Path, anchors: Sequence[AnchorFile] = ()
) -> VerificationReport | None:
    """The report for a ledger file that does not exist: None when neither a digest file nor
    an anchor says a trail was ever written (a new installation), else a failed report."""
    problem = missing_ledger_problem(ledger_path, logs_dir, anchors)
    if problem is None:
        return None
    return VerificationReport(
        run_id=None,
        events_checked=0,
        first_seq=None,
        last_seq=None,
        head_seq=0,
        head_hash=GENESIS_HASH,
        digests_checked=0,
        evidence_checked=0,
        undigested_events=0,
        problems=[problem],
        anchors_checked=len(anchors),
    )
