"""One line of plain English per chain record, for the timeline support staff read.

Records of every release read alike (:mod:`rpa.audit.item_payloads`): an item's reference is
shown whether it was stored as ``reference``, ``po_number`` or ``supplier_id``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rpa.audit.item_payloads import payload_details, payload_reference
from rpa.ledger.chain import ChainEvent
from rpa.ledger.event_kinds import EventKind


def _counts(counts: Any) -> str:
    if not isinstance(counts, Mapping):
        return ""
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n)


def _started(p: Mapping[str, Any]) -> str:
    trigger = p.get("trigger") or {}
    who = (
        f"schedule {trigger.get('schedule_id')}"
        if trigger.get("schedule_id")
        else f"operator {trigger.get('operator')}"
    )
    files = ", ".join(f.get("name", "?") for f in p.get("input_files") or [])
    text = f"Run started by {who} on {trigger.get('host')}; code {p.get('code_version')}"
    text += f"; target {p.get('target_url')}" if p.get("target_url") else ""
    return text + (f"; input {files}" if files else "")


def _finished(p: Mapping[str, Any]) -> str:
    text = f"Run finished: {p.get('status')}"
    counts = _counts(p.get("counts"))
    text += f" ({counts})" if counts else ""
    text += f" — {p.get('message')}" if p.get("message") else ""
    return text + (f" [closed by {p.get('closed_by')}]" if p.get("closed_by") else "")


def _transition(p: Mapping[str, Any]) -> str:
    if p.get("from_state") is None:
        # The target once per item, where it enters the ledger: the rest is the same target.
        text = "registered (pending)" + (f" for {p.get('target')}" if p.get("target") else "")
    else:
        text = f"{p.get('from_state')} → {p.get('to_state')}"
    text += f" by {p.get('worker')}" if p.get("worker") else ""
    reference = payload_reference(p)
    text += f"; reference {reference}" if reference else ""
    text += f"; attempt {p.get('attempt')}" if p.get("attempt") else ""
    if p.get("message"):
        why = f"{p.get('failure_class')}: " if p.get("failure_class") else ""
        text += f"; {why}{p.get('message')}"
    return text


def _result(p: Mapping[str, Any]) -> str:
    text = str(p.get("status"))
    reference = payload_reference(p)
    text += f", reference {reference}" if reference else ""
    supplier = payload_details(p).get("supplier_id")
    text += f" (supplier {supplier})" if supplier and supplier != reference else ""
    text += f" after {p.get('attempts')} attempt(s)" if p.get("attempts") else ""
    if p.get("message"):
        why = f"{p.get('failure_class')}: " if p.get("failure_class") else ""
        text += f" — {why}{p.get('message')}"
    evidence = p.get("evidence") or []
    return text + (f"; {len(evidence)} evidence file(s)" if evidence else "")


def _pruned(p: Mapping[str, Any]) -> str:
    files = p.get("files") or []
    if p.get("retention_days") is not None:
        rule = f"{p.get('retention_days')} days"
    else:
        rule = f"year of the run plus {p.get('retention_years')} calendar years"
    return f"Retention ({rule}) pruned {len(files)} file(s)"


def _step(p: Mapping[str, Any]) -> str:
    details = ", ".join(f"{k}={v}" for k, v in p.items() if k != "action")
    return f"{p.get('action')}" + (f": {details}" if details else "")


_SUMMARIES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    EventKind.RUN_STARTED: _started,
    EventKind.RUN_BROWSER: lambda p: f"Browser {p.get('browser_version')}",
    EventKind.RUN_FINISHED: _finished,
    EventKind.ITEM_TRANSITION: _transition,
    EventKind.ITEM_RESULT: _result,
    EventKind.PRUNED: _pruned,
    EventKind.STEP: _step,
}


def summarise(event: ChainEvent) -> str:
    """The event in one line; the item it concerns is shown next to it, not repeated here."""
    if event.unreadable_payload is not None:
        return "(unreadable record: its content is not valid JSON)"
    summary = _SUMMARIES.get(event.kind)
    return summary(event.payload) if summary else event.kind
