"""The flow's view of the ledger: one request, one work item, every step recorded.

Wraps :class:`rpa.ledger.Ledger` with the moves this flow makes, so the worker and the raiser
talk in their own terms (claimed, created, submitting, raised, rejected, failed). The ledger's
words are neutral: an order raised is an item ``done``, and its PO number the item's
``reference``. Items are kept per Oracle target: a request raised in a sandbox is raised again,
not reported duplicate, when the same file goes to production.
"""

from __future__ import annotations

import threading

import structlog

from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.request_changes import describe_changes
from rpa.ledger import ItemScope, ItemState, Ledger, LedgerItem
from rpa.ledger.states import RESENDABLE_STATES

FLOW = "raise-purchase-orders"
log = structlog.get_logger()


class ItemJournal:
    """Records the Oracle-side steps of one claimed request (used by the raiser)."""

    def __init__(self, book: RequestBook, request_id: str) -> None:
        self.book = book
        self.request_id = request_id

    def created(self, po_number: str) -> None:
        self.book.move(self.request_id, ItemState.CREATED, po_number=po_number)

    def submitting(self, po_number: str) -> None:
        self.book.move(self.request_id, ItemState.SUBMITTING, po_number=po_number)

    def recorded_number(self) -> str | None:
        """The order number an earlier attempt recorded (``created``), if any."""
        return self.book.recorded_number(self.request_id)


