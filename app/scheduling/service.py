"""The scheduler's life: start (one per job store), run flows on time, stop gracefully.

Start: take the job store's instance lock; close run records left ``running`` by processes that
died; apply the schedule file to the job store and record the runs missed while stopped; then
run APScheduler's ``BlockingScheduler`` in the foreground.

Stop (SIGTERM from systemd, or Ctrl-C): no new run starts; each running flow is sent SIGTERM
(flows finish the request in hand and start no other) and gets ``shutdown_grace_s`` to end;
then the process groups still there are stopped and their runs recorded as interrupted. A
second signal cuts the grace short. The job store keeps each schedule's next run time, so the
next start carries on where this one stopped.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

import structlog
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    SchedulerEvent,
)
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.engine import make_url

from app.flow_registry import FlowSpec
from app.scheduling.instance_lock import SchedulerInstanceLock, scheduler_lock_file
from app.scheduling.job import install_runner
from app.scheduling.job_store import MissedRuns, apply_schedules, build_scheduler, job_store_url
from app.scheduling.process_group import OrphanReaper, become_subreaper
from app.scheduling.run_log import ScheduledOutcome, SchedulerRunLog, local_time
from app.scheduling.runtime import SchedulerRuntime
from app.scheduling.schedule_file import Schedule
from app.scheduling.signal_pipe import SignalPipe
from config.settings import Settings
from rpa.logging import configure_logging

log = structlog.get_logger()


class StopSignals:
    """SIGTERM/SIGINT: the first asks for a graceful stop, a second one to hurry it.

    The handler only writes the signal number to a pipe (see :mod:`app.scheduling.signal_pipe`:
    setting an ``Event`` there can deadlock the main thread); a thread turns what arrives into
    the ``requested`` and ``hurry`` events, and the work happens on the stop watcher, because
    a handler runs on the main thread wherever it was interrupted, possibly inside APScheduler
    holding its own locks.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.hurry = threading.Event()
        self.received: list[str] = []
        self._pipe = SignalPipe()

    def install(self) -> None:
        threading.Thread(target=self._relay, name="stop-signal-relay", daemon=True).start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._pipe.send(signum)

    def _relay(self) -> None:
        while not self.hurry.is_set():
            for signum in self._pipe.receive():
                self.received.append(signal.Signals(signum).name)
                (self.hurry if self.requested.is_set() else self.requested).set()


def _watch_for_stop(
    signals: StopSignals,
    scheduler: BlockingScheduler,
    started: threading.Event,
    runtime: SchedulerRuntime,
) -> None:
    signals.requested.wait()
    runtime.registry.begin_shutdown()  # from this moment no new run starts
    log.info(
        "stop requested; no new runs will start",
        signal=signals.received[:1],
        running=len(runtime.registry.running()),
        grace_s=runtime.settings.scheduler.shutdown_grace_s,
    )
    started.wait()
    with contextlib.suppress(SchedulerNotRunningError):  # it stopped on its own already
        scheduler.shutdown(wait=False)
    signals.hurry.wait()
    log.warning("second stop signal: stopping running flows now")
    runtime.registry.hurry()


def _record_missed_while_down(run_log: SchedulerRunLog, windows: Sequence[MissedRuns]) -> None:
    for window in windows:
        count, first, last = len(window.times), window.times[0], window.times[-1]
        span = local_time(first) if count == 1 else f"{local_time(first)} to {local_time(last)}"
        late = (
            f"; the run due at {local_time(window.runs_late_at)} starts now, late"
            if window.runs_late_at
            else ""
        )
        run_log.record(
            ScheduledOutcome.MISSED,
            schedule_id=window.schedule.id,
            flow=window.schedule.flow,
            counts={"missed_runs": count},
            message=f"{count} scheduled run(s) fell due while the scheduler was not "
            f"running ({span}){late}.",
        )


def _listen(
    scheduler: BlockingScheduler,
    run_log: SchedulerRunLog,
    schedules: Mapping[str, Schedule],
    grace_s: float,
) -> None:
    """Record what APScheduler only logs: runs missed or skipped while running, job errors."""

    def on_job_event(event: JobEvent) -> None:
        schedule = schedules.get(event.job_id)
        flow = schedule.flow if schedule else "unknown"
        if event.code == EVENT_JOB_MISSED:
            run_log.record(
                ScheduledOutcome.MISSED,
                schedule_id=event.job_id,
                flow=flow,
                counts={"missed_runs": 1},
                message=f"the run due at {local_time(event.scheduled_run_time)} "
                f"could not start within the misfire grace of {grace_s:g} s "
                "(the host was suspended or too busy).",
            )
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            run_log.record(
                ScheduledOutcome.SKIPPED,
                schedule_id=event.job_id,
                flow=flow,
                message="the previous run of this schedule was still running, so "
                "this one did not start (a flow never runs twice at once).",
            )
        elif event.code == EVENT_JOB_ERROR:
            log.error(
                "scheduled job failed inside the scheduler",
                schedule_id=event.job_id,
                error=repr(event.exception),
                traceback=event.traceback,
            )
            run_log.record(
                ScheduledOutcome.CRASHED,
                schedule_id=event.job_id,
                flow=flow,
                message=f"the scheduler could not run it: {event.exception!r}",
            )

    scheduler.add_listener(
        on_job_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR
    )


def run_scheduler(
    settings: Settings, flows: Mapping[str, FlowSpec], schedules: Sequence[Schedule]
) -> int:
    """Run the scheduler in the foreground until SIGTERM/SIGINT. Returns the exit code (0).

    Raises :class:`~app.scheduling.instance_lock.SchedulerAlreadyRunningError` when another
    scheduler holds the job store.
    """
    configure_logging(
        level=settings.log_level, log_file=settings.logs_dir / "scheduler" / "scheduler.jsonl"
    )
    url = job_store_url(settings)
    with SchedulerInstanceLock(scheduler_lock_file(url, settings.state_dir)):
        run_log = SchedulerRunLog(settings)
        run_log.close_dead_runs()
        runtime = SchedulerRuntime(settings, flows, run_log)
        if become_subreaper():  # orphans of a run's browser become ours, to be reaped
            OrphanReaper(runtime.registry.is_tracked).start()
        scheduler, store = build_scheduler(settings)
        enabled = [s for s in schedules if s.enabled]
        grace = timedelta(seconds=settings.scheduler.misfire_grace_s)
        now = datetime.now(ZoneInfo(settings.scheduler.timezone))
        _record_missed_while_down(run_log, apply_schedules(scheduler, store, enabled, now, grace))
        _listen(scheduler, run_log, {s.id: s for s in enabled}, settings.scheduler.misfire_grace_s)

        started = threading.Event()

        def on_started(event: SchedulerEvent) -> None:
            started.set()

        scheduler.add_listener(on_started, EVENT_SCHEDULER_STARTED)
        signals = StopSignals()
        signals.install()
        threading.Thread(
            target=_watch_for_stop,
            args=(signals, scheduler, started, runtime),
            name="scheduler-stop-watcher",
            daemon=True,
        ).start()
        install_runner(runtime)
        log.info(
            "scheduler starting",
            schedules=[s.id for s in enabled],
            disabled=[s.id for s in schedules if not s.enabled],
            job_store=make_url(url).render_as_string(hide_password=True),
        )
        try:
            if not signals.requested.is_set():
                scheduler.start()  # blocks until the watcher shuts it down
            runtime.drain(settings.scheduler.shutdown_grace_s)
        finally:
            install_runner(None)
    log.info("scheduler stopped")
    return 0
