"""The raise-purchase-orders flow: request files in, submitted purchase orders and results out.

A plain function over explicit inputs (settings, options, a trigger, a clock); the command line
wraps it. Order of work:

1. find the request files and validate them, before any browser work;
2. register every valid request in the ledger; requests already raised are reported as
   duplicates with their existing numbers, and never raised again;
3. raise the rest in N workers, each with its own browser session, signed in once the run's
   first sign-in succeeded (a refused account is tried once per run, not once per worker);
4. archive each file whose requests all reached a final state, with its results file beside it.

A run-blocking error (a refused sign-in, a page unlike the UI profile) or the failed-items
breaker stops the run early (:mod:`flows.common.early_stop`): the requests not raised stay
pending, and their files stay in the inbox.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import structlog

from bots.errors import RunBlockingError
from config.settings import Settings
from flows.common.early_stop import EarlyStop
from flows.common.outcomes import UNFINISHED, ItemStatus, run_status_of, status_counts
from flows.common.recorded_run import note_failure
from flows.raise_purchase_orders.book import RequestBook
from flows.raise_purchase_orders.inbox import InputFile, archive, discover, refuse
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import RequestRejection, read_request_file
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.results_file import ResultRow, write_results, write_warnings
from flows.raise_purchase_orders.worker import Worker
from rpa.evidence_store import EvidenceStore
from rpa.oracle_target import OracleTarget
from rpa.run_record import RunStatus
from rpa.sign_in_gate import SignInGate

log = structlog.get_logger()


@dataclass(frozen=True)
class RaiseOptions:
    input_path: Path | None
    dry_run: bool
    workers: int
    today: date


@dataclass
class FileReport:
    """One input file: its requests' outcomes, where it went, and its results file."""

    source: InputFile
    sha256: str = ""
    refused_reason: str | None = None
    outcomes: list[ItemOutcome] = field(default_factory=list)
    archived_to: Path | None = None
    results_file: Path | None = None
    warnings: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)  # the valid requests read from it
    rows_read: list[int] = field(default_factory=list)  # every data row's number
    rows_by_request: dict[str, list[int]] = field(default_factory=dict)

    @property
    def unaccounted_rows(self) -> list[int]:
        """Data rows that no reported outcome covers: rows read = rows raised + rejected +
        duplicate + ... must hold before the file is archived as done."""
        covered = {row for o in self.outcomes for row in self.rows_by_request.get(o.request_id, [])}
        return sorted(set(self.rows_read) - covered)

    @property
    def complete(self) -> bool:
        """True when every request of the file reached a final state (failed, pending and not
        started are not final: a later run takes them up, from the file still in the inbox)."""
        if self.refused_reason is not None:
            return False
        final = {o.request_id for o in self.outcomes if o.status not in UNFINISHED}
        unfinished = any(o.status in UNFINISHED for o in self.outcomes)
        return not unfinished and all(rid in final for rid in self.request_ids)


# The outcomes this flow reports, in the order its counts show them.
OUTCOMES = (
    ItemStatus.RAISED,
    ItemStatus.DUPLICATE,
    ItemStatus.REJECTED,
    ItemStatus.CONFLICT,
    ItemStatus.FAILED,
)


@dataclass
class FlowResult:
    files: list[FileReport]
    items: list[ItemOutcome]
    aborted: str | None = None  # why the run stopped before finishing its items
    configuration_error: str | None = None  # why the run could not try anything
    would_raise: list[PurchaseRequest] = field(default_factory=list)  # dry run only
    # Requests taken up from the ledger (left failed or pending by earlier runs, their files
    # not in this run): reported with the run, in no file's results.
    carried_items: list[ItemOutcome] = field(default_factory=list)
    browser_version: str = ""
    # What the names in the requests were checked against before any browser work, or why
    # they were not (one sentence: reference_checks).
    reference_check: str = ""

    @property
    def refused_files(self) -> int:
        return sum(1 for f in self.files if f.refused_reason)

    @property
    def counts(self) -> dict[str, int]:
        counts = status_counts((o.status for o in self.items), OUTCOMES)
        counts["refused_files"] = self.refused_files
        return counts

    @property
    def run_status(self) -> RunStatus:
        """The shared rule (flows.common.outcomes.run_status_of)."""
        return run_status_of(
            (o.status for o in self.items),
            aborted=bool(self.aborted),
            refused_files=self.refused_files,
            configuration_error=bool(self.configuration_error),
        )

    @property
    def results_files(self) -> list[Path]:
        return [f.results_file for f in self.files if f.results_file is not None]


def _rejections_as_outcomes(
    report: FileReport, rejections: list[RequestRejection]
) -> list[ItemOutcome]:
    """Group row-level rejections by request: one outcome per rejected request (or row)."""
    grouped: dict[str, list[str]] = {}
    for rejection in rejections:
        request_id = rejection.request_id or f"(row {rejection.row})"
        grouped.setdefault(request_id, []).append(rejection.message)
    return [
        ItemOutcome(
            request_id,
            ItemStatus.REJECTED,
            report.source.path,
            message="; ".join(msgs),
            failure_class="InvalidInput",
        )
        for request_id, msgs in grouped.items()
    ]


def find_inputs(settings: Settings, options: RaiseOptions) -> list[InputFile]:
    return discover(options.input_path, settings.inbox)


