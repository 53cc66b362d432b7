"""Supplier change control: Oracle holding a change for approval instead of applying it.

Fusion 26A's Redwood supplier pages route edits of a supplier through a change request that
needs approval: after the pages have saved, Oracle still shows the supplier as it was, and the
supplier has a pending change request. For this flow that change is **awaiting approval**: it
was submitted, Oracle owns it now, and it must never be submitted again (a retry would pile up
requests). A later plan treats such a supplier as *in flight*: nothing is planned for it until
the request is approved (Oracle then matches the file) or rejected (a person decides).

How the flow learns of a pending request: after applying, the supplier is read back; when it
does not show the change and a pending change request exists for it, the change is awaiting
approval. ``ChangeRequestLookup`` is that question; ``RestChangeRequests`` asks the REST API
(the sandbox's ``suppliers/{id}/child/changeRequests``; which resource, if any, a real pod
offers is to be checked on the council's test pod), ``UiChangeRequests`` (in ``ui_reader``)
reads the supplier page. Where neither can tell (a pod without such a resource), the lookup
answers None and the flow behaves as before: a change that does not land is retried.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

import httpx
import structlog

from flows.sync_suppliers.plan_model import Action, Change, Plan
from rpa.oracle_rest import RestGetter, quote

log = structlog.get_logger()
SUPPLIERS = "/suppliers"
PENDING = "PENDING"
# A change this flow submitted that Oracle holds for approval: the ledger item is done (the
# flow's part is over) and its message starts with this, so a later run can tell it from a
# change that was applied (see book.ChangeBook.awaiting).
AWAITING_NOTE = "awaiting approval: "


@dataclass(frozen=True)
class PendingChange:
    """A supplier's pending change request, as Oracle names it."""

    number: str  # "CR-1001"
    requested_by: str | None = None
    requested_at: str | None = None

    def describe(self) -> str:
        """``change request CR-1001 (requested by RPA.PROCUREMENT on 2026-12-03)``"""
        who = f"by {self.requested_by}" if self.requested_by else ""
        when = f"on {self.requested_at[:10]}" if self.requested_at else ""
        told = " ".join(part for part in (who, when) if part)
        return f"change request {self.number}" + (f" (requested {told})" if told else "")


class ChangeRequestLookup(Protocol):
    """Whether Oracle holds a change of a supplier for approval."""

    def pending(self, supplier_id: str) -> PendingChange | None:
        """The supplier's pending change request; None when it has none (or Oracle cannot
        say)."""
        ...


class NoChangeRequests:
    """For an Oracle without change control (or where it cannot be read): never pending."""

    def pending(self, supplier_id: str) -> PendingChange | None:
        return None


class RestChangeRequests:
    """Pending change requests through REST: ``suppliers/{id}/child/changeRequests``.

    That child is the sandbox's [I]: a pod that has no such resource answers 404 (or 400), and
    from then on this lookup answers None without asking again (logged once).
    """

    def __init__(self, rest: RestGetter) -> None:
        self.rest = rest
        self.available = True

    def pending(self, supplier_id: str) -> PendingChange | None:
        if not self.available or not supplier_id:
            return None
        try:
            body = self.rest.get(
                f"{SUPPLIERS}/{supplier_id}/child/changeRequests",
                q=f"Status={quote(PENDING)}",
                onlyData="true",
                orderBy="RequestDate:desc",
                limit="1",
            )
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code not in (400, 404):
                raise
            self.available = False
            log.warning(
                "Oracle offers no supplier change requests through REST: a change held for "
                "approval cannot be recognised",
                status=exc.response.status_code,
            )
            return None
        items: list[dict[str, Any]] = list(body.get("items", []))
        return pending_from_rest(items[0]) if items else None


def pending_from_rest(item: dict[str, Any]) -> PendingChange:
    return PendingChange(
        number=str(item["ChangeRequestNumber"]),
        requested_by=_text(item.get("RequestedBy")),
        requested_at=_text(item.get("RequestDate")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value) or None


def in_flight_message(pending: PendingChange) -> str:
    return (
        f"in flight: {pending.describe()} awaits approval in Oracle; nothing is planned for "
        "this supplier until it is approved or rejected"
    )


def awaiting(change: Change, pending: PendingChange) -> Change:
    """``change`` as a plan shows it while the supplier has a pending change request: nothing
    to apply (no steps), the differences still shown, the request named."""
    return replace(
        change,
        action=Action.AWAITING_APPROVAL,
        steps=(),
        message=in_flight_message(pending),
        change_request=pending.number,
    )


# Changes whose supplier is looked up: the ones that would type something into an existing
# supplier. (A supplier to create has no change request; unchanged, conflict and rejected ones
# plan nothing anyway.)
_LOOKED_UP = frozenset({Action.UPDATE, Action.DEACTIVATE})


def mark_in_flight(plan: Plan, lookup: ChangeRequestLookup) -> Plan:
    """The plan with every change to a supplier that has a pending change request made
    ``awaiting_approval`` (one look-up per such supplier)."""
    return Plan(tuple(_marked(plan.changes, lookup)))


def _marked(changes: Iterable[Change], lookup: ChangeRequestLookup) -> Iterable[Change]:
    for change in changes:
        pending = None
        if change.action in _LOOKED_UP and change.oracle_id:
            pending = lookup.pending(change.oracle_id)
        yield change if pending is None else awaiting(change, pending)
