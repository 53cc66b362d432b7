"""One recorded run of a flow, from start to run record: the part every flow shares.

::

    result = MyResult(...)
    with RecordedRun(settings, flow=FLOW, trigger=trigger, run_id=run_id, target=target,
                     result=result) as run:
        run.start(input_files=[...], console_logging=True)
        ...  # the flow's work, with run.ledger, run.recorder, run.evidence()
        run.finish()

Entering registers the run's secrets for redaction, opens the ledger and closes the runs whose
process died. ``start`` writes the run record (``running``) and sends the log to the run's
``events.jsonl``. ``finish`` closes the record with the result's status, counts and message.

The policy when something escapes the flow is the same for every flow: a configuration error
(no browser, an Oracle target configured in part) closes the run ``failed`` (the command exits
2); a run-blocking error (a refused service account, a page unlike the UI profile) closes it
``aborted`` with the operator's sentence (:mod:`flows.common.early_stop`); any other exception
closes it ``aborted`` with the reason (exit 4). An ``Exception`` is not raised further: the
result says what happened. ``KeyboardInterrupt`` and ``SystemExit`` are, after the record is
closed.

A fault of the storage (the ledger locked for longer than ``ledger_busy_timeout_s``, a read-only
or full disk: :mod:`rpa.storage_faults`) closes the run ``aborted`` with its one sentence as the
message, when the ledger can still be written (else the next run's :func:`abort_dead_runs`
closes it), keeps its traceback for the run's log only, and is raised further as a
:class:`~rpa.storage_faults.StorageFaultError`: the command prints the sentence and exits 4.
Items in hand stay claimed by this run, and the next run takes them up as any dead run's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Protocol, TextIO

import structlog

from bots.errors import RunBlockingError
from config.settings import Settings
from flows.common.early_stop import stop_message
from rpa.audit.continuity import TrailContinuityError
from rpa.browser import BrowserNotFoundError
from rpa.evidence_store import EvidenceStore
from rpa.ledger import Ledger
from rpa.logging import FILE_ONLY_LOGGER, configure_logging, start_unit_of_work
from rpa.oracle_target import TargetConfigError, TargetSource
from rpa.redaction import register_secret
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder, abort_dead_runs
from rpa.storage_faults import StorageContext, StorageFaultError, storage_fault
from rpa.trigger import Trigger

log = structlog.get_logger()
file_log = logging.getLogger(FILE_ONLY_LOGGER)  # the run's log file only, never the console

# Problems of the host's set-up, not of Oracle or the input: a person must fix the configuration.
CONFIGURATION_ERRORS: tuple[type[Exception], ...] = (TargetConfigError, BrowserNotFoundError)


class RunResult(Protocol):
    """What a flow's result must offer for its run to be recorded."""

    aborted: str | None  # why the run stopped before finishing its items
    configuration_error: str | None  # why the run could not try anything

    @property
    def counts(self) -> Mapping[str, int]: ...

    @property
    def run_status(self) -> RunStatus: ...


def note_failure(result: RunResult, exc: BaseException) -> None:
    """Put an escaped exception on the result under the shared policy (first reason wins)."""
    if isinstance(exc, CONFIGURATION_ERRORS):
        result.configuration_error = result.configuration_error or str(exc)
    elif isinstance(exc, RunBlockingError):
        # Escaped before any item was in hand (a flow catches it around its items): nothing was
        # changed by the step that failed, and every item is still the next run's to do.
        progress = "nothing more was done and the items not done stay pending for the next run"
        result.aborted = result.aborted or stop_message(exc, progress=progress)
    else:
        result.aborted = result.aborted or f"{type(exc).__name__}: {exc}"


