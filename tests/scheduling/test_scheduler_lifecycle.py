"""The scheduler's life as a real process: one per job store, operators and the flow lock,
SIGTERM/SIGINT handling, kill -9, and refusing bad configuration."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.scheduling.helpers import (
    MakeScheduler,
    browsers_started_in,
    fake_runs,
    group_gone,
    process_gone,
    rpa_command,
    rpa_env,
    run_records,
    scheduled_runs,
    scheduler_records,
    store_jobs_due_now,
    wait_for,
    write_schedules,
)

pytestmark = pytest.mark.slow


def test_a_second_scheduler_on_the_same_job_store_is_refused(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """While one scheduler runs, another on the same home exits 4 naming the first one."""
    write_schedules(home / "schedules.toml", {"id": "slow", "flow": "sleepy", "interval": "1h"})
    first = make_scheduler().start().wait_started()
    second = make_scheduler().start()
    assert second.wait(120) == 4
    assert "already running" in second.output()
    assert f"pid {first.pid}" in second.output()
    assert first.stop() == 0


def test_an_operator_run_is_refused_during_a_scheduled_run_and_wait_works(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """During a scheduled run, `rpa run` of the same flow is refused with the running run named;
    with --wait it waits, and starts once the scheduled run has ended."""
    release = home / "release-scheduled-run"
    write_schedules(
        home / "schedules.toml",
        {"id": "once", "flow": "sleepy", "interval": "1h", "args": ["--until-file", str(release)]},
    )
    store_jobs_due_now(home, "once")  # so that it runs as soon as the scheduler starts
    scheduler = make_scheduler().start().wait_started()
    scheduled = wait_for(lambda: scheduled_runs(home, "once"), 60, "the scheduled run to start")[0]
    env = rpa_env(home)
    refused = subprocess.run(
        rpa_command("run", "sleepy", "--operator", "alice"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
    )
    assert refused.returncode == 4
    assert "already running" in refused.stderr
    assert str(scheduled["run_id"]) in refused.stderr
    assert "schedule once" in refused.stderr
    with subprocess.Popen(
        rpa_command("run", "sleepy", "--operator", "bob", "--wait"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as waiter:
        waiting = wait_for(
            lambda: list((home / "fake-runs").glob("*.waiting")),
            60,
            "the operator's run to wait for the lock",
        )
        assert str(scheduled["run_id"]) in waiting[0].read_text()
        assert waiter.poll() is None
        release.touch()
        _, errors = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, errors
    assert scheduler.stop() == 0
    by_operator = [r for r in fake_runs(home) if r["trigger"]["operator"] == "bob"]
    finished = next(r for r in fake_runs(home) if r["run_id"] == scheduled["run_id"])
    assert len(by_operator) == 1
    assert str(by_operator[0]["started"]) >= str(finished["ended"])
    assert not [r for r in fake_runs(home) if r["trigger"]["operator"] == "alice"]


def test_sigterm_lets_a_run_finish_within_the_grace_then_stops(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """SIGTERM during a run that ends within the grace: the run completes, nothing new starts,
    and the scheduler exits 0 as soon as it has, without waiting out the whole grace."""
    release = home / "release-run"
    write_schedules(
        home / "schedules.toml",
        {
            "id": "short",
            "flow": "sleepy",
            "interval": "1s",
            "args": ["--until-file", str(release), "--on-sigterm", "finish"],
        },
    )
    scheduler = make_scheduler(RPA_SCHEDULER__SHUTDOWN_GRACE_S="120").start().wait_started()
    wait_for(lambda: scheduled_runs(home, "short"), 60, "a run to start")
    scheduler.signal(signal.SIGTERM)
    wait_for(lambda: "stop requested" in scheduler.output(), 60, "the signal to register")
    release.touch()  # the run ends now, inside the grace
    ended = time.monotonic()
    assert scheduler.wait(120) == 0
    assert time.monotonic() - ended < 60
    runs = fake_runs(home)
    assert len(runs) == 1 and "ended" in runs[0]
    assert scheduler_records(home, "interrupted") == []


def test_sigterm_stops_a_long_run_after_the_grace_and_records_it_interrupted(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """SIGTERM during a long run: after the shutdown grace its process group (browser
    included) is stopped, the run is recorded as interrupted, and the scheduler exits 0."""
    write_schedules(
        home / "schedules.toml",
        {
            "id": "long",
            "flow": "sleepy",
            "interval": "1s",
            "args": ["--seconds", "60", "--browser", "--on-sigterm", "finish"],
        },
    )
    scheduler = make_scheduler(RPA_SCHEDULER__SHUTDOWN_GRACE_S="1").start().wait_started()
    run = wait_for(lambda: scheduled_runs(home, "long"), 60, "a run to start")[0]
    assert scheduler.stop(timeout_s=60) == 0
    interrupted = scheduler_records(home, "interrupted")
    assert len(interrupted) == 1 and interrupted[0].trigger.schedule_id == "long"
    assert group_gone(int(run["pgid"]))
    assert process_gone(int(run["browser_pid"]))
    assert len(fake_runs(home)) == 1  # no new run started after the signal
    wait_for(lambda: not browsers_started_in(home) or None, 60, "no browser left behind")


def test_sigterm_asks_running_flows_to_wind_down(home: Path, make_scheduler: MakeScheduler) -> None:
    """On SIGTERM the scheduler passes SIGTERM to each running flow (and only to the flow, not
    its browser); a flow that stops at once ends the shutdown early with its own record."""
    write_schedules(
        home / "schedules.toml",
        {"id": "polite", "flow": "sleepy", "interval": "1s", "args": ["--seconds", "60"]},
    )
    scheduler = make_scheduler(RPA_SCHEDULER__SHUTDOWN_GRACE_S="120").start().wait_started()
    run = wait_for(lambda: scheduled_runs(home, "polite"), 60, "a run to start")[0]
    started = time.monotonic()
    assert scheduler.stop() == 0
    assert time.monotonic() - started < 60
    own = [r for r in run_records(home) if r.run_id == run["run_id"]]
    assert own[0].status == "aborted" and own[0].message == "stopped by SIGTERM"
    assert scheduler_records(home, "interrupted") == []
    assert group_gone(int(run["pgid"]))


def test_a_second_signal_cuts_the_shutdown_grace_short(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """SIGTERM then SIGINT: the long grace is not waited out; the run is stopped at once."""
    write_schedules(
        home / "schedules.toml",
        {
            "id": "long",
            "flow": "sleepy",
            "interval": "1s",
            "args": ["--seconds", "60", "--on-sigterm", "finish"],
        },
    )
    scheduler = make_scheduler(RPA_SCHEDULER__SHUTDOWN_GRACE_S="120").start().wait_started()
    wait_for(lambda: scheduled_runs(home, "long"), 60, "a run to start")
    scheduler.signal(signal.SIGTERM)
    wait_for(lambda: "stop requested" in scheduler.output(), 60, "the first signal to register")
    started = time.monotonic()
    scheduler.signal(signal.SIGINT)
    assert scheduler.wait(60) == 0
    assert time.monotonic() - started < 30
    assert len(scheduler_records(home, "interrupted")) == 1


def test_kill_9_leaves_no_stale_flow_lock_or_scheduler_lock(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """A flow run killed with SIGKILL does not block the next run; a scheduler killed with
    SIGKILL does not block the next scheduler."""
    env = rpa_env(home)
    holder = subprocess.Popen(
        rpa_command("run", "sleepy", "--seconds", "60"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: fake_runs(home), 60, "the first run to hold the lock")
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    again = subprocess.run(
        rpa_command("run", "sleepy", "--seconds", "0"),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert again.returncode == 0, again.stderr

    write_schedules(home / "schedules.toml", {"id": "slow", "flow": "sleepy", "interval": "1h"})
    first = make_scheduler().start().wait_started()
    first.signal(signal.SIGKILL)
    first.wait(10)
    second = make_scheduler().start().wait_started()
    assert second.stop() == 0


def test_an_invalid_schedule_file_refuses_to_start(
    home: Path, make_scheduler: MakeScheduler
) -> None:
    """A bad cron expression stops the start with exit 2 and a message naming the entry."""
    write_schedules(
        home / "schedules.toml",
        {"id": "good", "flow": "sleepy", "interval": "1h"},
        {"id": "bad-cron", "flow": "sleepy", "cron": "61 * * * *"},
    )
    scheduler = make_scheduler().start()
    assert scheduler.wait(120) == 2
    assert "schedule 'bad-cron' (entry 2)" in scheduler.output()
    assert "61" in scheduler.output()


def test_an_invalid_setting_refuses_to_start(home: Path, make_scheduler: MakeScheduler) -> None:
    """A bad scheduler setting stops `python -m app schedule` with exit 2 naming the setting."""
    write_schedules(home / "schedules.toml", {"id": "good", "flow": "sleepy", "interval": "1h"})
    done = subprocess.run(
        rpa_command("schedule"),
        capture_output=True,
        text=True,
        timeout=60,
        env=rpa_env(home, RPA_SCHEDULER__MISFIRE_GRACE_S="0"),
    )
    assert done.returncode == 2
    assert "scheduler.misfire_grace_s" in done.stderr
