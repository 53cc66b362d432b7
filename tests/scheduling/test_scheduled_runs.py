"""Scheduled runs with the scheduler as a real process: firing on time, never overlapping,
missed and skipped runs recorded, crashes and overruns contained (process groups, browsers).
Schedules fire every second or two so that the module stays short."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.scheduling.job_store import stored_next_run_times
from rpa.flow_lock import LockHolder, flow_lock
from tests.scheduling.helpers import (
    MakeScheduler,
    at_least,
    browsers_started_in,
    fake_runs,
    group_gone,
    process_gone,
    run_records,
    scheduled_runs,
    scheduler_records,
    wait_for,
    write_schedules,
    zombie_children,
)

pytestmark = pytest.mark.slow


def test_runs_fire_on_a_seconds_level_cron_schedule(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """A six-field cron fires every 2 s; each run is a child marked as started by its schedule;
    a helper a run leaves behind outside its process group is stopped when the run ends."""
    write_schedules(
        home / "schedules.toml",
        {"id": "tick", "flow": "sleepy", "cron": "*/2 * * * * *", "args": ["--daemon"]},
    )
    scheduler = make_scheduler().start().wait_started()
    runs = wait_for(lambda: at_least(2, scheduled_runs(home, "tick")), 60, "two scheduled runs")
    assert scheduler.stop() == 0
    assert all(r["trigger"]["kind"] == "schedule" for r in runs)
    assert runs[0]["pid"] != runs[1]["pid"]  # each run its own child process
    recorded = [r for r in run_records(home) if r.flow == "sleepy" and r.status == "succeeded"]
    assert {r.trigger.schedule_id for r in recorded} == {"tick"}
    assert [r["daemon_pid"] for r in fake_runs(home) if not process_gone(r["daemon_pid"])] == []


def test_a_run_outlasting_its_interval_is_skipped_not_overlapped(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """A 3 s run on a 1 s interval: the next runs are recorded as skipped, never run alongside."""
    write_schedules(
        home / "schedules.toml",
        {"id": "busy", "flow": "sleepy", "interval": "1s", "args": ["--seconds", "3"]},
    )
    scheduler = make_scheduler().start().wait_started()
    skipped = wait_for(lambda: scheduler_records(home, "skipped"), 60, "a skipped run record")
    wait_for(lambda: any("ended" in r for r in fake_runs(home)), 60, "the long run to end")
    assert scheduler.stop() == 0
    assert skipped[0].trigger.schedule_id == "busy"
    assert "still running" in (skipped[0].message or "")
    runs = [r for r in fake_runs(home) if "ended" in r]
    for earlier, later in itertools.pairwise(runs):
        assert str(later["started"]) >= str(earlier["ended"]), "two runs of one flow overlapped"


def test_runs_missed_while_the_scheduler_was_down_are_recorded(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """Stopped past a fire time (and its misfire grace), the next start records the missed run,
    then carries on with the schedule."""
    write_schedules(
        home / "schedules.toml",
        {"id": "every3", "flow": "sleepy", "interval": "3s", "args": ["--seconds", "0"]},
    )
    settings = {"RPA_SCHEDULER__MISFIRE_GRACE_S": "1"}
    first = make_scheduler(**settings).start().wait_started()
    assert first.stop() == 0
    due = stored_next_run_times(f"sqlite:///{home / 'state' / 'scheduler.sqlite3'}")["every3"]
    assert due is not None
    wait_for(
        lambda: datetime.now(UTC) > due + timedelta(seconds=1.5),
        60,
        "the fire time and its grace to pass while the scheduler is down",
    )
    second = make_scheduler(**settings).start().wait_started()
    missed = wait_for(lambda: scheduler_records(home, "missed"), 60, "a missed run record")
    wait_for(lambda: scheduled_runs(home, "every3"), 60, "the schedule to resume")
    assert second.stop() == 0
    assert missed[0].trigger.schedule_id == "every3"
    assert missed[0].counts["missed_runs"] >= 1
    assert "while the scheduler was not running" in (missed[0].message or "")


def test_a_scheduled_run_is_skipped_while_an_operator_runs_the_flow(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """While an operator's run holds the flow, scheduled runs are skipped and recorded with the
    operator's run named; none starts."""
    write_schedules(home / "schedules.toml", {"id": "tick", "flow": "sleepy", "interval": "1s"})
    holder = LockHolder.here("20261129T090000Z-0per01", "operator dave on host-2")
    with flow_lock(home / "state" / "locks", "sleepy", holder):
        scheduler = make_scheduler().start().wait_started()
        skipped = wait_for(lambda: scheduler_records(home, "skipped"), 60, "a skipped record")
        assert scheduler.stop() == 0
    assert "run 20261129T090000Z-0per01 (trigger: operator dave on host-2)" in (
        skipped[0].message or ""
    )
    assert fake_runs(home) == []


