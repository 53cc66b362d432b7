"""One run of raise-purchase-orders, from start to run record: the function the command calls."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

import structlog

from config.settings import Settings
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
from flows.raise_purchase_orders.outcomes import ItemOutcome, ItemStatus
from flows.raise_purchase_orders.requests_model import PurchaseRequest
from rpa.ledger import Ledger
from rpa.logging import configure_logging, start_unit_of_work
from rpa.oracle_target import TargetSource
from rpa.redaction import register_secret
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder, abort_dead_runs
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
    recorder.record_item(
        outcome.request_id,
        outcome.status.value,
        po_number=outcome.po_number,
        action="raise purchase order",
        message=outcome.message or None,
        failure_class=outcome.failure_class,
        attempts=outcome.attempts,
        evidence=outcome.evidence,
    )


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
    on_start: Callable[[int], None] = lambda _n: None,
    stop: threading.Event | None = None,
    console_logging: bool = True,
) -> tuple[FlowResult, RunRecorder | None]:
    """Validate, raise, archive, record.

    A dry run reads and validates only: it touches neither the ledger nor Oracle, and needs no
    ``target``; a real run does.
    """
    stop = stop or threading.Event()
    sources = find_inputs(settings, options)
    if options.dry_run:
        reports, requests = read_inputs(settings, options, sources)
        result = FlowResult(files=reports, items=[])
        result.would_raise = requests
        result.items = [o for r in reports for o in r.outcomes]
        return result, None

    if target is None:
        raise ValueError("a run that raises requests needs an Oracle target")
    for secret in (settings.oracle.password, settings.sandbox.password):
        register_secret(secret)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(settings.effective_ledger_url)
    recorder = RunRecorder(ledger, settings.logs_dir)
    result = FlowResult(files=[], items=[])
    try:
        abort_dead_runs(ledger)
        recorder.start(
            flow=FLOW,
            trigger=trigger,
            target_url=target.target_id,
            settings=settings.model_dump(mode="json"),
            input_files=[s.path for s in sources if s.path.is_file()],
            run_id=run_id,
        )
        configure_logging(
            level=settings.log_level,
            log_file=recorder.events_path,
            console=console_logging,
            console_level="warning",  # the file gets every event; the console what needs a look
        )
        start_unit_of_work(run_id=run_id, flow=FLOW)
        reports, requests = read_inputs(settings, options, sources)
        result.files = reports
        log.info(
            "run started",
            trigger=trigger.describe(),
            files=len(reports),
            valid_requests=len(requests),
        )
        book = RequestBook(ledger, run_id)
        for item in book.release_stale():
            log.warning(
                "resuming a request whose run died",
                request_id=item.item_key,
                state=item.state.value,
                po_number=item.po_number,
            )
        to_raise: list[PurchaseRequest] = []
        for request in _dedupe_in_run(requests, result):
            done = book.register(request)
            if done is None:
                to_raise.append(request)
            else:
                _file_report(result, request.source_file).outcomes.append(done)
        for report in result.files:
            if report.refused_reason:
                recorder.record_step(
                    "file refused",
                    subject=report.source.path.name,
                    details={"reason": report.refused_reason, "sha256": report.sha256},
                )
            for outcome in report.outcomes:
                _audit_item(recorder, outcome)  # rejected at validation, or already raised
        on_start(len(to_raise))

        def worked(outcome: ItemOutcome) -> None:
            _audit_item(recorder, outcome)
            on_outcome(outcome)

        if to_raise:
            outcomes = raise_requests(
                settings,
                options,
                run_id=run_id,
                evidence_dir=recorder.run_dir / "evidence",
                book=book,
                requests=to_raise,
                target_source=target,
                on_outcome=worked,
                stop=stop,
                result=result,
            )
            for outcome in outcomes:
                if outcome.source_file is not None:
                    _file_report(result, outcome.source_file).outcomes.append(outcome)
            if stop.is_set() and not result.aborted:
                result.aborted = "stopped by a signal before every request was done"
        if result.browser_version:
            recorder.record_browser_version(result.browser_version)
        result.items = [o for r in result.files for o in r.outcomes]
        finish_files(settings, result.files, run_id, recorder.run_dir)
        recorder.finish(result.status, result.counts, result.aborted)
        log.info("run finished", status=result.status.value, counts=result.counts)
        return result, recorder
    except BaseException as exc:
        result.aborted = result.aborted or f"{type(exc).__name__}: {exc}"
        log.exception("run aborted")
        with contextlib.suppress(RuntimeError):  # raised when the record was never started
            recorder.finish(RunStatus.ABORTED, result.counts, result.aborted)
        if isinstance(exc, Exception):
            return result, recorder
        raise
    finally:
        ledger.close()
