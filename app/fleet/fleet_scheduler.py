"""``rpa schedule`` with the ledger on PostgreSQL: put each schedule's tick on the fleet's queue
once, however many schedulers run (one per host, for resilience).

Every scheduler computes fire times with APScheduler's triggers in the schedule's time zone (the
queue's own periodic tasks know only UTC cron), claims each tick in ``schedule_ticks``
(:mod:`app.fleet.schedule_ticks`) and, if its claim wins, queues the run; a worker on any host
runs it. A tick that passed with no scheduler running within ``scheduler.misfire_grace_s`` is
claimed as missed and written as a ``missed`` run record, once for the fleet. A tick that finds
a run of its flow still waiting for a worker is recorded as ``skipped`` (runs of one flow never
pile up behind each other).

Stop (SIGTERM, Ctrl-C): the scheduler stops queueing; runs already queued are the workers'.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
import psycopg
import structlog
from apscheduler.triggers.base import BaseTrigger
from procrastinate.exceptions import AlreadyEnqueued

from app.fleet.queue_app import (
    connection_options,
    ensure_queue_schema,
    libpq_url,
    sync_queue_app,
)
from app.fleet.queued_runs import RunOrigin, defer_run, open_jobs
from app.fleet.schedule_ticks import (
    TickOutcome,
    claim_tick,
    ensure_ticks_table,
    last_tick,
    lock_schedule,
    set_tick_job,
)
from app.flow_registry import FlowSpec
from app.scheduling.run_log import ScheduledOutcome, SchedulerRunLog, local_time
from app.scheduling.schedule_file import Schedule
from app.scheduling.service import StopSignals
from app.scheduling.triggers import fire_times
from config.settings import Settings
from rpa.logging import configure_logging

log = structlog.get_logger()
IDLE_CHECK_S = 60.0  # at least this often the scheduler looks again (a clock change, a new row)
ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class PendingRecord:
    """A run record to write once the tick's claim is committed."""

    outcome: ScheduledOutcome
    schedule: Schedule
    message: str
    counts: dict[str, int] = field(default_factory=dict)


def _missed_message(times: Sequence[datetime], zone_of: Callable[[datetime], datetime]) -> str:
    first, last = zone_of(times[0]), zone_of(times[-1])
    span = local_time(first) if len(times) == 1 else f"{local_time(first)} to {local_time(last)}"
    return (
        f"{len(times)} scheduled run(s) fell due while no scheduler of the fleet was running "
        f"({span})."
    )


