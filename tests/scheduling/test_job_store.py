"""Applying the schedule file to APScheduler's persistent job store, and finding the runs that
fell due while the scheduler was stopped (real SQLite job store, scheduler started paused)."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import select

from app.scheduling.job_store import (
    FORMER_JOB_FUNCTIONS,
    JOB_FUNCTION,
    MissedRuns,
    apply_schedules,
    build_scheduler,
    job_store_url,
    stored_next_run_times,
)
from app.scheduling.schedule_file import Schedule
from config.settings import Settings

LONDON = ZoneInfo("Europe/London")
GRACE = timedelta(seconds=300)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path)


def schedule(
    schedule_id: str, *, cron: str | None = None, interval: str | None = None, enabled: bool = True
) -> Schedule:
    return Schedule(
        schedule_id, "sleepy", cron, interval, "Europe/London", ("--seconds", "1"), enabled
    )


def apply_and_store(
    settings: Settings,
    schedules: list[Schedule],
    now: datetime,
    then: Callable[[BlockingScheduler], None] | None = None,
) -> list[MissedRuns]:
    """Apply the schedules, let the scheduler (paused, on a thread) store them, stop it."""
    scheduler, store = build_scheduler(settings)
    missed = apply_schedules(scheduler, store, schedules, now, GRACE)
    started = threading.Event()
    scheduler.add_listener(lambda event: started.set(), EVENT_SCHEDULER_STARTED)
    thread = threading.Thread(target=scheduler.start, kwargs={"paused": True})
    thread.start()
    assert started.wait(10)
    if then is not None:
        then(scheduler)
    scheduler.shutdown(wait=False)
    thread.join(10)
    return missed


def stored(settings: Settings) -> dict[str, datetime | None]:
    return stored_next_run_times(job_store_url(settings))


def test_jobs_get_the_schedule_ids_and_restarts_do_not_duplicate_them(settings: Settings) -> None:
    """Each schedule is one job under its own id, however often the scheduler starts."""
    now = datetime.now(LONDON)
    schedules = [schedule("po", cron="0 0,30 8-17 * * mon-fri"), schedule("tick", interval="5m")]
    apply_and_store(settings, schedules, now)
    apply_and_store(settings, schedules, now)
    assert sorted(stored(settings)) == ["po", "tick"]
    scheduler, store = build_scheduler(settings)
    store.start(scheduler, "default")
    job = store.lookup_job("po")
    assert job.func_ref == JOB_FUNCTION
    assert job.kwargs == {"schedule_id": "po", "flow": "sleepy", "args": ["--seconds", "1"]}
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)


def test_removed_and_disabled_schedules_lose_their_jobs(settings: Settings) -> None:
    """A schedule taken out of the file, or disabled, is removed from the job store at start."""
    now = datetime.now(LONDON)
    apply_and_store(
        settings,
        [schedule("a", interval="1h"), schedule("b", interval="1h"), schedule("c", interval="1h")],
        now,
    )
    apply_and_store(
        settings, [schedule("a", interval="1h"), schedule("b", interval="1h", enabled=False)], now
    )
    assert sorted(stored(settings)) == ["a"]


def test_runs_due_while_stopped_beyond_the_grace_are_all_missed(settings: Settings) -> None:
    """Stopped over four fire times and past the grace: all four are missed, the schedule
    resumes at its next fire time after now."""
    now = datetime(2026, 11, 30, 11, 10, tzinfo=LONDON)  # a Monday
    po = schedule("po", cron="0 0,30 8-17 * * mon-fri")
    due = datetime(2026, 11, 30, 9, 30, tzinfo=LONDON)
    apply_and_store(
        settings,
        [po],
        now - timedelta(hours=2),
        then=lambda s: s.modify_job("po", next_run_time=due),
    )
    (missed,) = apply_and_store(settings, [po], now)
    assert missed.times == [
        due,
        due.replace(hour=10, minute=0),
        due.replace(hour=10),
        due.replace(hour=11, minute=0),
    ]
    assert missed.runs_late_at is None
    assert stored(settings)["po"] == datetime(2026, 11, 30, 11, 30, tzinfo=LONDON)


def test_the_latest_run_within_the_grace_still_runs_late(settings: Settings) -> None:
    """A fire time less than the grace ago is kept as the next run (it starts now, late); the
    earlier ones are recorded as missed."""
    now = datetime(2026, 11, 30, 10, 32, tzinfo=LONDON)
    po = schedule("po", cron="0 0,30 8-17 * * mon-fri")
    due = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
    apply_and_store(
        settings,
        [po],
        now - timedelta(hours=2),
        then=lambda s: s.modify_job("po", next_run_time=due),
    )
    (missed,) = apply_and_store(settings, [po], now)
    assert missed.times == [due]
    assert missed.runs_late_at == due.replace(minute=30)
    assert stored(settings)["po"] == due.replace(minute=30)


def test_a_changed_schedule_starts_afresh_without_missed_runs(settings: Settings) -> None:
    """A schedule whose timing changed is not held to its old fire times: it starts from its
    new trigger (APScheduler computes the first fire time from the real clock)."""
    now = datetime(2026, 11, 30, 11, 10, tzinfo=LONDON)
    apply_and_store(
        settings,
        [schedule("po", cron="0 0,30 8-17 * * mon-fri")],
        now - timedelta(hours=2),
        then=lambda s: s.modify_job("po", next_run_time=now - timedelta(hours=1)),
    )
    missed = apply_and_store(settings, [schedule("po", cron="0 0 8-17 * * mon-fri")], now)
    assert missed == []
    next_run = stored(settings)["po"]
    assert next_run is not None and next_run > datetime.now(LONDON)
    assert next_run.astimezone(LONDON).minute == 0  # the new trigger's, not the old half-hours


def test_jobs_stored_by_the_previous_release_keep_their_next_run_time(settings: Settings) -> None:
    """The job function moved from rpa.scheduling to app.scheduling: a job stored under the old
    path is upgraded in place, so the runs missed across the upgrade are still found."""
    now = datetime(2026, 11, 30, 11, 10, tzinfo=LONDON)
    po = schedule("po", cron="0 0,30 8-17 * * mon-fri")
    due = datetime(2026, 11, 30, 10, 30, tzinfo=LONDON)
    apply_and_store(
        settings, [po], now - timedelta(hours=2), lambda s: s.modify_job("po", next_run_time=due)
    )
    _, store = build_scheduler(settings)
    with store.engine.begin() as conn:  # as the previous release stored it
        (state_blob,) = conn.execute(select(store.jobs_t.c.job_state)).one()
        state = pickle.loads(state_blob)  # noqa: S301 - the test's own job store
        state["func"] = FORMER_JOB_FUNCTIONS[0]
        conn.execute(store.jobs_t.update().values(job_state=pickle.dumps(state)))

    (missed,) = apply_and_store(settings, [po], now)

    assert missed.times == [due, due.replace(hour=11, minute=0)]
    scheduler, store = build_scheduler(settings)
    store.start(scheduler, "default")
    assert store.lookup_job("po").func_ref == JOB_FUNCTION


def test_listing_an_absent_job_store_is_empty(settings: Settings) -> None:
    """Before the scheduler ever ran there is nothing stored, and reading creates nothing."""
    assert stored(settings) == {}
    assert not (settings.state_dir / "scheduler.sqlite3").exists()
