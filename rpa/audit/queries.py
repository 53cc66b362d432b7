"""Questions support staff ask of the trail: one run's records, and everything that touched an item.

"What happened to request REQ-1234?" and "which run raised PO 100234?" are both answered by
:func:`find_reference`: every chain record whose subject (the request id, the supplier key) or
reference (the PO number, the supplier id) is the text asked about, grouped by run, with the
ledger's current view of the matching items — on every Oracle target, each item naming its
target (the same request id may be an item in a sandbox and one in production).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select

from rpa.ledger import LedgerItem
from rpa.ledger.chain import ChainEvent
from rpa.ledger.database import read_transaction
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import audit_events, runs, work_items
from rpa.run_record import RunRecord


def latest_item_results(
    engine: Engine, *, flow: str | None = None, status: str | None = None
) -> dict[tuple[str, str], ChainEvent]:
    """Each item's last recorded result, by (flow, subject): what the latest run that met the
    item said of it (``raised``, ``conflict``...), optionally only those whose last result
    was ``status``. Outcomes that are not ledger states (a conflicting copy of a raised request
    leaves the item done) are found here."""
    kind = EventKind.ITEM_RESULT.value
    last = select(func.max(audit_events.c.seq).label("seq")).where(audit_events.c.kind == kind)
    if flow is not None:
        last = last.where(audit_events.c.flow == flow)
    last_seqs = last.group_by(audit_events.c.flow, audit_events.c.subject).subquery()
    stmt = select(audit_events).join(last_seqs, audit_events.c.seq == last_seqs.c.seq)
    with read_transaction(engine) as conn:
        events = [ChainEvent.from_row(row) for row in conn.execute(stmt).mappings().all()]
    return {
        (str(e.flow), str(e.subject)): e
        for e in events
        if status is None or e.payload.get("status") == status
    }


def run_events(engine: Engine, run_id: str) -> list[ChainEvent]:
    """The run's chain records, in order."""
    stmt = select(audit_events).where(audit_events.c.run_id == run_id).order_by(audit_events.c.seq)
    with read_transaction(engine) as conn:
        return [ChainEvent.from_row(row) for row in conn.execute(stmt).mappings().all()]


@dataclass
class RunMatches:
    """One run that touched the item, and its records about it."""

    run: RunRecord | None  # None for records outside any run (a prune)
    events: list[ChainEvent] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": None if self.run is None else self.run.as_dict(),
            "events": [e.as_dict() for e in self.events],
        }


@dataclass
class FindResult:
    """Everything the trail and the ledger know about one request id, PO number or supplier."""

    text: str
    items: list[LedgerItem]
    runs: list[RunMatches]

    @property
    def found(self) -> bool:
        return bool(self.items or self.runs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.text,
            "items": [
                {
                    "flow": i.flow,
                    "target": i.target,
                    "item_key": i.item_key,
                    "state": i.state.value,
                    "reference": i.reference,
                    "message": i.message,
                    "failure_class": i.failure_class,
                    "run_id": i.run_id,
                    "updated_at": i.updated_at.isoformat(),
                }
                for i in self.items
            ],
            "runs": [r.as_dict() for r in self.runs],
        }


def find_reference(engine: Engine, text: str, *, limit: int = 500) -> FindResult:
    """Every run and record that touched ``text`` (a request id, PO number, supplier id).

    Matching is exact but ignores case and surrounding spaces: ``req-2026-0001`` finds
    ``REQ-2026-0001``.
    """
    wanted = text.strip().lower()
    event_stmt = (
        select(audit_events)
        .where(
            or_(
                func.lower(audit_events.c.subject) == wanted,
                func.lower(audit_events.c.reference) == wanted,
            )
        )
        .order_by(audit_events.c.seq)
        .limit(limit)
    )
    item_stmt = (
        select(work_items)
        .where(
            or_(
                func.lower(work_items.c.item_key) == wanted,
                func.lower(work_items.c.reference) == wanted,
            )
        )
        .order_by(work_items.c.id)
    )
    with read_transaction(engine) as conn:
        events = [ChainEvent.from_row(r) for r in conn.execute(event_stmt).mappings().all()]
        items = [LedgerItem.from_row(r) for r in conn.execute(item_stmt).mappings().all()]
        run_ids = sorted({e.run_id for e in events if e.run_id})
        records = {
            row["run_id"]: RunRecord.from_row(row)
            for row in conn.execute(select(runs).where(runs.c.run_id.in_(run_ids))).mappings().all()
        }
    grouped: dict[str | None, RunMatches] = {}
    for event in events:
        match = grouped.setdefault(event.run_id, RunMatches(records.get(event.run_id or "")))
        match.events.append(event)
    ordered = sorted(grouped.values(), key=lambda m: m.events[0].seq)
    return FindResult(text.strip(), items, ordered)


def parse_day_or_time(text: str) -> datetime:
    """``2026-11-29`` (midnight UTC) or an ISO 8601 time (UTC when no zone is given)."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(
            f"{text!r} is not a date (2026-11-29) or a time (2026-11-29T19:30:00Z)"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
