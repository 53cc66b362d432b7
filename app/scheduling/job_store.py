"""APScheduler's persistent job store, and applying the schedule file to it at start.

Rules that keep APScheduler 3.x honest (each one a way its users have lost runs):

- every job has an explicit id (the schedule's id) and is added with ``replace_existing=True``,
  so a restart never duplicates it;
- every job points at one stable function, by its import path, with plain-value arguments, so
  a refactor never makes the store drop a job it can no longer import;
- ``coalesce=True`` and ``max_instances=1``: a backlog runs once, a flow never overlaps itself;
- ``misfire_grace_time`` is a deliberate setting, not the 1 s default.

APScheduler says nothing about runs that fell due while the scheduler was not running (with
``coalesce`` it quietly runs the latest one, or drops it). So at start, for each unchanged
schedule, the fire times between its stored next run and now are worked out here and returned
as missed runs to be recorded.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import Column, Float, MetaData, Table, Unicode, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.scheduling.schedule_file import Schedule
from app.scheduling.triggers import fire_times, next_fire_time, trigger_signature
from config.settings import Settings

JOB_FUNCTION = "app.scheduling.job:run_scheduled_flow"  # stored by path; never rename lightly
# Where earlier releases kept it. A stored job naming a path that no longer imports would be
# dropped by APScheduler with its next run time, losing the runs missed during an upgrade.
FORMER_JOB_FUNCTIONS = ("rpa.scheduling.job:run_scheduled_flow",)
JOBS_TABLE = "apscheduler_jobs"
STORE_ALIAS = "default"
MISSED_LISTING_LIMIT = 10_000


@dataclass(frozen=True)
class MissedRuns:
    """Fire times of one schedule that passed while the scheduler was not running."""

    schedule: Schedule
    times: list[datetime]
    runs_late_at: datetime | None  # the latest fire time, still run now (within the grace)


class ForegroundScheduler(BlockingScheduler):  # type: ignore[misc]  # APScheduler is untyped
    """APScheduler's ``BlockingScheduler``, minus one pass over the jobs after shutdown.

    Its main loop looks for due jobs once more after ``shutdown()`` wakes it; a job due at that
    moment cannot be handed to the stopped executor, yet its next run time is advanced, so the
    run would vanish without a trace. Skipping that pass leaves the job due in the store, and
    the next start records or runs it.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        wait_seconds: float | None = super()._process_jobs()
        return wait_seconds


def job_store_url(settings: Settings) -> str:
    return settings.scheduler.effective_job_store_url(settings.state_dir)


def _ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def build_scheduler(settings: Settings) -> tuple[BlockingScheduler, SQLAlchemyJobStore]:
    """A foreground scheduler over the persistent job store, with the project's job defaults."""
    url = job_store_url(settings)
    _ensure_sqlite_dir(url)
    store = SQLAlchemyJobStore(url=url, tablename=JOBS_TABLE)
    scheduler = ForegroundScheduler(
        jobstores={STORE_ALIAS: store},
        executors={"default": ThreadPoolExecutor(settings.scheduler.max_parallel_runs)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.scheduler.misfire_grace_s,
        },
        timezone=ZoneInfo(settings.scheduler.timezone),
    )
    return scheduler, store


def _reconcile(
    schedule: Schedule, stored_next: datetime, trigger: BaseTrigger, now: datetime, grace: timedelta
) -> tuple[datetime | None, MissedRuns | None]:
    """Next run time to keep for an unchanged schedule, and the runs it missed meanwhile."""
    due = fire_times(trigger, stored_next, now, MISSED_LISTING_LIMIT)
    if not due:
        return stored_next, None
    latest = due[-1]
    if now - latest <= grace:  # still worth running: it runs now, the earlier ones are missed
        missed = due[:-1]
        return latest, (MissedRuns(schedule, missed, latest) if missed else None)
    return next_fire_time(trigger, now), MissedRuns(schedule, due, None)


def apply_schedules(
    scheduler: BlockingScheduler,
    store: SQLAlchemyJobStore,
    schedules: Iterable[Schedule],
    now: datetime,
    grace: timedelta,
) -> list[MissedRuns]:
    """Make the job store match the schedule file; return the runs missed while stopped.

    Must run before ``scheduler.start()``: the store is opened directly to read what the last
    run of the scheduler left (its jobs' next run times).
    """
    store.start(scheduler, STORE_ALIAS)
    _upgrade_job_function_paths(store)
    stored = {job.id: job for job in store.get_all_jobs()}
    missed: list[MissedRuns] = []
    wanted: set[str] = set()
    for schedule in schedules:
        if not schedule.enabled:
            continue
        wanted.add(schedule.id)
        trigger = schedule.build_trigger()
        options: dict[str, object] = {}
        old = stored.get(schedule.id)
        if (
            old is not None
            and old.next_run_time is not None
            and trigger_signature(old.trigger) == trigger_signature(trigger)
        ):
            trigger = old.trigger  # keeps an interval's phase across restarts
            options["next_run_time"], window = _reconcile(
                schedule, old.next_run_time, trigger, now, grace
            )
            if window is not None:
                missed.append(window)
        scheduler.add_job(
            JOB_FUNCTION,
            trigger,
            id=schedule.id,
            name=f"{schedule.id} ({schedule.flow})",
            kwargs={"schedule_id": schedule.id, "flow": schedule.flow, "args": list(schedule.args)},
            replace_existing=True,
            jobstore=STORE_ALIAS,
            **options,
        )
    for job_id in set(stored) - wanted:  # removed from the file, or disabled
        store.remove_job(job_id)
    return missed


def _upgrade_job_function_paths(store: SQLAlchemyJobStore) -> None:
    """Point jobs stored by an earlier release at today's job function, keeping everything else
    (trigger, next run time). A job's state is APScheduler's pickled dict; only 'func' changes."""
    table = store.jobs_t
    with store.engine.begin() as conn:
        for row in conn.execute(select(table.c.id, table.c.job_state)).all():
            state = pickle.loads(row.job_state)  # noqa: S301 - the store's own rows, as APScheduler reads them
            if isinstance(state, dict) and state.get("func") in FORMER_JOB_FUNCTIONS:
                state["func"] = JOB_FUNCTION
                conn.execute(
                    table.update()
                    .where(table.c.id == row.id)
                    .values(job_state=pickle.dumps(state, store.pickle_protocol))
                )


def stored_next_run_times(url: str) -> dict[str, datetime | None]:
    """Each stored job's next run time, read without unpickling (for listings).

    Empty when the job store does not exist yet (the scheduler never ran).
    """
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and (not parsed.database or not Path(parsed.database).exists()):
        return {}
    table = Table(
        JOBS_TABLE, MetaData(), Column("id", Unicode(191)), Column("next_run_time", Float(25))
    )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.id, table.c.next_run_time)).all()
    except SQLAlchemyError:  # no table yet
        return {}
    finally:
        engine.dispose()
    return {
        row.id: (
            None if row.next_run_time is None else datetime.fromtimestamp(row.next_run_time, UTC)
        )
        for row in rows
    }