def read_inputs(
    settings: Settings, options: RaiseOptions, sources: list[InputFile]
) -> tuple[list[FileReport], list[PurchaseRequest]]:
    """Validate every file before any browser work; refuse the unreadable ones (kept, not lost)."""
    reports: list[FileReport] = []
    requests: list[PurchaseRequest] = []
    for source in sources:
        report = FileReport(source)
        reports.append(report)
        result = read_request_file(
            source.path,
            today=options.today,
            request_id_prefix_format=settings.oracle.request_id_prefix_format,
        )
        report.sha256 = result.sha256
        report.warnings = list(result.warnings)
        report.rows_read = list(result.row_numbers)
        report.rows_by_request = dict(result.rows_by_request)
        if result.file_error is not None:
            report.refused_reason = result.file_error.message
            log.error("request file refused", file=source.path.name, reason=report.refused_reason)
            continue
        report.outcomes.extend(_rejections_as_outcomes(report, list(result.rejections)))
        for outcome in report.outcomes:
            log.warning("request rejected", request_id=outcome.request_id, reason=outcome.message)
        report.request_ids = [r.request_id for r in result.requests]
        requests.extend(result.requests)
    return reports, requests


def raise_requests(
    settings: Settings,
    options: RaiseOptions,
    *,
    run_id: str,
    evidence: EvidenceStore,
    book: RequestBook,
    requests: list[PurchaseRequest],
    target: OracleTarget,
    on_outcome: Callable[[ItemOutcome], None],
    stop: threading.Event,
    result: FlowResult,
    early_stop: EarlyStop,
) -> list[ItemOutcome]:
    """Raise the requests in parallel workers against the (opened) Oracle the command chose.

    The workers share one sign-in gate, so the run's first sign-in is tried by one worker while
    the others wait for its outcome, and ``early_stop``, which stops them all at a run-blocking
    error or when the failed-items breaker trips.
    """
    outcomes: list[ItemOutcome] = []
    lock = threading.Lock()

    def record(outcome: ItemOutcome) -> None:
        with lock:
            outcomes.append(outcome)
        on_outcome(outcome)

    work: queue.Queue[PurchaseRequest] = queue.Queue()
    for request in requests:
        work.put(request)
    gate = SignInGate(refusal_evidence=lambda: evidence.item_file("sign-in", "refused.png"))
    workers = [
        Worker(
            name=f"w{i + 1}",
            settings=settings,
            target=target,
            book=book,
            evidence=evidence,
            work=work,
            on_outcome=record,
            stop=stop,
            early_stop=early_stop,
            sign_in_gate=gate,
        )
        for i in range(max(1, min(options.workers, len(requests) or 1)))
    ]
    threads = [
        threading.Thread(target=_guarded(w, result, early_stop), name=w.name, daemon=True)
        for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.browser_version = next((w.browser_version for w in workers if w.browser_version), "")
    return outcomes


def _guarded(worker: Worker, result: FlowResult, early_stop: EarlyStop) -> Callable[[], None]:
    """A worker that cannot go on (browser missing, Oracle not answering its sign-in) aborts the
    whole run; a run-blocking error stops it the way the workers' own do."""

    def run() -> None:
        try:
            worker.run()
        except RunBlockingError as exc:
            early_stop.blocked(exc)
        except Exception as exc:
            log.exception("worker stopped", worker=worker.name)
            note_failure(result, exc)
            early_stop.stop.set()

    return run


def finish_files(settings: Settings, reports: list[FileReport], run_id: str, run_dir: Path) -> None:
    """Archive complete files with their results; keep results of the others in the run folder.

    A file is archived as done only when every data row is covered by a reported outcome; a
    file with rows no outcome covers is refused instead (kept for a person, with the rows
    named), its results kept in the run folder: nothing read is silently dropped."""
    for report in reports:
        if report.refused_reason is not None:
            report.archived_to = refuse(report.source, settings.inbox, report.refused_reason)
            continue
        rows = [
            ResultRow(
                request_id=o.request_id,
                status=o.status.value,
                po_number=o.po_number,
                message=o.message,
                run_id=run_id,
            )
            for o in report.outcomes
        ]
        unaccounted = report.unaccounted_rows if report.complete else []
        if unaccounted:
            shown = ", ".join(map(str, unaccounted[:10]))
            report.refused_reason = (
                f"{report.source.path.name} rows {shown} were read but no request's outcome "
                "covers them; the file is kept for a person to check"
            )
            log.error("request file rows unaccounted", file=report.source.path.name, rows=shown)
            report.archived_to = refuse(report.source, settings.inbox, report.refused_reason)
            report.results_file = results_file_for(run_dir / report.source.path.name)
        elif report.complete and report.source.path.exists():
            report.archived_to = archive(report.source, settings.inbox)
            report.results_file = results_file_for(report.archived_to)
        else:
            report.results_file = results_file_for(run_dir / report.source.path.name)
        write_results(report.results_file, rows)
        if report.warnings:
            write_warnings(warnings_file_for(report.results_file), report.warnings)


def warnings_file_for(results_file: Path) -> Path:
    """The warnings beside a results file: ``orders.csv.results.csv`` has
    ``orders.csv.warnings.txt`` (only when the file had any)."""
    return results_file.with_name(results_file.name.removesuffix(".results.csv") + ".warnings.txt")


def results_file_for(request_file: Path) -> Path:
    """The results file beside ``request_file``, named after its whole name: ``orders.csv`` and
    ``orders.xlsx`` keep one each (``orders.csv.results.csv``, ``orders.xlsx.results.csv``), and
    a second arrival of a name, archived under a timestamped name, keeps its own too."""
    return request_file.with_name(request_file.name + ".results.csv")
