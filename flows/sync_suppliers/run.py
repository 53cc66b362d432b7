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
from pathlib import Path

import structlog

from config.settings import Settings
from flows.sync_suppliers.applying import SupplierReader
from flows.sync_suppliers.book import FLOW, ChangeBook
from flows.sync_suppliers.flow import SyncOptions, SyncResult, make_plan, read_source
from flows.sync_suppliers.plan_model import ACTIONABLE, Plan
from flows.sync_suppliers.rendering import ChangeReport, initial_status
from flows.sync_suppliers.rest_reader import RestSupplierReader
from flows.sync_suppliers.source_reader import SupplierFileResult
from flows.sync_suppliers.ui_reader import UiSupplierReader
from flows.sync_suppliers.worker import LazySession, SupplierWorker
from rpa.evidence_store import EvidenceStore
from rpa.ledger import Ledger
from rpa.logging import configure_logging, start_unit_of_work
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_target import OracleTarget, TargetSource
from rpa.redaction import register_secret
from rpa.retry import call_with_retries
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder, abort_dead_runs
from rpa.trigger import Trigger

log = structlog.get_logger()
CHANGES_JSON = "changes.json"


@contextmanager
def connected(
    settings: Settings, result: SyncResult, target_source: TargetSource
) -> Iterator[tuple[OracleTarget, SupplierReader, LazySession]]:
    """The Oracle target, the way suppliers are read from it, and a browser started on demand."""
    with target_source.open() as target, ExitStack() as stack:
        result.target_url = target.base_url
        session = LazySession(target, settings, stack)
        reader: SupplierReader
        if settings.oracle.rest_reads:
            rest = OracleRestReader(target)
            stack.callback(rest.close)
            reader = RestSupplierReader(rest)
        else:
            reader = UiSupplierReader(session)
        result.oracle_read_through = reader.source
        yield target, reader, session
        if session.started:
            result.browser_version = session.get().browser_version


def _read_and_plan(
    settings: Settings, reader: SupplierReader, read: SupplierFileResult, options: SyncOptions
) -> Plan:
    """Read Oracle and plan, retrying system failures (a 5xx, a timeout) like any step."""
    return call_with_retries(
        settings.retry, lambda _attempt: make_plan(reader, read, options.today)
    )


def plan_only(
    settings: Settings,
    options: SyncOptions,
    *,
    target: TargetSource,
    console_logging: bool = True,
) -> SyncResult:
    """Read the file and Oracle and report the plan; nothing is changed or recorded.

    Log lines go to stderr only (or nowhere but warnings), never to stdout, which carries the
    plan itself.
    """
    configure_logging(level=settings.log_level, console=console_logging)
    result = SyncResult(file=options.input_path, plan_only=True)
    read = read_source(options, result)
    if result.refused is not None:
        return result
    with connected(settings, result, target) as (_target, reader, _session):
        plan = _read_and_plan(settings, reader, read, options)
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
    run_dir: Path,
    stop: threading.Event,
    target_source: TargetSource,
) -> Plan | None:
    read = read_source(options, result)
    if result.refused is not None:
        log.error("supplier file refused", file=options.input_path.name, reason=result.refused)
        _keep_refused(options, result, run_dir)
        return None
    for warning in result.warnings:
        log.warning("supplier file warning", warning=warning)
    for item in book.release_stale():
        log.warning(
            "a change whose run died is taken up again after re-reading Oracle",
            item_key=item.item_key,
            state=item.state.value,
        )
    password = settings.oracle.password or settings.sandbox.password
    evidence = EvidenceStore(run_dir / "evidence", [password.get_secret_value()])
    with connected(settings, result, target_source) as (target, reader, session):
        plan = _read_and_plan(settings, reader, read, options)
        log.info("plan made", counts=plan.counts, read_through=reader.source)
        worker = SupplierWorker(
            settings=settings,
            target=target,
            session=session,
            reader=reader,
            book=book,
            evidence=evidence,
            today=options.today,
            source_file=options.input_path,
        )
        for change in plan.changes:
            if stop.is_set() and change.action in ACTIONABLE:
                result.reports.append(ChangeReport(change, "not_started", "the run was stopped"))
                continue
            start_unit_of_work(run_id=book.run_id, flow=FLOW, supplier=change.supplier)
            report, audit = worker.process(change)
            result.reports.append(report)
            if audit is not None:
                result.applied.append(audit)
    if stop.is_set():
        result.aborted = "stopped by a signal before every change was applied"
    return plan


def _write_changes(run_dir: Path, result: SyncResult, run_id: str) -> None:
    content = {
        "run_id": run_id,
        "file": str(result.file),
        "sha256": result.sha256,
        "status": result.status,
        "changes": [r.as_json() for r in result.reports],
        "applied": [a.as_json() for a in result.applied],
    }
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / CHANGES_JSON
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_sync(
    settings: Settings,
    options: SyncOptions,
    *,
    trigger: Trigger,
    run_id: str,
    target: TargetSource,
    stop: threading.Event | None = None,
    console_logging: bool = True,
) -> tuple[SyncResult, RunRecorder | None]:
    """Plan, or plan and apply with a run record. Never raises for what Oracle or the file do."""
    if options.plan_only:
        return plan_only(settings, options, target=target, console_logging=console_logging), None
    stop = stop or threading.Event()
    result = SyncResult(file=options.input_path)
    for secret in (settings.oracle.password, settings.sandbox.password):
        register_secret(secret)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(settings.effective_ledger_url)
    recorder = RunRecorder(ledger, settings.logs_dir)
    try:
        abort_dead_runs(ledger)
        inputs = [options.input_path] if options.input_path.is_file() else []
        recorder.start(
            flow=FLOW,
            trigger=trigger,
            target_url=target.target_id,
            settings=settings.model_dump(mode="json"),
            input_files=inputs,
            run_id=run_id,
        )
        configure_logging(
            level=settings.log_level, log_file=recorder.events_path, console=console_logging
        )
        start_unit_of_work(run_id=run_id, flow=FLOW)
        log.info("run started", trigger=trigger.describe(), file=str(options.input_path))
        book = ChangeBook(ledger, run_id)
        _apply(settings, options, result, book, recorder.run_dir, stop, target)
        if result.browser_version:
            recorder.record_browser_version(result.browser_version)
        _write_changes(recorder.run_dir, result, run_id)
        recorder.finish(result.run_status, result.counts, result.aborted or result.refused)
        log.info("run finished", status=result.run_status.value, counts=result.counts)
        return result, recorder
    except BaseException as exc:
        result.aborted = result.aborted or f"{type(exc).__name__}: {exc}"
        log.exception("run aborted")
        try:
            _write_changes(recorder.run_dir, result, run_id)
            recorder.finish(RunStatus.ABORTED, result.counts, result.aborted)
        except RuntimeError:
            pass  # the record was never started
        if isinstance(exc, Exception):
            return result, recorder
        raise
    finally:
        ledger.close()