class RequestBook:
    """Ledger operations of one run of the flow (safe to share between worker threads)."""

    def __init__(self, ledger: Ledger, run_id: str, target: str) -> None:
        """``target`` is the run's Oracle target id (``TargetSource.target_id``)."""
        self.ledger = ledger
        self.run_id = run_id
        self.scope = ItemScope(FLOW, target)

    def _worker(self) -> str:
        return threading.current_thread().name

    def release_stale(self) -> list[LedgerItem]:
        """Items a dead run left half-done become claimable again (Oracle is searched first)."""
        return self.ledger.release_stale(self.scope, run_id=self.run_id)

    def register(self, request: PurchaseRequest) -> ItemOutcome | None:
        """Register the request; return its outcome if it needs no work in this run.

        What a request id that arrived before becomes (docs/request-files.md, "Sending a
        request again"):

        - raised, same content: ``duplicate``, with the order's number;
        - raised, other content: ``conflict``, naming the order and what differs (nothing is
          changed in Oracle);
        - rejected or failed: tried again, with the content that arrived now (the ledger's
          history keeps the earlier attempts);
        - still being worked, or stopped mid-way, with other content: refused, since what
          Oracle holds may be the earlier copy's.
        """
        registration = self.ledger.register(
            self.scope,
            request.request_id,
            source_file=str(request.source_file),
            content_hash=request.content_hash,
            content=request.content,
            run_id=self.run_id,
        )
        item = registration.item
        if item.state is ItemState.DONE:
            if registration.content_changed:
                return ItemOutcome(
                    request.request_id,
                    ItemStatus.CONFLICT,
                    request.source_file,
                    po_number=item.reference,
                    message=f"already raised as {item.reference} by run {item.run_id}, but this "
                    f"copy differs: {describe_changes(item.content, request.content)}. Nothing "
                    "was changed in Oracle: change the order there, or send the change under "
                    "a new request id",
                    failure_class="ChangedAfterRaising",
                )
            return ItemOutcome(
                request.request_id,
                ItemStatus.DUPLICATE,
                request.source_file,
                po_number=item.reference,
                message=f"already raised as {item.reference} by run {item.run_id}",
            )
        if item.state in RESENDABLE_STATES and not registration.is_new:
            self.ledger.resend(
                self.scope,
                request.request_id,
                run_id=self.run_id,
                source_file=str(request.source_file),
                content_hash=request.content_hash,
                content=request.content,
            )
            return None
        if registration.content_changed:
            return ItemOutcome(
                request.request_id,
                ItemStatus.REJECTED,
                request.source_file,
                message="this request id was already received with different content and is "
                "still being worked on; send the change again once it has ended",
                failure_class="DuplicateRequestId",
            )
        return None

    def left_for_later_runs(self, *, exclude: set[str], max_runs: int) -> list[PurchaseRequest]:
        """The requests earlier runs left pending or failed whose files this run does not
        have (an --input file, a file moved away): rebuilt from the content the ledger kept,
        a failed one until ``max_runs`` runs have tried it (``retry.max_runs``).

        Content this release cannot read back (kept by another release, say) leaves its item
        where it is, logged: the other requests go ahead, and the item stays listed by
        ``rpa items list`` for a person."""
        requests = []
        for item in self.ledger.left_for_later_runs(self.scope, max_runs=max_runs):
            if item.item_key in exclude or item.content is None:
                continue
            try:
                requests.append(PurchaseRequest.from_ledger(item.content, item.source_file))
            except (ValueError, KeyError, TypeError) as exc:  # ValidationError is a ValueError
                log.warning(
                    "a request left by an earlier run cannot be read back",
                    request_id=item.item_key,
                    state=item.state.value,
                    error=str(exc).splitlines()[0],
                )
        return requests

    def recorded_number(self, request_id: str) -> str | None:
        """The order number an earlier attempt recorded for the request, if any."""
        item = self.ledger.get(self.scope, request_id)
        return item.reference if item is not None else None

    def claim(self, request_id: str) -> bool:
        return (
            self.ledger.claim(self.scope, request_id, run_id=self.run_id, worker=self._worker())
            is not None
        )

    def outcome_of(self, request: PurchaseRequest) -> ItemOutcome:
        """What to report for a request another worker or process holds or has finished."""
        item = self.ledger.get(self.scope, request.request_id)
        if item is not None and item.state is ItemState.DONE:
            return ItemOutcome(
                request.request_id,
                ItemStatus.DUPLICATE,
                request.source_file,
                po_number=item.reference,
                message=f"raised by run {item.run_id}",
            )
        return ItemOutcome(
            request.request_id,
            ItemStatus.FAILED,
            request.source_file,
            message="another run is working on this request; it stays pending",
            failure_class="Busy",
        )

    def journal(self, request_id: str) -> ItemJournal:
        return ItemJournal(self, request_id)

    def move(
        self,
        request_id: str,
        state: ItemState,
        *,
        po_number: str | None = None,
        message: str | None = None,
        failure_class: str | None = None,
        attempt: int | None = None,
    ) -> None:
        self.ledger.transition(
            self.scope,
            request_id,
            state,
            run_id=self.run_id,
            reference=po_number,
            message=message,
            failure_class=failure_class,
            attempt=attempt,
            repeat_ok=True,  # a retry may repeat a step that is already recorded
        )

    def raised(self, request_id: str, outcome: ItemOutcome) -> None:
        self.move(
            request_id,
            ItemState.DONE,
            po_number=outcome.po_number,
            message=outcome.message or None,
            attempt=outcome.attempts,
        )

    def rejected(self, request_id: str, outcome: ItemOutcome) -> None:
        self.move(
            request_id,
            ItemState.REJECTED,
            message=outcome.message,
            failure_class=outcome.failure_class,
            attempt=outcome.attempts,
        )

    def released(self, request_id: str, reason: str) -> None:
        """The run stops with this request in hand, for a reason that is not the request's (a
        refused sign-in, a page unlike the UI profile): its claim is given up, so the next run
        takes it again, searching Oracle first, instead of it being rejected or failed."""
        self.ledger.release_claim(self.scope, request_id, run_id=self.run_id, reason=reason)

    def failed(self, request_id: str, outcome: ItemOutcome) -> None:
        self.move(
            request_id,
            ItemState.FAILED,
            message=outcome.message,
            failure_class=outcome.failure_class,
            attempt=outcome.attempts,
        )
