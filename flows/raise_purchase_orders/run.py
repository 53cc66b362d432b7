"""One run of raise-purchase-orders, from start to run record: the function the command calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import structlog

from config.settings import Settings
from flows.common.early_stop import EarlyStop
from flows.common.outcomes import LEFT_BY_A_STOP, ItemStatus
from flows.common.recorded_run import RecordedRun
from flows.common.terminal import QuietTerminal, Terminal
from flows.raise_purchase_orders.book import FLOW, RequestBook
from flows.raise_purchase_orders.flow import (
    FileReport,
    FlowResult,
    RaiseOptions,
    find_inputs,
    finish_files,
    raise_requests,
    read_inputs,
)
from flows.raise_purchase_orders.inbox import InputFile
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.reference_checks import (
    REFUSED_BY_REFERENCE_DATA,
    refusal_message,
    screen_against,
)
from rpa.oracle_target import OracleTarget, TargetSource
from rpa.runs import RunRecorder
from rpa.trigger import Trigger

log = structlog.get_logger()


def _dedupe_in_run(requests: list[PurchaseRequest], result: FlowResult) -> list[PurchaseRequest]:
    """The same request id in two files of one run: the second is reported, not raised."""
    seen: dict[str, PurchaseRequest] = {}
    unique = []
    for request in requests:
        first = seen.get(request.request_id)
        if first is None:
            seen[request.request_id] = request
            unique.append(request)
            continue
        same = first.content_hash == request.content_hash
        _file_report(result, request.source_file).outcomes.append(
            ItemOutcome(
                request.request_id,
                ItemStatus.DUPLICATE if same else ItemStatus.REJECTED,
                request.source_file,
                message=f"the same request id is also in {first.source_file.name}"
                + ("" if same else " with different content"),
            )
        )
    return unique


def _audit_item(recorder: RunRecorder, outcome: ItemOutcome) -> None:
    # The trail keeps the flow's own word for the outcome ("raised", "duplicate"...); the PO
    # number is the item's reference.
    recorder.record_item(
        outcome.request_id,
        outcome.status.value,
        reference=outcome.po_number,
        message=outcome.message or None,
        failure_class=outcome.failure_class,
        attempts=outcome.attempts,
        evidence=outcome.evidence,
        details={"action": "raise purchase order"},
    )


def _not_started(
    to_raise: list[PurchaseRequest], outcomes: list[ItemOutcome], recorder: RunRecorder
) -> list[ItemOutcome]:
    """The requests no worker reached before the run stopped: reported, and on the audit trail,
    as ``not_started``; the ledger still has them pending."""
    reached = {o.request_id for o in outcomes}
    left = [
        ItemOutcome(
            request.request_id,
            ItemStatus.NOT_STARTED,
            request.source_file,
            message="not started: the run stopped first; it stays pending for the next run",
        )
        for request in to_raise
        if request.request_id not in reached
    ]
    for outcome in left:
        _audit_item(recorder, outcome)
    return left


def _say_why_stopped(
    result: FlowResult, outcomes: list[ItemOutcome], early_stop: EarlyStop, run: RecordedRun
) -> None:
    """The run's message when it stopped with requests left: why, what it did and left, what
    to do. A stop that came while the last request was in hand left nothing undone: the run
    finished, and says so; only requests left pending or never started make it aborted."""
    left = sum(1 for o in outcomes if o.status in LEFT_BY_A_STOP)
    if not left:
        return
    raised = sum(1 for o in outcomes if o.status is ItemStatus.RAISED)
    stopped = early_stop.message(done=raised, left=left, verb="raised", noun="request")
    if stopped is not None:
        result.aborted = stopped
        cause = early_stop.cause
        run.recorder.record_step(
            "run stopped",
            details={
                "reason": stopped,
                "cause": type(cause).__name__,
                "evidence": [str(p) for p in getattr(cause, "evidence", [])],
            },
        )
    elif not result.aborted and early_stop.stop.is_set():
        result.aborted = f"stopped by a signal before every request was done ({left} not started)"


def _report(result: FlowResult, outcome: ItemOutcome, from_files: set[Path]) -> None:
    """Report an outcome with its file, or with the run for a request taken up from the
    ledger (its file is not in this run)."""
    if outcome.source_file in from_files:
        _file_report(result, outcome.source_file).outcomes.append(outcome)
    else:
        result.carried_items.append(outcome)


def _refuse_what_oracle_would(
    settings: Settings,
    options: RaiseOptions,
    target: OracleTarget,
    book: RequestBook,
    requests: list[PurchaseRequest],
    result: FlowResult,
    recorder: RunRecorder,
) -> list[PurchaseRequest]:
    """Check the requests' names against Oracle's reference data (docs/request-files.md,
    "Checked against Oracle first"); reject, in the ledger and the results, those Oracle would
    refuse; return the rest. A request with an order number recorded is not checked: its draft
    is resumed in the browser, where Oracle's own checks decide and a refusal deletes it."""
    fresh = [r for r in requests if book.recorded_number(r.request_id) is None]
    screening = screen_against(settings, options.today, target, fresh)
    result.reference_check = screening.note
    log.info(
        "reference data", checked=len(fresh), refused=len(screening.refused), note=screening.note
    )
    recorder.record_step(
        "reference data checked",
        details={"note": screening.note, "refused": [r.request_id for r, _ in screening.refused]},
    )
    from_files = {report.source.path for report in result.files}
    refused_ids = set()
    for request, problems in screening.refused:
        outcome = ItemOutcome(
            request.request_id,
            ItemStatus.REJECTED,
            request.source_file,
            message=refusal_message(request, problems),
            failure_class=REFUSED_BY_REFERENCE_DATA,
        )
        if book.claim(request.request_id):
            book.rejected(request.request_id, outcome)
        _audit_item(recorder, outcome)
        _report(result, outcome, from_files)
        refused_ids.add(request.request_id)
    return [r for r in requests if r.request_id not in refused_ids]