def test_a_run_that_cannot_start_within_the_misfire_grace_is_recorded_missed(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """With one worker busy for 4 s, another flow due meanwhile starts too late for its 1 s
    grace: APScheduler's missed event becomes a run record."""
    write_schedules(
        home / "schedules.toml",
        {"id": "hog", "flow": "sleepy", "interval": "2s", "args": ["--seconds", "4"]},
        {"id": "starved", "flow": "crashy", "interval": "2s", "args": ["--seconds", "0"]},
    )
    scheduler = (
        make_scheduler(RPA_SCHEDULER__MAX_PARALLEL_RUNS="1", RPA_SCHEDULER__MISFIRE_GRACE_S="1")
        .start()
        .wait_started()
    )
    missed = wait_for(lambda: scheduler_records(home, "missed"), 60, "a missed run record")
    assert scheduler.stop() == 0
    assert "could not start within the misfire grace of 1 s" in (missed[0].message or "")
    assert missed[0].counts == {"missed_runs": 1}


def test_crashes_and_overruns_do_not_stop_the_scheduler(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """A crashing flow is recorded as crashed each time; an overrunning one (not stopping on
    SIGTERM, with a browser and a helper outside its group) is killed whole, browser and helper
    included, and recorded as timed out; the scheduler keeps going."""
    write_schedules(
        home / "schedules.toml",
        {"id": "crash", "flow": "crashy", "interval": "1s", "args": ["--crash"]},
        {
            "id": "overrun",
            "flow": "sleepy",
            "interval": "1s",
            "args": ["--seconds", "60", "--browser", "--daemon", "--on-sigterm", "finish"],
        },
    )
    scheduler = (
        make_scheduler(
            RPA_SCHEDULER__FLOW_TIMEOUTS_S='{"sleepy": 6}', RPA_SCHEDULER__KILL_GRACE_S="1"
        )
        .start()
        .wait_started()
    )
    overrun = wait_for(
        lambda: [r for r in scheduled_runs(home, "overrun") if r["browser_pid"]],
        60,
        "an overrunning run with its browser",
    )[0]
    timed_out = wait_for(
        lambda: [
            r
            for r in scheduler_records(home, "timed out")
            if f"run {overrun['run_id']}" in (r.message or "")
        ],
        60,
        "that run's timed-out record",
    )
    assert group_gone(int(overrun["pgid"])), "a process of the killed run is still there"
    assert process_gone(int(overrun["browser_pid"])), "the run's browser survived"
    assert process_gone(int(overrun["daemon_pid"])), "its helper outside the group survived"
    assert "SIGKILL was needed" in (timed_out[0].message or "")
    wait_for(
        lambda: not browsers_started_in(home) or None,
        60,
        "the browser's crash handlers (outside the group) to exit",
    )
    wait_for(
        lambda: not zombie_children(scheduler.pid) or None,
        60,
        "the scheduler to reap every process it adopted",
    )
    wait_for(lambda: at_least(2, scheduled_runs(home, "overrun")), 60, "the next overrun run")
    crashes = wait_for(
        lambda: at_least(2, scheduler_records(home, "crashed")), 60, "two crash records"
    )
    assert scheduler.process is not None and scheduler.process.poll() is None
    assert scheduler.stop() == 0
    assert "the fake flow crashed on purpose" in (crashes[0].message or "")
    assert crashes[0].trigger.schedule_id == "crash"
    own = [r for r in run_records(home) if r.run_id == overrun["run_id"]]
    assert own and own[0].status == "aborted"  # the killed run's own record is not left running
