"""What a scheduled job does: take the flow's lock, run the flow in a child process, record how
it ended; and, at shutdown, ask running flows to finish (SIGTERM to the flow itself), give them
a grace period, then stop what is left.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import structlog

from app.flow_registry import FlowSpec
from app.scheduling.child_run import ChildRun, StopReason, child_command, dies_with_parent
from app.scheduling.run_log import ScheduledOutcome, SchedulerRunLog
from app.scheduling.run_registry import RunRegistry
from config.settings import Settings
from rpa.exit_codes import EXIT_ABORTED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from rpa.flow_lock import (
    INHERITED_LOCK_ENV,
    FlowBusyError,
    FlowLock,
    LockHolder,
    locks_dir,
    read_holder,
)
from rpa.logging import start_unit_of_work
from rpa.trigger import (
    Trigger,
    TriggerKind,
    detect_trigger,
    operator_environment,
    schedule_environment,
)

log = structlog.get_logger()

FLOW_OUTCOME_CODES = (EXIT_OK, EXIT_PARTIAL, EXIT_ABORTED)  # the flow recorded these itself
FALLBACK_TIMEOUT_S = 3600.0
RECORDING_GRACE_S = 30.0  # after stopping runs at shutdown: time for their records to be written


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@dataclass(frozen=True)
class RunSource:
    """Who asked for a run: a schedule, or an operator who put it on the fleet's queue."""

    schedule_id: str | None = None
    operator: str | None = None

    @property
    def label(self) -> str:
        """For file names and log lines: the schedule id, or ``queued-by-<operator>`` (an
        operator's name may hold spaces or a domain's backslash: only safe characters kept)."""
        if self.schedule_id:
            return self.schedule_id
        return "queued-by-" + re.sub(r"[^A-Za-z0-9._-]+", "-", self.operator or "unknown")

    def describe(self) -> str:
        return f"schedule {self.schedule_id}" if self.schedule_id else f"queued by {self.operator}"

    def environment(self) -> dict[str, str]:
        """What the run's process is told of its trigger."""
        if self.schedule_id:
            return schedule_environment(self.schedule_id)
        return operator_environment(self.operator or "unknown")

    def trigger(self) -> Trigger:
        """The trigger of a record written for the run when it could not write its own."""
        if self.schedule_id:
            return detect_trigger(self.schedule_id, environ={})
        here = detect_trigger(environ={})
        return Trigger(kind=TriggerKind.OPERATOR, host=here.host, operator=self.operator)