class RecordedRun:
    """The run record, ledger and logging of one flow run (see the module's docstring)."""

    def __init__(
        self,
        settings: Settings,
        *,
        flow: str,
        trigger: Trigger,
        run_id: str,
        target: TargetSource,
        result: RunResult,
        before_close: Callable[[RecordedRun], None] | None = None,
    ) -> None:
        """``before_close`` runs just before the record is closed, on success and on failure
        alike (a flow writing a file beside its record, for instance)."""
        self.settings = settings
        self.flow = flow
        self.trigger = trigger
        self.run_id = run_id
        self.target = target
        self.result = result
        self._before_close = before_close
        self._ledger: Ledger | None = None
        self._recorder: RunRecorder | None = None

    # --- what the flow uses ---------------------------------------------------------------------

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            raise RuntimeError("the run is not open")
        return self._ledger

    @property
    def recorder(self) -> RunRecorder:
        if self._recorder is None:
            raise RuntimeError("the run is not open")
        return self._recorder

    @property
    def run_dir(self) -> Path:
        return self.recorder.run_dir

    def evidence(self) -> EvidenceStore:
        """The run's evidence folder; traces kept there are scrubbed of the service accounts'
        passwords (the configured Oracle's and the sandbox's)."""
        secrets = [
            secret.get_secret_value()
            for secret in (self.settings.oracle.password, self.settings.sandbox.password)
            if secret is not None
        ]
        return EvidenceStore(self.run_dir / "evidence", secrets)

    # --- the run's life ---------------------------------------------------------------------------

    def __enter__(self) -> RecordedRun:
        for secret in (
            self.settings.oracle.password,
            self.settings.sandbox.password,
            *self.settings.database_url_passwords(),
        ):
            register_secret(secret)
        self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        self._ledger = Ledger(
            self.settings.effective_ledger_url,
            busy_timeout_s=self.settings.ledger_busy_timeout_s,
        )
        self._recorder = RunRecorder(
            self._ledger,
            self.settings.logs_dir,
            anchor_dir=self.settings.audit.anchor_dir,
            heartbeat_interval_s=self.settings.run_heartbeat_interval_s,
        )
        try:
            abort_dead_runs(
                self._ledger,
                logs_dir=self.settings.logs_dir,
                heartbeat_timeout_s=self.settings.run_heartbeat_timeout_s,
            )
        except BaseException:
            self._ledger.close()
            raise
        return self

    def start(
        self,
        *,
        input_files: Iterable[Path],
        console_logging: bool,
        console_level: str = "warning",
        console_stream: TextIO | None = None,
    ) -> None:
        """Write the run record and send the log to the run's events file (the console gets
        only what needs a look)."""
        self.recorder.start(
            flow=self.flow,
            trigger=self.trigger,
            target_url=self.target.target_id,
            settings=self.settings.model_dump(mode="json"),
            input_files=[p for p in input_files if p.is_file()],
            run_id=self.run_id,
        )
        configure_logging(
            level=self.settings.log_level,
            log_file=self.recorder.events_path,
            console=console_logging,
            console_level=console_level,
            stream=console_stream,
        )
        start_unit_of_work(run_id=self.run_id, flow=self.flow)
        log.info("run started", trigger=self.trigger.describe(), target=self.target.describe())

    def finish(self) -> None:
        """Close the record with the result's status, counts and message."""
        self._close()
        log.info(
            "run finished",
            status=self.result.run_status.value,
            counts=dict(self.result.counts),
        )

    def _close(self, *, best_effort: bool = False) -> None:
        if self._before_close is not None:
            try:
                self._before_close(self)
            except Exception:
                if not best_effort:
                    raise
                file_log.exception("could not finish the run's files")
        result = self.result
        self.recorder.finish(
            result.run_status,
            dict(result.counts),
            result.configuration_error or result.aborted,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        fault: StorageFaultError | None = None
        if isinstance(exc, TrailContinuityError):
            # Refused before the run's record was written: nothing to close. The command tells
            # the operator in one sentence (app.cli); the traceback is for the log only.
            file_log.error("run refused: %s", exc, exc_info=exc)
            self.ledger.close()
            return False
        try:
            if exc is not None:
                fault = storage_fault(exc, StorageContext.of(self.settings))
                if fault is not None:
                    self.result.aborted = fault.sentence
                    file_log.error("run aborted: %s", fault, exc_info=exc)
                else:
                    note_failure(self.result, exc)
                    log.error(
                        "run aborted",
                        reason=self.result.configuration_error or self.result.aborted,
                        exc_info=(exc_type, exc, tb),
                    )
                if fault is not None:
                    self._close_after_fault()
                elif self._still_running():
                    self._close()
        finally:
            if self._recorder is not None:
                self._recorder.stop_heartbeat()  # a record left running must look dead
            self.ledger.close()
        if fault is not None:
            raise fault from exc
        # An Exception is told through the result; KeyboardInterrupt and SystemExit go on.
        return isinstance(exc, Exception)

    def _still_running(self) -> bool:
        """True when the run's record was written and is not closed yet (a record whose
        run.json could not be written is still closed: the database row is the record)."""
        if self._recorder is None:
            return False
        try:
            return self._recorder.record.status is RunStatus.RUNNING
        except RuntimeError:  # the record was never written
            return False

    def _close_after_fault(self) -> None:
        """Close the record if the storage still lets it; if not, leave it to the next run."""
        if not self._still_running():
            return
        try:
            self._close(best_effort=True)
        except Exception:
            file_log.exception(
                "could not close the run's record; the next run's check of dead runs closes it"
            )
