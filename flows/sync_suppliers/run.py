"""One run of sync-suppliers, from the file to the run record: the function the command calls.

A plan (``--plan``) reads the file and Oracle and stops: no ledger, no run record, no browser
unless Oracle is read through its pages. An apply records the run like every flow (the ledger's
``runs`` table and ``<logs>/runs/<run_id>/run.json``), logs to the run's ``events.jsonl``, and
writes ``changes.json`` beside them: the plan, each change's outcome, and the before-and-after
values of every applied change.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import structlog

from config.settings import Settings
from flows.common.early_stop import EarlyStop
from flows.common.outcomes import LEFT_BY_A_STOP, ItemStatus
from flows.common.recorded_run import RecordedRun
from flows.common.terminal import QuietTerminal, Terminal
from flows.sync_suppliers.audit import AppliedChange
from flows.sync_suppliers.book import FLOW, ChangeBook
from flows.sync_suppliers.change_requests import ChangeRequestLookup, RestChangeRequests
from flows.sync_suppliers.flow import SyncOptions, SyncResult, make_plan, read_source
from flows.sync_suppliers.input_reader import SupplierFileResult
from flows.sync_suppliers.oracle_actions import SupplierReader
from flows.sync_suppliers.outcomes import ChangeReport, initial_status
from flows.sync_suppliers.plan_model import ACTIONABLE, Plan
from flows.sync_suppliers.rest_reader import RestSupplierReader
from flows.sync_suppliers.ui_reader import UiChangeRequests, UiSupplierReader
from flows.sync_suppliers.worker import NOT_STARTED_MESSAGE, LazySession, SupplierWorker
from rpa.evidence_store import EvidenceStore
from rpa.logging import configure_logging, start_unit_of_work
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_target import TargetSource
from rpa.retry import call_with_retries
from rpa.runs import RunRecorder
from rpa.sign_in_gate import SignInGate
from rpa.trigger import Trigger

log = structlog.get_logger()
CHANGES_JSON = "changes.json"


@dataclass(frozen=True)
class Connection:
    """How the run reads Oracle: its suppliers, their pending change requests (change
    control), and a browser session started when first needed."""

    reader: SupplierReader
    change_requests: ChangeRequestLookup
    session: LazySession


@contextmanager
def connected(
    settings: Settings,
    result: SyncResult,
    target_source: TargetSource,
    evidence: EvidenceStore | None = None,
) -> Iterator[Connection]:
    """How suppliers are read from the target, and a browser started on demand. ``evidence``
    (an apply's) keeps what a refused sign-in or a page unlike the UI profile showed."""
    with target_source.open() as target, ExitStack() as stack:
        gate = SignInGate(
            refusal_evidence=None
            if evidence is None
            else partial(evidence.item_file, "sign-in", "refused.png")
        )
        session = LazySession(target, settings, stack, gate)
        reader: SupplierReader
        change_requests: ChangeRequestLookup
        if settings.oracle.rest_reads:
            rest = OracleRestReader(target)
            stack.callback(rest.close)
            reader = RestSupplierReader(rest)
            change_requests = RestChangeRequests(rest)
        else:
            ui_reader = UiSupplierReader(session, evidence)
            reader, change_requests = ui_reader, UiChangeRequests(ui_reader)
        result.oracle_read_through = reader.source
        yield Connection(reader, change_requests, session)
        if session.started:
            result.browser_version = session.get().browser_version


def _read_and_plan(
    settings: Settings, oracle: Connection, read: SupplierFileResult, options: SyncOptions
) -> Plan:
    """Read Oracle and plan, retrying system failures (a 5xx, a timeout) like any step."""
    return call_with_retries(
        settings.retry,
        lambda _attempt: make_plan(oracle.reader, read, options.today, oracle.change_requests),
    )


def plan_only(
    settings: Settings,
    options: SyncOptions,
    *,
    target: TargetSource,
    console_logging: bool = True,
    terminal: Terminal | None = None,
) -> SyncResult:
    """Read the file and Oracle and report the plan; nothing is changed or recorded.

    Log lines go to stderr only (or nowhere but warnings), never to stdout, which carries the
    plan itself.
    """
    # The console gets what needs a look (warnings); every REST query is in the log's detail.
    terminal = terminal or QuietTerminal()
    configure_logging(
        level=settings.log_level,
        console=console_logging,
        console_level="warning",
        stream=terminal.stream(),
    )
    result = SyncResult(file=options.input_path, plan_only=True)
    terminal.status("Reading the supplier file…")
    read = read_source(options, result)
    if result.refused is not None:
        return result
    terminal.status(f"Reading Oracle's suppliers ({target.describe()})…")
    with connected(settings, result, target) as oracle:
        plan = _read_and_plan(settings, oracle, read, options)
    result.reports = [ChangeReport(c, initial_status(c)) for c in plan.changes]
    return result


def _keep_refused(options: SyncOptions, result: SyncResult, run_dir: Path) -> None:
    """A copy of the unreadable file and the reason, in the run's folder; the file stays put."""
    folder = run_dir / "refused"
    folder.mkdir(parents=True, exist_ok=True)
    if options.input_path.is_file():
        shutil.copy2(options.input_path, folder / options.input_path.name)
    (folder / f"{options.input_path.name}.error.txt").write_text(
        f"{result.refused}\n", encoding="utf-8"
    )


def _apply(
    settings: Settings,
    options: SyncOptions,
    result: SyncResult,
    book: ChangeBook,
    run: RecordedRun,
    stop: threading.Event,
    terminal: Terminal,
) -> Plan | None:
    terminal.status("Reading the supplier file…")
    read = read_source(options, result)
    if result.refused is not None:
        log.error("supplier file refused", file=options.input_path.name, reason=result.refused)
        _keep_refused(options, result, run.run_dir)
        run.recorder.record_step(
            "file refused",
            subject=options.input_path.name,
            details={"reason": result.refused, "sha256": result.sha256},
        )
        return None
    for warning in result.warnings:
        log.warning("supplier file warning", warning=warning)
    for item in book.release_stale():
        log.warning(
            "a change whose run died is taken up again after re-reading Oracle",
            item_key=item.item_key,
            state=item.state.value,
        )
    evidence = run.evidence()
    early_stop = EarlyStop(stop, failed_items_limit=settings.retry.abort_after_failed_items)
    terminal.status(f"Opening {run.target.describe()} and reading its suppliers…")
    with connected(settings, result, run.target, evidence) as oracle:
        plan = _read_and_plan(settings, oracle, read, options)
        log.info("plan made", counts=plan.counts, read_through=oracle.reader.source)
        terminal.start(sum(1 for c in plan.changes if c.action in ACTIONABLE))
        worker = SupplierWorker(
            settings=settings,
            session=oracle.session,
            reader=oracle.reader,
            change_requests=oracle.change_requests,
            book=book,
            evidence=evidence,
            today=options.today,
            source_file=options.input_path,
            early_stop=early_stop,
        )
        for change in plan.changes:
            if stop.is_set() and change.action in ACTIONABLE:
                stopped = ChangeReport(change, ItemStatus.NOT_STARTED, NOT_STARTED_MESSAGE)
                result.reports.append(stopped)
                _audit_change(run.recorder, stopped, None)
                continue
            start_unit_of_work(run_id=book.run_id, flow=FLOW, supplier=change.supplier)
            report, audit = worker.process(change)
            result.reports.append(report)
            _audit_change(run.recorder, report, audit)
            if change.action in ACTIONABLE:
                terminal.advance()
            if audit is not None:
                result.applied.append(audit)
    _say_why_stopped(result, early_stop, run)
    return plan


def _say_why_stopped(result: SyncResult, early_stop: EarlyStop, run: RecordedRun) -> None:
    """The run's message when it stopped with changes left: why, what it did and left, what to
    do. Aborted only when the stop left a change unapplied, not when it came during the last."""
    left = sum(1 for r in result.reports if r.status in LEFT_BY_A_STOP)
    if not left:
        return
    applied = sum(1 for r in result.reports if r.status is ItemStatus.APPLIED)
    stopped = early_stop.message(done=applied, left=left, verb="applied", noun="change")
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
    elif early_stop.stop.is_set():
        result.aborted = "stopped by a signal before every change was applied"


def _write_changes(run_dir: Path, result: SyncResult, run_id: str) -> None:
    content = {
        "run_id": run_id,
        "file": str(result.file),
        "sha256": result.sha256,
        "status": result.status,
        "changes": [r.envelope_item(result.file.name).as_json() for r in result.reports],
        "applied": [a.as_json() for a in result.applied],
    }
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / CHANGES_JSON
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _audit_change(
    recorder: RunRecorder, report: ChangeReport, applied: AppliedChange | None
) -> None:
    """Every change's outcome goes on the audit trail, with before and after when applied."""
    change = report.change
    details: dict[str, object] = {"action": change.action.value, "fields": change.fields_json()}
    if applied is not None:
        details |= {"before": applied.before, "after": applied.after}
    if report.change_request_number:
        details["change_request"] = report.change_request_number
    recorder.record_item(
        change.supplier,
        report.status.value,
        reference=report.supplier_number or change.oracle_number,
        message=report.message or change.message or None,
        details=details,
    )


def run_sync(
    settings: Settings,
    options: SyncOptions,
    *,
    trigger: Trigger,
    run_id: str,
    target: TargetSource,
    stop: threading.Event | None = None,
    console_logging: bool = True,
    terminal: Terminal | None = None,
) -> tuple[SyncResult, RunRecorder | None]:
    """Plan, or plan and apply with a run record. Never raises for what Oracle or the file do.
    ``terminal`` hears each phase and each change done, for a person watching (and is where
    the console's log lines go)."""
    terminal = terminal or QuietTerminal()
    if options.plan_only:
        plan = plan_only(
            settings, options, target=target, console_logging=console_logging, terminal=terminal
        )
        return plan, None
    stop = stop or threading.Event()
    result = SyncResult(file=options.input_path)

    def write_changes(run: RecordedRun) -> None:
        _write_changes(run.run_dir, result, run.run_id)

    with RecordedRun(
        settings,
        flow=FLOW,
        trigger=trigger,
        run_id=run_id,
        target=target,
        result=result,
        before_close=write_changes,
    ) as run:
        run.start(
            input_files=[options.input_path],
            console_logging=console_logging,
            console_stream=terminal.stream(),
        )
        book = ChangeBook(run.ledger, run_id, target.target_id)
        _apply(settings, options, result, book, run, stop, terminal)
        if result.browser_version:
            run.recorder.record_browser_version(result.browser_version)
        run.finish()
    return result, run.recorder
