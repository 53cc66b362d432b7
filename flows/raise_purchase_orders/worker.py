"""One worker: its own Playwright, browser and signed-in session, raising requests from a queue.

The sync Playwright API belongs to the thread that started it, so every worker thread owns its
session from start to end. A request is claimed in the ledger before any work, so two workers (or
two processes) never work the same request.

A worker signs in before it takes its first request, through the run's sign-in gate
(:mod:`rpa.sign_in_gate`): a refused service account is then tried once per run, whatever the
number of workers, and leaves every request unclaimed. A run-blocking error met with a request
in hand stops the run and releases the request for the next run; each outcome also feeds the
run's failed-items breaker (:mod:`flows.common.early_stop`).

The session and the order finder are opened through factories (by default a real browser session
and the REST reader; with ``oracle.rest_reads = false`` no reader, and orders are looked up
through the pages), so the worker's logic can be tested with fakes of the same shape.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

import structlog

from bots.errors import (
    BotError,
    BusinessRuleError,
    RunBlockingError,
    TransientBotError,
    WarningDeclinedError,
)
from bots.pages import PurchaseOrderPages
from config.settings import Settings
from flows.common.early_stop import EarlyStop
from flows.common.outcomes import ItemStatus, failed_after
from flows.common.traced_attempt import AttemptSession, traced_attempt
from flows.raise_purchase_orders.book import RequestBook
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.oracle_actions import (
    OrderFinder,
    OrderNeedsABuyerError,
    RaiseResult,
    RequestRaiser,
)
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.refusal_location import refused_cell
from rpa.evidence_store import EvidenceStore
from rpa.logging import start_unit_of_work
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_session import OracleSession
from rpa.oracle_target import OracleTarget
from rpa.retry import call_with_retries, retrying
from rpa.sign_in_gate import SignInGate

log = structlog.get_logger()


class WorkerSession(AttemptSession[PurchaseOrderPages], Protocol):
    """A signed-in browser session as the worker uses it (rpa.oracle_session.OracleSession)."""

    @property
    def browser_version(self) -> str: ...

    def item_done(self) -> None: ...


class ClosableFinder(OrderFinder, Protocol):
    """Oracle's order search over REST (rpa.oracle_rest.OracleRestReader), closed when the
    worker ends."""

    def close(self) -> None: ...


class Worker:
    """Raises requests taken from a shared queue until it is empty or the run is stopping."""

    def __init__(
        self,
        *,
        name: str,
        settings: Settings,
        target: OracleTarget,
        book: RequestBook,
        evidence: EvidenceStore,
        work: queue.Queue[PurchaseRequest],
        on_outcome: Callable[[ItemOutcome], None],
        stop: threading.Event,
        open_session: Callable[[], AbstractContextManager[WorkerSession]] | None = None,
        open_finder: Callable[[], ClosableFinder | None] | None = None,
        early_stop: EarlyStop | None = None,
        sign_in_gate: SignInGate | None = None,
    ) -> None:
        """``early_stop`` and ``sign_in_gate`` are the run's, shared by its workers (a worker
        on its own gets its own)."""
        self.name = name
        self.settings = settings
        self.target = target
        self.book = book
        self.evidence = evidence
        self.work = work
        self.on_outcome = on_outcome
        self.stop = stop
        self.browser_version = ""
        self.early_stop = early_stop or EarlyStop(
            stop, failed_items_limit=settings.retry.abort_after_failed_items
        )
        self.sign_in_gate = sign_in_gate or SignInGate()
        self.open_session = open_session or (
            lambda: OracleSession(
                self.target, self.settings.browser, sign_in_gate=self.sign_in_gate
            )
        )
        # Without REST reads, orders are looked up through the pages (ui_finder.py).
        self.open_finder: Callable[[], ClosableFinder | None] = open_finder or (
            (lambda: OracleRestReader(self.target))
            if settings.oracle.rest_reads
            else (lambda: None)
        )

    def run(self) -> None:
        reader = self.open_finder()
        try:
            with self.open_session() as session:
                self.browser_version = session.browser_version
                if not self._signed_in(session):
                    return
                while not self.stop.is_set():
                    try:
                        request = self.work.get_nowait()
                    except queue.Empty:
                        return
                    started = time.monotonic()
                    outcome = self._process(session, reader, request)
                    outcome.duration_s = round(time.monotonic() - started, 3)
                    self.on_outcome(outcome)
        finally:
            if reader is not None:
                reader.close()

    def _signed_in(self, session: WorkerSession) -> bool:
        """Sign in before taking any request; False when the run must stop.

        Before, not inside, the first attempt: a refused account then stops the run with no
        request claimed, and the gate makes the other workers wait for this outcome instead of
        typing the password themselves. A system failure is retried like any step; one that
        outlasts the retries escapes and aborts the run (no request could be tried either).
        """
        start_unit_of_work(run_id=self.book.run_id, worker=self.name)
        try:
            call_with_retries(self.settings.retry, lambda _attempt: session.ready_pages())
        except RunBlockingError as exc:
            self.early_stop.blocked(exc)
            return False
        return True

    def _process(
        self, session: WorkerSession, reader: ClosableFinder | None, request: PurchaseRequest
    ) -> ItemOutcome:
        # A thread starts with empty context: bind the run too, not only the item.
        start_unit_of_work(run_id=self.book.run_id, request_id=request.request_id, worker=self.name)
        if not self.book.claim(request.request_id):
            return self.book.outcome_of(request)
        raiser = RequestRaiser(
            finder=reader,
            prefix_format=self.settings.oracle.request_id_prefix_format,
            screenshot=lambda item, kind: session.screenshot(self.evidence.item_file(item, kind)),
            evidence_file=self.evidence.item_file,
        )
        journal = self.book.journal(request.request_id)
        attempts = 0
        try:
            for attempt in retrying(self.settings.retry):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    result = traced_attempt(
                        session,
                        self.evidence,
                        item_name=request.request_id,
                        attempt=attempts,
                        work=lambda pages: raiser.raise_request(pages, request, journal),
                    )
        except BusinessRuleError as exc:
            draft, note = self._after_rejection(session, raiser, request, exc)
            outcome = ItemOutcome(
                request.request_id,
                ItemStatus.REJECTED,
                request.source_file,
                po_number=draft,
                message=_for_the_buyer(request, exc.message) + note,
                failure_class=type(exc).__name__,
                attempts=attempts,
                evidence=exc.evidence,
            )
            self.book.rejected(request.request_id, outcome)
            self.early_stop.item_ended(outcome.status)
            return outcome
        except RunBlockingError as exc:
            return self._left_pending(request, exc, attempts)
        except TransientBotError as exc:
            draft = journal.recorded_number()
            note = (
                f"; order {draft} stays Incomplete in Oracle: the next run finishes it"
                if draft
                else ""
            )
            outcome = ItemOutcome(
                request.request_id,
                ItemStatus.FAILED,
                request.source_file,
                po_number=draft,
                message=failed_after(exc.message, attempts) + note,
                failure_class=type(exc).__name__,
                attempts=attempts,
                evidence=exc.evidence,
            )
            self.book.failed(request.request_id, outcome)
            self.early_stop.item_ended(outcome.status, exc.message)
            return outcome
        finally:
            session.item_done()
        evidence = [p for p in (result.confirmation_screenshot, result.read_back) if p is not None]
        outcome = ItemOutcome(
            request.request_id,
            ItemStatus.RAISED,
            request.source_file,
            po_number=result.po_number,
            attempts=attempts,
            evidence=evidence,
            message=_raised_message(result),
        )
        self.book.raised(request.request_id, outcome)
        self.early_stop.item_ended(outcome.status)
        return outcome

    def _after_rejection(
        self,
        session: WorkerSession,
        raiser: RequestRaiser,
        request: PurchaseRequest,
        error: BusinessRuleError,
    ) -> tuple[str | None, str]:
        """No hidden drafts: the Incomplete order a rejected request's attempts created is
        deleted. It is kept, and its number reported, when a buyer must decide (a warning the
        profile does not accept, an order a buyer must look at) or when deleting fails.
        Returns the number to report with the rejection (None when nothing is left) and the
        words to add to its message."""
        recorded = self.book.journal(request.request_id).recorded_number()
        if recorded is None:
            return None, ""
        kept = f"; order {recorded} stays Incomplete in Oracle"
        if isinstance(error, WarningDeclinedError | OrderNeedsABuyerError):
            return recorded, kept + " for a buyer to decide"
        try:
            deleted = traced_attempt(
                session,
                self.evidence,
                item_name=request.request_id,
                attempt=0,
                work=lambda pages: raiser.discard_draft(pages, request, recorded),
            )
        except BotError as exc:
            log.warning("draft not deleted", po_number=recorded, error=exc.message)
            return recorded, kept + ": a buyer must delete it (the robot could not)"
        if deleted is None:
            return None, ""
        return None, f"; its Incomplete draft {deleted} was deleted from Oracle"

    def _left_pending(
        self, request: PurchaseRequest, exc: RunBlockingError, attempts: int
    ) -> ItemOutcome:
        """The run stops with ``request`` in hand: not the request's fault, so it is neither
        rejected nor failed; its claim is released for the next run (which searches Oracle
        first, since the attempt may have got part of the way)."""
        self.early_stop.blocked(exc, item=request.request_id)  # first: stop the others at once
        self.book.released(request.request_id, f"{type(exc).__name__}: {exc.message}")
        return ItemOutcome(
            request.request_id,
            ItemStatus.PENDING,
            request.source_file,
            message=f"not raised: the run stopped at this request ({exc.message}); "
            "it stays pending for the next run",
            failure_class=type(exc).__name__,
            attempts=attempts,
            evidence=exc.evidence,
        )


def _for_the_buyer(request: PurchaseRequest, said: str) -> str:
    """Oracle's refusal with the file, rows, column and value it concerns, where its words
    quote one of the request's values; else as Oracle worded it."""
    cell = refused_cell(request, said)
    return said if cell is None else cell.message(request.source_file)


def _raised_message(result: RaiseResult) -> str:
    if result.already_submitted:
        return "found already submitted in Oracle (an earlier attempt had raised it)"
    if result.resumed:
        return "completed and submitted the incomplete order an earlier attempt had created"
    return ""