class TickDispatcher:
    """Claims and queues the ticks of ``schedules`` (enabled ones) up to a moment."""

    def __init__(
        self,
        schedules: Sequence[Schedule],
        app: procrastinate.App,
        run_log: SchedulerRunLog,
        misfire_grace_s: float,
    ) -> None:
        self.schedules = [s for s in schedules if s.enabled]
        self.triggers: dict[str, BaseTrigger] = {s.id: s.build_trigger() for s in self.schedules}
        self.app = app
        self.run_log = run_log
        self.grace = timedelta(seconds=misfire_grace_s)
        self.host = socket.gethostname()

    def dispatch(self, conn: psycopg.Connection[Any], now: datetime) -> None:
        """Handle every tick of every schedule up to ``now`` that nobody has claimed."""
        for schedule in self.schedules:
            pending: list[PendingRecord] = []
            with conn.transaction():
                lock_schedule(conn, schedule.id)
                pending = self._dispatch_one(conn, schedule, now)
            for record in pending:  # only once the claims are committed
                self.run_log.record(
                    record.outcome,
                    schedule_id=record.schedule.id,
                    flow=record.schedule.flow,
                    message=record.message,
                    counts=record.counts or None,
                )

    def _dispatch_one(
        self, conn: psycopg.Connection[Any], schedule: Schedule, now: datetime
    ) -> list[PendingRecord]:
        last = last_tick(conn, schedule.id)
        if last is None:
            claim_tick(conn, schedule.id, now, TickOutcome.REGISTERED, self.host)
            log.info("schedule registered with the fleet", schedule_id=schedule.id)
            return []
        trigger = self.triggers[schedule.id]
        first = trigger.get_next_fire_time(last, last + ONE_MICROSECOND)
        if first is None or first > now:
            return []
        due = fire_times(trigger, first, now)
        latest = due[-1]
        on_time = now - latest <= self.grace
        missed = due[:-1] if on_time else due
        records: list[PendingRecord] = []
        if missed:
            claim_tick(conn, schedule.id, missed[-1], TickOutcome.MISSED, self.host, len(missed))
            zone = latest.tzinfo
            records.append(
                PendingRecord(
                    ScheduledOutcome.MISSED,
                    schedule,
                    _missed_message(missed, lambda t: t.astimezone(zone)),
                    {"missed_runs": len(missed)},
                )
            )
        if on_time and claim_tick(conn, schedule.id, latest, TickOutcome.QUEUED, self.host):
            records.extend(self._queue(conn, schedule, latest))
        return records

    def _queue(
        self, conn: psycopg.Connection[Any], schedule: Schedule, fire_time: datetime
    ) -> list[PendingRecord]:
        waiting = [j for j in open_jobs(conn, schedule.flow) if j.status == "todo"]
        if waiting:
            set_tick_job(conn, schedule.id, fire_time, TickOutcome.SKIPPED, None)
            return [
                PendingRecord(
                    ScheduledOutcome.SKIPPED,
                    schedule,
                    f"the run due at {local_time(fire_time)} was not queued: a run of flow "
                    f"{schedule.flow!r} (job {waiting[0].job_id}) was still waiting for a worker.",
                )
            ]
        origin = RunOrigin(schedule_id=schedule.id, fire_time=fire_time, host=self.host)
        try:
            job_id: int | None = defer_run(
                self.app,
                schedule.flow,
                schedule.args,
                origin,
                queueing_lock=f"{schedule.id}@{fire_time.astimezone(UTC).isoformat()}",
            )
        except AlreadyEnqueued:  # a scheduler that died before committing queued it already
            job_id = None
        set_tick_job(conn, schedule.id, fire_time, TickOutcome.QUEUED, job_id)
        log.info(
            "scheduled run queued",
            schedule_id=schedule.id,
            flow=schedule.flow,
            fire_time=fire_time.isoformat(),
            job_id=job_id,
        )
        return []

    def next_fire_time(self, now: datetime) -> datetime | None:
        times = [t.get_next_fire_time(None, now) for t in self.triggers.values()]
        upcoming = [t for t in times if t is not None]
        return min(upcoming) if upcoming else None


def run_fleet_scheduler(
    settings: Settings, flows: Mapping[str, FlowSpec], schedules: Sequence[Schedule]
) -> int:
    """Queue the schedules' ticks until SIGTERM/SIGINT. Returns the exit code (0)."""
    configure_logging(
        level=settings.log_level, log_file=settings.logs_dir / "scheduler" / "scheduler.jsonl"
    )
    url = settings.effective_ledger_url
    ensure_queue_schema(url)
    run_log = SchedulerRunLog(settings)
    run_log.close_dead_runs()
    app = sync_queue_app(url)
    dispatcher = TickDispatcher(schedules, app, run_log, settings.scheduler.misfire_grace_s)
    signals = StopSignals()
    signals.install()
    log.info(
        "fleet scheduler starting",
        schedules=[s.id for s in dispatcher.schedules],
        disabled=[s.id for s in schedules if not s.enabled],
    )
    with (
        app.open(),
        psycopg.connect(libpq_url(url), autocommit=True, **connection_options()) as conn,
    ):
        ensure_ticks_table(conn)
        log.info("Scheduler started: each tick goes to the fleet's queue", host=dispatcher.host)
        while not signals.requested.is_set():
            now = datetime.now(UTC)
            dispatcher.dispatch(conn, now)
            upcoming = dispatcher.next_fire_time(datetime.now(UTC))
            wait_s = IDLE_CHECK_S
            if upcoming is not None:
                wait_s = min(wait_s, (upcoming - datetime.now(UTC)).total_seconds())
            signals.requested.wait(max(wait_s, 0.01))
    run_log.close()
    log.info("fleet scheduler stopped")
    return 0
