"""Applying the planned changes one by one in a signed-in browser session, with the ledger.

For each change: take its ledger item (or the supplier's unfinished item of a dead run), try it
under the retry policy (each attempt re-reads Oracle first, see ``applying``), and record how it
ended — in the ledger, in the structured log with before-and-after values, and in the report.
Sign-in happens outside traces (traces record typed text), and before the first change is
claimed: a refused service account then stops the run with no change taken, and the session's
sign-in gate (:mod:`rpa.sign_in_gate`) never types a refused password again in this run. A
screenshot, and the trace when the attempt recorded one (``browser.trace``), are kept only when
an attempt fails. A run-blocking error met with a change in hand stops the run and releases the
change for the next run; each outcome also feeds the failed-items breaker
(:mod:`flows.common.early_stop`).

Change control: a change Oracle holds for approval (a pending change request) ends
``awaiting_approval``. When this run typed it, its item is done (``ChangeBook.awaiting``) and it
is never submitted again; when the request was there before anything was typed (someone else's,
made since the plan), nothing is typed and the item is released for a later run. A plan's
``awaiting_approval`` change (the supplier is in flight) is reported and nothing else is done.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path

import structlog

from bots.errors import (
    BusinessRuleError,
    RunBlockingError,
    TransientBotError,
)
from config.settings import Settings
from flows.common.early_stop import EarlyStop
from flows.common.outcomes import ItemStatus, failed_after
from flows.common.traced_attempt import traced_attempt
from flows.sync_suppliers.audit import AppliedChange
from flows.sync_suppliers.book import ChangeBook, Taken, is_awaiting
from flows.sync_suppliers.change_requests import ChangeRequestLookup, PendingChange
from flows.sync_suppliers.oracle_actions import AttemptResult, SupplierReader, attempt_change
from flows.sync_suppliers.oracle_model import OracleSupplier
from flows.sync_suppliers.outcomes import ChangeReport, initial_status
from flows.sync_suppliers.plan_model import ACTIONABLE, Action, Change
from rpa.evidence_store import EvidenceStore
from rpa.ledger import ItemState, LedgerItem
from rpa.logging import bind_contextvars
from rpa.oracle_session import OracleSession
from rpa.oracle_target import OracleTarget
from rpa.retry import call_with_retries, retrying
from rpa.sign_in_gate import SignInGate

log = structlog.get_logger()
NOT_STARTED_MESSAGE = "not started: the run stopped first; it stays pending for the next run"


class LazySession:
    """The browser session, started the first time a page is needed (a plan with nothing to
    apply, read through REST, never starts a browser)."""

    def __init__(
        self,
        target: OracleTarget,
        settings: Settings,
        stack: ExitStack,
        sign_in_gate: SignInGate | None = None,
    ) -> None:
        self.target = target
        self.settings = settings
        self.stack = stack
        self.sign_in_gate = sign_in_gate or SignInGate()
        self._session: OracleSession | None = None

    @property
    def started(self) -> bool:
        return self._session is not None

    def get(self) -> OracleSession:
        if self._session is None:
            self._session = self.stack.enter_context(
                OracleSession(self.target, self.settings.browser, sign_in_gate=self.sign_in_gate)
            )
        return self._session


class SupplierWorker:
    """Applies changes of one file, one at a time."""

    def __init__(
        self,
        *,
        settings: Settings,
        session: LazySession,
        reader: SupplierReader,
        book: ChangeBook,
        evidence: EvidenceStore,
        today: date,
        source_file: Path,
        early_stop: EarlyStop,
        change_requests: ChangeRequestLookup | None = None,
    ) -> None:
        """``change_requests`` tells a change Oracle holds for approval (change control) from
        one that did not land; without it, every read-back that differs is retried."""
        self.change_requests = change_requests
        self.settings = settings
        self.session = session
        self.reader = reader
        self.book = book
        self.evidence = evidence
        self.today = today
        self.source_file = source_file
        self.early_stop = early_stop

    def process(self, change: Change) -> tuple[ChangeReport, AppliedChange | None]:
        """Apply an actionable change; settle a dead run's item for any other change."""
        if change.action not in ACTIONABLE:
            return self._settle(change), None
        if not self._signed_in():
            return ChangeReport(change, ItemStatus.NOT_STARTED, NOT_STARTED_MESSAGE), None
        taken = self.book.take(change, str(self.source_file))
        if not isinstance(taken, Taken):
            return _not_taken(change, taken), None
        bind_contextvars(item_key=taken.item_key, supplier=change.supplier)
        if taken.resumed:
            log.warning(
                "resuming a change an earlier run left unfinished: Oracle re-read first",
                item_key=taken.item_key,
            )
        return self._apply(change, taken)

    def _signed_in(self) -> bool:
        """Signed in before a change is claimed; False when the run must stop.

        A refused account then stops the run with no change taken. Once signed in this costs
        nothing (the session signs in again only when it must: a new context, an expired
        session). A system failure is retried like any step; one that outlasts the retries
        escapes and aborts the run.
        """
        try:
            call_with_retries(self.settings.retry, lambda _n: self.session.get().ready_pages())
        except RunBlockingError as exc:
            self.early_stop.blocked(exc)
            return False
        return True

    def _settle(self, change: Change) -> ChangeReport:
        """A dead run's item for a supplier that now needs nothing (or a person) is closed.

        A supplier in flight (``awaiting_approval``: Oracle holds a change request for it) is
        left as it is: its request decides what comes next."""
        earlier = self.book.open_item(change.key)
        report = ChangeReport(change, initial_status(change))
        if change.action is Action.AWAITING_APPROVAL:
            return report
        # Invalid rows leave the item open: the corrected file takes it up again.
        if earlier is None or (change.action is Action.REJECTED and change.source is None):
            return report
        taken = self.book.take(change, str(self.source_file))
        if not isinstance(taken, Taken):
            return report
        if change.action is Action.UNCHANGED and change.oracle_number:
            message = "found applied in Oracle when re-read (an earlier run had applied it)"
            self.book.applied(taken.item_key, change.oracle_number, message)
            return ChangeReport(change, ItemStatus.UNCHANGED, message)
        why = change.message or "the file no longer asks for this change"
        self.book.rejected(taken.item_key, f"not applied: {why}", change.action.value)
        return report

    def _apply(self, change: Change, taken: Taken) -> tuple[ChangeReport, AppliedChange | None]:
        assert change.source is not None  # actionable changes come from the file
        source = change.source
        done: AttemptResult | None = None
        attempts = 0
        # The audit's "before" is Oracle as the first attempt found it, before anything typed.
        first_read: list[OracleSupplier | None] = []

        def created(number: str) -> None:
            self.book.created(taken.item_key, number)

        def reread(supplier: OracleSupplier | None) -> None:
            if not first_read:
                first_read.append(supplier)

        typed: list[bool] = []  # whether any attempt of this run typed something

        def typing() -> None:
            typed.append(True)

        # Evidence files are named after the item; ':' is kept out of file names.
        item_name = taken.item_key.replace(":", "-")
        try:
            for attempt in retrying(self.settings.retry):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    done = traced_attempt(
                        self.session.get(),
                        self.evidence,
                        item_name=item_name,
                        attempt=attempts,
                        work=lambda pages: attempt_change(
                            pages,
                            self.reader,
                            source,
                            self.today,
                            created,
                            reread,
                            change_requests=self.change_requests,
                            on_typing=typing,
                        ),
                    )
        except BusinessRuleError as exc:
            self.book.rejected(taken.item_key, exc.message, type(exc).__name__, attempts)
            log.warning("supplier change rejected", reason=exc.message)
            self.early_stop.item_ended(ItemStatus.REJECTED)
            return ChangeReport(change, ItemStatus.REJECTED, exc.message), None
        except RunBlockingError as exc:
            return self._left_pending(change, taken, exc), None
        except TransientBotError as exc:
            said = failed_after(exc.message, attempts)
            self.book.failed(taken.item_key, said, type(exc).__name__, attempts)
            self.early_stop.item_ended(ItemStatus.FAILED, exc.message)
            log.error(
                "supplier change failed",
                failure_class=type(exc).__name__,
                error=exc.message,
                detail=exc.detail or None,
                attempts=attempts,
            )
            return ChangeReport(change, ItemStatus.FAILED, said), None
        finally:
            if self.session.started:
                self.session.get().item_done()
        assert done is not None
        if done.awaiting is not None:
            return self._awaiting(change, taken, done, done.awaiting, bool(typed), attempts)
        self.early_stop.item_ended(ItemStatus.APPLIED)
        return self._record(change, taken, done, first_read[0], attempts)

    def _awaiting(
        self,
        change: Change,
        taken: Taken,
        result: AttemptResult,
        pending: PendingChange,
        typed: bool,
        attempts: int,
    ) -> tuple[ChangeReport, None]:
        """Oracle holds the change for approval: reported ``awaiting_approval``, never tried
        again (nothing was applied: no before-and-after). Done in the ledger when this run
        submitted it; released when the request was someone else's, there before this run
        typed anything."""
        number = result.after.number
        self.early_stop.item_ended(ItemStatus.AWAITING_APPROVAL)
        if not typed:
            why = f"{pending.describe()} was already pending in Oracle"
            self.book.released(taken.item_key, why)
            message = (
                f"not submitted: {why} (not this run's); nothing was typed, and this change is "
                "planned again once that request is approved or rejected"
            )
            log.warning("supplier change not submitted: a change request is pending", note=why)
            status = ItemStatus.AWAITING_APPROVAL
            return ChangeReport(change, status, message, number, pending.number), None
        message = self.book.awaiting(taken.item_key, number, pending, result.note, attempts)
        log.info(
            "supplier change awaiting approval",
            action=change.action.value,
            supplier_number=number,
            change_request=pending.number,
            note=result.note or None,
            attempts=attempts,
        )
        status = ItemStatus.AWAITING_APPROVAL
        return ChangeReport(change, status, message, number, pending.number), None

    def _left_pending(self, change: Change, taken: Taken, exc: RunBlockingError) -> ChangeReport:
        """The run stops with this change in hand: not the change's fault, so it is neither
        rejected nor failed; its claim is released and the next run takes the same item again,
        after re-reading Oracle (the attempt may have got part of the way)."""
        self.early_stop.blocked(exc, item=taken.item_key)  # first: nothing else is started
        self.book.released(taken.item_key, f"{type(exc).__name__}: {exc.message}")
        message = (
            f"not applied: the run stopped at this change ({exc.message}); "
            "it stays pending for the next run"
        )
        return ChangeReport(change, ItemStatus.PENDING, message)

    def _record(
        self,
        change: Change,
        taken: Taken,
        result: AttemptResult,
        before: OracleSupplier | None,
        attempts: int,
    ) -> tuple[ChangeReport, AppliedChange]:
        names = dict.fromkeys(
            [*(f.name for f in change.fields), *(f.name for f in result.applied.fields)]
        )
        audit = AppliedChange.between(
            taken.item_key, change.action.value, change.supplier, names, before, result.after
        )
        message = ""
        if attempts == 1 and result.applied.action is Action.UNCHANGED:
            message = "found already applied in Oracle when re-read"
        elif taken.resumed:
            message = "completed what an earlier run had started"
        self.book.applied(taken.item_key, result.after.number, message or None, attempts)
        log.info(
            "supplier change applied",
            action=change.action.value,
            supplier_number=result.after.number,
            before=audit.before,
            after=audit.after,
            attempts=attempts,
            note=message or None,
        )
        return ChangeReport(change, ItemStatus.APPLIED, message, result.after.number), audit


def _not_taken(change: Change, item: LedgerItem) -> ChangeReport:
    state, run_id, message = item.state, item.run_id, item.message
    if is_awaiting(item):
        # The same change against the same Oracle state, submitted before for approval: its
        # request is no longer pending (else the plan would show the supplier in flight) and
        # Oracle does not show the change, so the request was rejected (or withdrawn).
        return ChangeReport(
            change,
            ItemStatus.REJECTED,
            f"not submitted again: run {run_id} submitted this change for approval ({message}); "
            "the request is no longer pending and Oracle does not show the change, so it was "
            "rejected or withdrawn in Oracle. Ask the approver, or correct the file",
        )
    if state is ItemState.REJECTED:
        return ChangeReport(
            change, ItemStatus.REJECTED, f"rejected earlier (run {run_id}): {message}"
        )
    if state is ItemState.DONE:
        return ChangeReport(change, ItemStatus.APPLIED, f"applied earlier by run {run_id}")
    return ChangeReport(change, ItemStatus.IN_PROGRESS, f"run {run_id} is applying this change")