def _file_report(result: FlowResult, path: Path) -> FileReport:
    for report in result.files:
        if report.source.path == path:
            return report
    raise KeyError(path)


def run_raise_purchase_orders(
    settings: Settings,
    options: RaiseOptions,
    *,
    trigger: Trigger,
    run_id: str,
    target: TargetSource | None,
    on_outcome: Callable[[ItemOutcome], None] = lambda _o: None,
    stop: threading.Event | None = None,
    console_logging: bool = True,
    terminal: Terminal | None = None,
) -> tuple[FlowResult, RunRecorder | None]:
    """Validate, raise, archive, record. ``on_outcome`` hears each request's outcome as it
    ends; ``terminal`` is what a person watching sees (flows.common.terminal).

    A dry run reads and validates, and checks the requests' names against Oracle's reference
    data when given a ``target`` (read-only); it never touches the ledger or a page. A real run
    needs a ``target``.
    """
    stop = stop or threading.Event()
    terminal = terminal or QuietTerminal()
    sources = find_inputs(settings, options)
    if options.dry_run:
        return _dry_run(settings, options, sources, target), None

    if target is None:
        raise ValueError("a run that raises requests needs an Oracle target")
    result = FlowResult(files=[], items=[])
    with RecordedRun(
        settings, flow=FLOW, trigger=trigger, run_id=run_id, target=target, result=result
    ) as run:
        run.start(
            input_files=[s.path for s in sources],
            console_logging=console_logging,
            console_stream=terminal.stream(),
        )
        _raise_and_archive(settings, options, run, result, sources, on_outcome, stop, terminal)
        run.finish()
    return result, run.recorder


