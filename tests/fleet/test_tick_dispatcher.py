"""Each schedule's tick queued once for the whole fleet, missed ticks recorded once, in the
schedule's time zone: the dispatcher of ``rpa schedule`` (ledger on PostgreSQL), driven with
chosen moments against the real test server and the real queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
import pytest

from app.fleet.fleet_scheduler import TickDispatcher
from app.fleet.queue_app import sync_queue_app
from app.fleet.queued_runs import open_jobs
from app.fleet.schedule_ticks import ensure_ticks_table
from app.scheduling.run_log import SchedulerRunLog
from app.scheduling.schedule_file import Schedule
from config.settings import Settings
from rpa.ledger import Ledger
from rpa.run_record import RunRecord, list_runs

pytestmark = [pytest.mark.postgres]

HOURLY = Schedule(
    id="hourly-po",
    flow="raise-purchase-orders",
    cron="0 * * * *",
    interval=None,
    timezone="Europe/London",
)


@pytest.fixture
def queue(fleet_url: str) -> Iterator[procrastinate.App]:
    app = sync_queue_app(fleet_url)
    with app.open():
        yield app


def _dispatcher(
    fleet_url: str, home: Path, queue: procrastinate.App, *schedules: Schedule
) -> TickDispatcher:
    run_log = SchedulerRunLog(Settings(home=home, ledger_url=fleet_url))
    _OPENED.append(run_log)
    return TickDispatcher(list(schedules), queue, run_log, 300)


_OPENED: list[SchedulerRunLog] = []


@pytest.fixture(autouse=True)
def _close_run_logs() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _records(fleet_url: str, status: str) -> list[RunRecord]:
    with Ledger(fleet_url) as ledger:
        return [r for r in list_runs(ledger, limit=100) if r.status == status]


@pytest.fixture
def hosts(
    fleet_url: str, tmp_path: Path, queue: procrastinate.App, sql: psycopg.Connection[Any]
) -> tuple[TickDispatcher, TickDispatcher]:
    """Two schedulers (two homes) on one database, the schedule registered at 08:10."""
    ensure_ticks_table(sql)
    first = _dispatcher(fleet_url, tmp_path / "host-1", queue, HOURLY)
    second = _dispatcher(fleet_url, tmp_path / "host-2", queue, HOURLY)
    first.dispatch(sql, _at("2027-01-11T08:10:00+00:00"))
    second.dispatch(sql, _at("2027-01-11T08:10:00+00:00"))
    return first, second


def test_a_schedule_first_seen_queues_nothing_and_is_registered_once(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any]
) -> None:
    rows = sql.execute("SELECT schedule_id, outcome FROM schedule_ticks").fetchall()
    assert rows == [("hourly-po", "registered")]
    assert open_jobs(sql) == []


def test_two_schedulers_at_the_same_tick_queue_one_run(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any]
) -> None:
    first, second = hosts
    moment = _at("2027-01-11T09:00:01+00:00")
    first.dispatch(sql, moment)
    second.dispatch(sql, moment)
    second.dispatch(sql, moment + timedelta(seconds=30))
    [job] = open_jobs(sql)
    assert job.flow == "raise-purchase-orders" and job.status == "todo"
    assert job.origin.schedule_id == "hourly-po"
    assert job.origin.fire_time == _at("2027-01-11T09:00:00+00:00")
    ticks = sql.execute(
        "SELECT outcome, job_id FROM schedule_ticks WHERE outcome <> 'registered'"
    ).fetchall()
    assert ticks == [("queued", job.job_id)]


def test_a_tick_taken_by_a_worker_is_not_queued_again_by_a_late_scheduler(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any]
) -> None:
    """The queue's own queueing lock holds only while the job waits: the tick's claim must."""
    first, second = hosts
    first.dispatch(sql, _at("2027-01-11T09:00:01+00:00"))
    sql.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")  # a worker ran it
    second.dispatch(sql, _at("2027-01-11T09:02:00+00:00"))
    assert sql.execute("SELECT count(*) FROM procrastinate_jobs").fetchone() == (1,)


def test_ticks_missed_while_every_scheduler_was_down_are_recorded_once(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any], fleet_url: str
) -> None:
    first, second = hosts
    back_at = _at("2027-01-11T12:20:00+00:00")  # 09:00, 10:00, 11:00 and 12:00 passed
    first.dispatch(sql, back_at)
    second.dispatch(sql, back_at + timedelta(seconds=5))
    [missed] = _records(fleet_url, "missed")
    assert missed.counts == {"missed_runs": 4}
    assert missed.trigger.schedule_id == "hourly-po"
    assert "09:00:00 GMT to 2027-01-11 12:00:00 GMT" in (missed.message or "")
    assert open_jobs(sql) == []  # 12:00 is 20 minutes late: past the grace of 5 minutes


def test_a_late_tick_within_the_grace_is_queued_and_the_earlier_ones_recorded_missed(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any], fleet_url: str
) -> None:
    first, _ = hosts
    first.dispatch(sql, _at("2027-01-11T11:03:00+00:00"))
    [missed] = _records(fleet_url, "missed")
    assert missed.counts == {"missed_runs": 2}  # 09:00 and 10:00
    [job] = open_jobs(sql)
    assert job.origin.fire_time == _at("2027-01-11T11:00:00+00:00")


def test_a_tick_finding_its_flow_still_waiting_for_a_worker_is_recorded_skipped(
    hosts: tuple[TickDispatcher, TickDispatcher], sql: psycopg.Connection[Any], fleet_url: str
) -> None:
    first, second = hosts
    first.dispatch(sql, _at("2027-01-11T09:00:01+00:00"))
    second.dispatch(sql, _at("2027-01-11T10:00:01+00:00"))
    assert len(open_jobs(sql)) == 1
    [skipped] = _records(fleet_url, "skipped")
    assert "was still waiting for a worker" in (skipped.message or "")
    assert "10:00:00 GMT" in (skipped.message or "")


def test_fire_times_follow_london_time_across_the_clock_change(
    fleet_url: str, tmp_path: Path, queue: procrastinate.App, sql: psycopg.Connection[Any]
) -> None:
    """09:00 every day in Europe/London is 09:00 UTC before the clocks go forward (Sunday 28
    March 2027), 08:00 UTC from that day."""
    ensure_ticks_table(sql)
    daily = Schedule(
        id="daily-9",
        flow="sync-suppliers",
        cron="0 9 * * *",
        interval=None,
        timezone="Europe/London",
    )
    dispatcher = _dispatcher(fleet_url, tmp_path / "host-1", queue, daily)
    dispatcher.dispatch(sql, _at("2027-03-26T12:00:00+00:00"))
    dispatcher.dispatch(sql, _at("2027-03-27T09:00:05+00:00"))
    sql.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")
    dispatcher.dispatch(sql, _at("2027-03-28T08:00:05+00:00"))
    fire_times = [
        row[0]
        for row in sql.execute(
            "SELECT fire_time FROM schedule_ticks WHERE outcome = 'queued' ORDER BY fire_time"
        )
    ]
    assert fire_times == [_at("2027-03-27T09:00:00+00:00"), _at("2027-03-28T08:00:00+00:00")]


def test_interval_schedules_count_from_their_registration_on_every_host(
    fleet_url: str, tmp_path: Path, queue: procrastinate.App, sql: psycopg.Connection[Any]
) -> None:
    ensure_ticks_table(sql)
    every = Schedule(
        id="every-20m",
        flow="raise-purchase-orders",
        cron=None,
        interval="20m",
        timezone="Europe/London",
    )
    first = _dispatcher(fleet_url, tmp_path / "host-1", queue, every)
    second = _dispatcher(fleet_url, tmp_path / "host-2", queue, every)
    first.dispatch(sql, _at("2027-01-11T08:07:00+00:00"))  # registered at 08:07
    second.dispatch(sql, _at("2027-01-11T08:27:30+00:00"))
    sql.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")
    first.dispatch(sql, _at("2027-01-11T08:47:10+00:00"))
    [(count,)] = sql.execute("SELECT count(*) FROM procrastinate_jobs").fetchall()
    assert count == 2
    queued = [
        row[0]
        for row in sql.execute(
            "SELECT fire_time FROM schedule_ticks WHERE outcome = 'queued' ORDER BY fire_time"
        )
    ]
    assert queued == [_at("2027-01-11T08:27:00+00:00"), _at("2027-01-11T08:47:00+00:00")]
