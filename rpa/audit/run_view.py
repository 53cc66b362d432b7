"""One run as support staff read it: summary, timeline, each item's outcome, errors, evidence.

Built from the run record and the run's chain records, so ``rpa runs show`` and the viewer say
the same thing. An item's outcome comes from the flow's ``item.result`` record; an item the flow
did not report (a run that died mid-item) is shown with the last state the ledger recorded.
Records of every release are read (see :mod:`rpa.audit.item_payloads`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rpa.audit.evidence import EvidenceFile, describe, files_in, run_evidence_dir
from rpa.audit.item_payloads import mapping_or_none, payload_details, payload_reference
from rpa.audit.queries import run_events
from rpa.audit.timeline import summarise
from rpa.evidence_store import safe_item_name
from rpa.ledger import Ledger
from rpa.ledger.chain import ChainEvent
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.scope import recorded_target_id
from rpa.run_record import RunRecord, get_run, run_dir

PROBLEM_STATUSES = frozenset({"rejected", "failed", "abandoned"})


@dataclass
class ItemView:
    """What the run did to one item."""

    subject: str
    status: str
    at: datetime
    reference: str | None = None  # what Oracle gave back: a PO number, a supplier number
    target: str | None = None  # the Oracle the item belongs to, when the record says
    message: str | None = None
    failure_class: str | None = None
    attempts: int | None = None
    worker: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # the flow's extras
    evidence: list[EvidenceFile] = field(default_factory=list)
    reported: bool = True  # False: only the ledger's last state is known

    @property
    def is_problem(self) -> bool:
        return self.status in PROBLEM_STATUSES

    @property
    def action(self) -> str | None:
        action = self.details.get("action")
        return None if action is None else str(action)

    @property
    def before(self) -> dict[str, Any] | None:
        return mapping_or_none(self.details.get("before"))

    @property
    def after(self) -> dict[str, Any] | None:
        return mapping_or_none(self.details.get("after"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "status": self.status,
            "at": self.at.isoformat(),
            "reference": self.reference,
            "target": self.target,
            "message": self.message,
            "failure_class": self.failure_class,
            "attempts": self.attempts,
            "worker": self.worker,
            "details": self.details,
            "evidence": [e.as_dict() for e in self.evidence],
            "reported": self.reported,
        }


@dataclass
class TimelineEntry:
    seq: int
    at: datetime
    kind: str
    subject: str | None
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "subject": self.subject,
            "summary": self.summary,
        }


@dataclass
class RunView:
    record: RunRecord
    timeline: list[TimelineEntry]
    items: list[ItemView]
    events: list[ChainEvent]

    @property
    def errors(self) -> list[str]:
        """The run's own error, then each failed or rejected item's, in words."""
        found = []
        if self.record.message and self.record.status.value not in ("succeeded", "running"):
            found.append(f"run {self.record.status.value}: {self.record.message}")
        for item in self.items:
            if item.is_problem:
                why = f"{item.failure_class}: " if item.failure_class else ""
                found.append(f"{item.subject} {item.status}: {why}{item.message or ''}".rstrip())
        return found

    @property
    def evidence(self) -> list[EvidenceFile]:
        seen: dict[str, EvidenceFile] = {}
        for item in self.items:
            for file in item.evidence:
                seen.setdefault(file.path, file)
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.record.as_dict(),
            "items": [i.as_dict() for i in self.items],
            "errors": self.errors,
            "evidence": [e.as_dict() for e in self.evidence],
            "timeline": [t.as_dict() for t in self.timeline],
        }


def _from_result(event: ChainEvent) -> ItemView:
    p = event.payload
    evidence = [
        EvidenceFile.from_dict(e)
        for e in p.get("evidence") or []
        if isinstance(e, dict) and {"path", "sha256", "size"} <= e.keys()
    ]
    return ItemView(
        subject=event.subject or "",
        status=str(p.get("status")),
        at=event.at,
        reference=payload_reference(p),
        message=p.get("message"),
        failure_class=p.get("failure_class"),
        attempts=p.get("attempts"),
        worker=p.get("worker"),
        details=payload_details(p),
        evidence=evidence,
    )


def _from_transition(event: ChainEvent) -> ItemView:
    p = event.payload
    target = p.get("target")
    return ItemView(
        subject=event.subject or "",
        status=str(p.get("to_state")),
        at=event.at,
        reference=payload_reference(p),
        target=None if target is None else str(target),
        message=p.get("message"),
        failure_class=p.get("failure_class"),
        attempts=p.get("attempt"),
        worker=p.get("worker"),
        reported=False,
    )


def build_items(events: list[ChainEvent], run_target: str | None = None) -> list[ItemView]:
    """One view per item, in the order the run first touched them.

    An item's target comes from its ledger records; an item the run only reported (a
    duplicate: nothing changed in the ledger), or one recorded before records named targets,
    takes ``run_target``: every item of a run belongs to the run's target.
    """
    items: dict[str, ItemView] = {}
    targets: dict[str, str] = {}
    for event in events:
        if not event.subject:
            continue
        if event.kind == EventKind.ITEM_RESULT:
            items[event.subject] = _from_result(event)
        elif event.kind == EventKind.ITEM_TRANSITION:
            known = items.get(event.subject)
            view = _from_transition(event)
            if view.target:
                targets[event.subject] = view.target
            if known is None or not known.reported:
                items[event.subject] = view
    for subject, item in items.items():
        item.target = targets.get(subject) or run_target
    return list(items.values())


def _attach_unreported_evidence(items: list[ItemView], run_dir: Path) -> None:
    """Give items the flow did not report the evidence files named after them, if any.

    A run that died mid-item, or a flow that keeps evidence without reporting items, still
    leaves ``<request_id>-failure.png`` and the like; support staff should see them.
    """
    files = files_in(run_evidence_dir(run_dir))
    logs_dir = run_dir.parent.parent
    for item in items:
        if item.reported or item.evidence:
            continue
        prefix = safe_item_name(item.subject) + "-"
        item.evidence = [describe(p, logs_dir) for p in files if p.name.startswith(prefix)]


def load_run_view(ledger: Ledger, run_id: str, logs_dir: Path | None = None) -> RunView | None:
    """The run as support staff read it, or None when there is no such run.

    ``logs_dir`` is where the run's folder is looked for (default: where the run wrote it).
    """
    record = get_run(ledger, run_id)
    if record is None:
        return None
    events = run_events(ledger.engine, run_id)
    timeline = [TimelineEntry(e.seq, e.at, e.kind, e.subject, summarise(e)) for e in events]
    items = build_items(events, recorded_target_id(record.target_url))
    folder = (
        run_dir(logs_dir, run_id)
        if logs_dir
        else (Path(record.run_dir) if record.run_dir else None)
    )
    if folder is not None:
        _attach_unreported_evidence(items, folder)
    return RunView(record, timeline, items, events)