def _dry_run(
    settings: Settings,
    options: RaiseOptions,
    sources: list[InputFile],
    target: TargetSource | None,
) -> FlowResult:
    """Read and validate; check the names against Oracle when one is given and can be read
    (read-only: never the ledger, never a page)."""
    reports, requests = read_inputs(settings, options, sources)
    result = FlowResult(files=reports, items=[])
    if target is None:
        result.reference_check = "not checked: no Oracle is configured"
    elif requests:
        with target.open() as opened:
            screening = screen_against(settings, options.today, opened, requests)
        result.reference_check = screening.note
        for request, problems in screening.refused:
            _file_report(result, request.source_file).outcomes.append(
                ItemOutcome(
                    request.request_id,
                    ItemStatus.REJECTED,
                    request.source_file,
                    message=refusal_message(request, problems),
                    failure_class=REFUSED_BY_REFERENCE_DATA,
                )
            )
        requests = screening.passed
    result.would_raise = requests
    result.items = [o for r in reports for o in r.outcomes]
    return result


def _raise_and_archive(
    settings: Settings,
    options: RaiseOptions,
    run: RecordedRun,
    result: FlowResult,
    sources: list[InputFile],
    on_outcome: Callable[[ItemOutcome], None],
    stop: threading.Event,
    terminal: Terminal,
) -> None:
    """Read, register, raise and archive: the flow's own work inside its recorded run.
    ``terminal`` hears each phase as it begins and how many requests go to the browser."""
    recorder = run.recorder
    terminal.status("Reading the request files…")
    reports, requests = read_inputs(settings, options, sources)
    result.files = reports
    log.info("request files read", files=len(reports), valid_requests=len(requests))
    book = RequestBook(run.ledger, run.run_id, run.target.target_id)
    for item in book.release_stale():
        log.warning(
            "resuming a request whose run died",
            request_id=item.item_key,
            state=item.state.value,
            po_number=item.reference,
        )
    to_raise: list[PurchaseRequest] = []
    for request in _dedupe_in_run(requests, result):
        done = book.register(request)
        if done is None:
            to_raise.append(request)
        else:
            _file_report(result, request.source_file).outcomes.append(done)
    carried = book.left_for_later_runs(
        exclude={r.request_id for r in requests}, max_runs=settings.retry.max_runs
    )
    if carried:
        log.info("taking up requests left by earlier runs", requests=len(carried))
    to_raise += carried
    from_files = {report.source.path for report in result.files}
    for report in result.files:
        if report.refused_reason:
            recorder.record_step(
                "file refused",
                subject=report.source.path.name,
                details={"reason": report.refused_reason, "sha256": report.sha256},
            )
        if report.warnings:
            recorder.record_step(
                "file warnings",
                subject=report.source.path.name,
                details={"warnings": report.warnings, "sha256": report.sha256},
            )
            for warning in report.warnings:
                log.warning("request file warning", warning=warning)
        for outcome in report.outcomes:
            _audit_item(recorder, outcome)  # rejected at validation, or already raised

    def worked(outcome: ItemOutcome) -> None:
        _audit_item(recorder, outcome)
        on_outcome(outcome)
        terminal.advance(outcome)

    early_stop = EarlyStop(stop, failed_items_limit=settings.retry.abort_after_failed_items)
    if not to_raise:
        terminal.start(0)
    else:
        terminal.status(f"Opening {run.target.describe()}…")
        with run.target.open() as target:
            terminal.status("Checking the requests' names against Oracle…")
            to_raise = _refuse_what_oracle_would(
                settings, options, target, book, to_raise, result, recorder
            )
            if to_raise:
                terminal.status("Starting the browser and signing in to Oracle…")
            terminal.start(len(to_raise))
            outcomes = (
                raise_requests(
                    settings,
                    options,
                    run_id=run.run_id,
                    evidence=run.evidence(),
                    book=book,
                    requests=to_raise,
                    target=target,
                    on_outcome=worked,
                    stop=stop,
                    result=result,
                    early_stop=early_stop,
                )
                if to_raise
                else []
            )
        outcomes += _not_started(to_raise, outcomes, recorder)
        for outcome in outcomes:
            _report(result, outcome, from_files)
        _say_why_stopped(result, outcomes, early_stop, run)
    if result.browser_version:
        recorder.record_browser_version(result.browser_version)
    result.items = [o for r in result.files for o in r.outcomes] + result.carried_items
    finish_files(settings, result.files, run.run_id, run.run_dir)