class SchedulerRuntime:
    """Runs flows in child processes for one scheduler or worker process (see
    :mod:`app.scheduling.job` and :mod:`app.fleet.worker`).

    ``runs_die_with_me``: a worker's runs are killed when the worker process dies (a run that
    nobody supervises has no time limit, and the queue gives the work to another worker).
    """

    def __init__(
        self,
        settings: Settings,
        flows: Mapping[str, FlowSpec],
        run_log: SchedulerRunLog,
        *,
        runs_die_with_me: bool = False,
    ) -> None:
        self.settings = settings
        self.flows = flows
        self.run_log = run_log
        self.registry = RunRegistry()
        self.runs_die_with_me = runs_die_with_me

    def timeout_for(self, flow: str) -> float:
        spec = self.flows.get(flow)
        default = spec.default_timeout_s if spec is not None else FALLBACK_TIMEOUT_S
        return self.settings.scheduler.timeout_for(flow, default)

    def run_once(self, schedule_id: str, flow: str, args: tuple[str, ...]) -> None:
        """One scheduled run, from the flow lock to its record. Never raises for the flow's sake."""
        self.run_for(RunSource(schedule_id=schedule_id), flow, args)

    def run_for(self, source: RunSource, flow: str, args: tuple[str, ...]) -> None:
        """One run for ``source``, from the flow lock to its record. Never raises for the
        flow's sake."""
        if source.schedule_id:
            start_unit_of_work(schedule_id=source.schedule_id, flow=flow)
        else:
            start_unit_of_work(queued_by=source.operator, flow=flow)
        if self.registry.stopping:
            self._record(
                ScheduledOutcome.SKIPPED,
                source,
                flow,
                "the scheduler was shutting down when the run fell due",
            )
            return
        lock = FlowLock(locks_dir(self.settings), flow)
        try:
            lock.acquire(LockHolder.here(None, source.describe()))
        except FlowBusyError as exc:
            who = exc.holder.describe() if exc.holder else "another process"
            self._record(
                ScheduledOutcome.SKIPPED, source, flow, f"flow {flow!r} was still running: {who}"
            )
            return
        try:
            self._run_child(source, flow, args, lock)
        finally:
            lock.release()

    def _record(
        self, outcome: ScheduledOutcome, source: RunSource, flow: str, message: str
    ) -> None:
        self.run_log.record(
            outcome,
            schedule_id=source.label,
            flow=flow,
            message=message,
            trigger=source.trigger(),
        )

    def _child_env(self, source: RunSource, flow: str, lock_fd: int) -> dict[str, str]:
        env = dict(os.environ)
        env.update(source.environment())
        env.update({"RPA_HOME": str(self.settings.home), INHERITED_LOCK_ENV: f"{flow}:{lock_fd}"})
        return env

    def _run_child(
        self, source: RunSource, flow: str, args: tuple[str, ...], lock: FlowLock
    ) -> None:
        assert lock.fd is not None  # acquired by the caller
        lock_fd = lock.fd
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = output_dir(self.settings) / f"{stamp}-{source.label}.log"
        timeout_s = self.timeout_for(flow)
        command = child_command(self.settings.home, flow, args)
        if self.runs_die_with_me:
            command = dies_with_parent(command)
        try:
            run = self.registry.admit(
                lambda: ChildRun.start(
                    schedule_id=source.label,
                    flow=flow,
                    command=command,
                    env=self._child_env(source, flow, lock_fd),
                    output_path=output,
                    kill_grace_s=self.settings.scheduler.kill_grace_s,
                    pass_fds=(lock_fd,),
                    trigger=source.trigger(),
                )
            )
        except OSError as exc:
            self._record(
                ScheduledOutcome.FAILED_TO_START,
                source,
                flow,
                f"the child process could not start: {exc}",
            )
            return
        if run is None:
            self._record(
                ScheduledOutcome.SKIPPED,
                source,
                flow,
                "the scheduler was shutting down when the run fell due",
            )
            return
        current = read_holder(lock.path)
        if current is None or current.pid == os.getpid():  # unless the child already said who
            lock.update_holder(replace(LockHolder.here(None, source.describe()), pid=run.pid))
        log.info("scheduled run started", pid=run.pid, timeout_s=timeout_s, output=str(output))
        try:
            code = run.wait(timeout_s)
            stragglers = run.clean_up()
            if stragglers:  # often only Chromium's crash handler, a moment from exiting
                log.info("stopped processes the run left", pid=run.pid, stragglers=stragglers)
            self._record_end(run, code, timeout_s)
        finally:
            self.registry.finished(run)

    def _record_end(self, run: ChildRun, code: int, timeout_s: float) -> None:
        duration_s = round((datetime.now(UTC) - run.started_at).total_seconds(), 3)
        own = self.run_log.child_record(run.flow, run.pid, run.started_at)
        self.run_log.close_dead_runs()  # the child's own record, if it was killed mid-run
        log.info(
            "scheduled run ended",
            pid=run.pid,
            exit_code=code,
            duration_s=duration_s,
            stop_reason=run.stop_reason,
            run_id=own.run_id if own else None,
        )
        verdict = self._verdict(run, code, timeout_s, duration_s, own.run_id if own else None)
        if verdict is not None:
            outcome, message = verdict
            self.run_log.record(
                outcome,
                schedule_id=run.schedule_id,
                flow=run.flow,
                message=f"{message} Output: {run.output_path}",
                trigger=run.trigger,
            )

    def _verdict(
        self, run: ChildRun, code: int, timeout_s: float, duration_s: float, own_run_id: str | None
    ) -> tuple[ScheduledOutcome, str] | None:
        """What the scheduler must record about a finished child; None when the flow did."""
        ref = f"; the flow's own record is run {own_run_id}" if own_run_id else ""
        how = " (SIGKILL was needed)" if run.killed else ""
        if run.stop_reason is StopReason.TIMED_OUT:
            return ScheduledOutcome.TIMED_OUT, (
                f"still running after its limit of {timeout_s:g} s; its process group "
                f"(pid {run.pid}) was stopped{how}{ref}."
            )
        if run.stop_reason is StopReason.INTERRUPTED:
            return ScheduledOutcome.INTERRUPTED, (
                f"the scheduler was stopping and the run did not finish within "
                f"{self.settings.scheduler.shutdown_grace_s:g} s; its process group "
                f"(pid {run.pid}) was stopped{how}{ref}. The next scheduled run picks up its "
                f"unfinished items."
            )
        if code == EXIT_ABORTED and own_run_id is None:
            # Stopped before it could write its record: a locked ledger, a read-only or full
            # disk (its one sentence is the output's last line).
            return ScheduledOutcome.FAILED_TO_START, (
                f"the run stopped before recording itself (exit code 4: aborted): "
                f"{run.output_tail()}."
            )
        if code in FLOW_OUTCOME_CODES or (code == EXIT_USAGE and own_run_id is not None):
            return None
        if code == EXIT_USAGE:
            return ScheduledOutcome.FAILED_TO_START, (
                f"the flow refused to start (exit code 2: usage or configuration error): "
                f"{run.output_tail()}."
            )
        return ScheduledOutcome.CRASHED, (
            f"the run ended with {_describe_exit(code)} after {duration_s:g} s{ref}: "
            f"{run.output_tail()}"
        )

    def drain(self, grace_s: float) -> None:
        """Shutdown: start nothing new, give running flows ``grace_s``, then stop their groups."""
        running = self.registry.begin_shutdown()
        if running:
            log.info("asking running flows to finish", runs=len(running), grace_s=grace_s)
        for run in running:
            run.ask_to_finish()
        if self.registry.wait_until_idle(grace_s, until_hurried=True):
            return
        stoppers = [
            threading.Thread(
                target=run.stop, args=(StopReason.INTERRUPTED,), name=f"stop-{run.pid}"
            )
            for run in self.registry.running()
        ]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        if not self.registry.wait_until_idle(RECORDING_GRACE_S):
            log.error(
                "runs still not recorded after stopping them",
                pids=[run.pid for run in self.registry.running()],
            )


def output_dir(settings: Settings) -> Path:
    """Where scheduled runs' console output goes: ``<logs>/scheduler/runs/``."""
    return settings.logs_dir / "scheduler" / "runs"
