"""One worker: its own Playwright, browser and signed-in session, raising requests from a queue.

The sync Playwright API belongs to the thread that started it, so every worker thread owns its
session from start to end. A request is claimed in the ledger before any work, so two workers (or
two processes) never work the same request.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import structlog

from bots.errors import (
    BotError,
    BrowserCrashedError,
    BusinessRuleError,
    SessionExpiredError,
    TransientBotError,
    from_playwright,
)
from config.settings import Settings
from flows.raise_purchase_orders.book import ItemJournal, RequestBook
from flows.raise_purchase_orders.outcomes import ItemOutcome, ItemStatus
from flows.raise_purchase_orders.raising import RaiseResult, RequestRaiser
from flows.raise_purchase_orders.requests_model import PurchaseRequest
from rpa.evidence_store import EvidenceStore
from rpa.logging import start_unit_of_work
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_session import OracleSession
from rpa.oracle_target import OracleTarget
from rpa.redaction import register_secret
from rpa.retry import retrying

log = structlog.get_logger()


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
    ) -> None:
        self.name = name
        self.settings = settings
        self.target = target
        self.book = book
        self.evidence = evidence
        self.work = work
        self.on_outcome = on_outcome
        self.stop = stop
        self.browser_version = ""

    def run(self) -> None:
        reader = OracleRestReader(self.target)
        try:
            with OracleSession(self.target, self.settings.browser) as session:
                self.browser_version = session.browser_version
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
            reader.close()

    def _process(
        self, session: OracleSession, reader: OracleRestReader, request: PurchaseRequest
    ) -> ItemOutcome:
        # A thread starts with empty context: bind the run too, not only the item.
        start_unit_of_work(run_id=self.book.run_id, request_id=request.request_id, worker=self.name)
        if not self.book.claim(request.request_id):
            return self.book.outcome_of(request)
        raiser = RequestRaiser(
            base_url=self.target.base_url,
            timeouts=session.timeouts,
            finder=reader,
            prefix_format=self.settings.oracle.request_id_prefix_format,
            screenshot=lambda name: session.screenshot(self.evidence.path(name)),
        )
        journal = self.book.journal(request.request_id)
        attempts = 0
        try:
            for attempt in retrying(self.settings.retry):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    result = self._attempt(session, raiser, request, journal, attempts)
        except BusinessRuleError as exc:
            outcome = ItemOutcome(
                request.request_id,
                ItemStatus.REJECTED,
                request.source_file,
                message=exc.message,
                failure_class=type(exc).__name__,
                attempts=attempts,
                evidence=exc.evidence,
            )
            self.book.rejected(request.request_id, outcome)
            return outcome
        except TransientBotError as exc:
            outcome = ItemOutcome(
                request.request_id,
                ItemStatus.FAILED,
                request.source_file,
                message=exc.message,
                failure_class=type(exc).__name__,
                attempts=attempts,
                evidence=exc.evidence,
            )
            self.book.failed(request.request_id, outcome)
            return outcome
        finally:
            session.item_done()
        evidence = [result.confirmation_screenshot] if result.confirmation_screenshot else []
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
        return outcome

    def _attempt(
        self,
        session: OracleSession,
        raiser: RequestRaiser,
        request: PurchaseRequest,
        journal: ItemJournal,
        attempt: int,
    ) -> RaiseResult:
        """One try. Sign-in happens here, before the trace starts: traces record typed text."""
        page = session.ready_page()
        for secret in session.session_cookie_values():
            register_secret(secret)
        session.start_trace(attempt)
        try:
            result = raiser.raise_request(page, request, journal)
        except Exception as exc:
            # Playwright's own errors are system failures too: a timeout keeps the browser (the
            # next attempt opens its page afresh), a closed target or protocol error replaces it.
            error = exc if isinstance(exc, BotError) else from_playwright(exc, url=page.url)
            self._keep_failure_evidence(session, request, error)
            if isinstance(error, SessionExpiredError):
                session.close_context()  # the next attempt signs in again, outside the trace
            elif isinstance(error, BrowserCrashedError):
                session.close_browser()
            if error is exc:
                raise
            raise error from exc
        session.stop_trace(None)
        return result

    def _keep_failure_evidence(
        self, session: OracleSession, request: PurchaseRequest, exc: BotError
    ) -> None:
        shot = session.screenshot(self.evidence.path(f"{request.request_id}-failure.png"))
        trace_path = self.evidence.path(f"{request.request_id}-trace.zip")
        session.stop_trace(trace_path)
        kept: list[Path] = [p for p in (shot,) if p is not None]
        if trace_path.is_file():
            self.evidence.scrub_trace(trace_path, session.session_cookie_values())
            kept.append(trace_path)
        exc.evidence = kept
        log.warning(
            "attempt failed",
            failure_class=type(exc).__name__,
            error=exc.message,
            screen=exc.screen,
            url=exc.url,
            evidence=[str(p) for p in kept],
        )


def _raised_message(result: RaiseResult) -> str:
    if result.already_submitted:
        return "found already submitted in Oracle (an earlier attempt had raised it)"
    if result.resumed:
        return "completed and submitted the incomplete order an earlier attempt had created"
    return ""
