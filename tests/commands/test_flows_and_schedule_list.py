"""`rpa flows` and `rpa schedule --list`: what an operator sees about flows and schedules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rpa.flow_lock import LockHolder, flow_lock
from tests.commands.conftest import RunRpa
from tests.scheduling.helpers import REPO, rpa_env, write_schedules


def test_flows_lists_each_flow_with_description_limit_and_next_run(run_rpa: RunRpa) -> None:
    """Every registered flow is listed; a scheduled one shows its next run and schedule id."""
    done = run_rpa("flows", RPA_SCHEDULER__FLOW_TIMEOUTS_S='{"sleepy": 5400}')
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:]}
    assert "TEST FAKE: sleeps" in lines["sleepy"]
    assert "1h30m" in lines["sleepy"]  # the configured limit, not the flow's default
    assert "(naps)" in lines["sleepy"] and "weekend-naps" not in lines["sleepy"]
    assert ":00:00 " in lines["sleepy"] or ":30:00 " in lines["sleepy"]
    assert "not scheduled" in lines["crashy"]


def test_flows_shows_the_run_holding_a_flow(run_rpa: RunRpa, home: Path) -> None:
    """A flow that is running now is shown with the run that holds it."""
    holder = LockHolder.here("20261129T120000Z-feed01", "operator carol on host-1")
    with flow_lock(home / "state" / "locks", "sleepy", holder):
        done = run_rpa("flows")
    line = next(line for line in done.stdout.splitlines() if line.startswith("sleepy"))
    assert "yes: run 20261129T120000Z-feed01 (trigger: operator carol on host-1)" in line


def test_flows_still_lists_flows_when_the_schedule_file_is_broken(
    run_rpa: RunRpa, home: Path
) -> None:
    """A broken schedule file does not hide the flows; the problem is reported on stderr."""
    write_schedules(home / "schedules.toml", {"id": "x", "flow": "sleepy", "cron": "nonsense"})
    done = run_rpa("flows")
    assert done.returncode == 0
    assert "sleepy" in done.stdout
    assert "schedule 'x' (entry 1)" in done.stderr


def test_schedule_list_shows_every_schedule_and_the_scheduler_state(run_rpa: RunRpa) -> None:
    """id, flow, timing, time zone, enabled and next run per schedule; disabled ones marked."""
    done = run_rpa("schedule", "--list")
    assert done.returncode == 0, done.stderr
    assert "Scheduler: not running" in done.stdout
    header = next(line for line in done.stdout.splitlines() if line.startswith("ID"))
    assert header.split() == ["ID", "FLOW", "WHEN", "TIME", "ZONE", "ENABLED", "NEXT", "RUN"]
    naps = next(line for line in done.stdout.splitlines() if line.startswith("naps "))
    assert "cron 0 0,30 8-17 * * mon-fri" in naps and "Europe/London" in naps
    assert " yes " in naps and (" GMT" in naps or " BST" in naps)
    weekend = next(line for line in done.stdout.splitlines() if line.startswith("weekend-naps"))
    assert "every 2h" in weekend and " no " in weekend and "(disabled)" in weekend


def test_schedule_list_refuses_an_invalid_file_with_exit_2(run_rpa: RunRpa, home: Path) -> None:
    """The listing validates the file: a duplicate id is named, exit 2."""
    write_schedules(
        home / "schedules.toml",
        {"id": "a", "flow": "sleepy", "interval": "1h"},
        {"id": "a", "flow": "sleepy", "interval": "2h"},
    )
    done = run_rpa("schedule", "--list")
    assert done.returncode == 2
    assert "schedule 'a' (entry 2): duplicate id" in done.stderr


def test_python_scheduler_py_takes_home_and_list(run_rpa: RunRpa, home: Path) -> None:
    """`python scheduler.py --home DIR --list` is `rpa --home DIR schedule --list`."""
    env = rpa_env(home)
    del env["RPA_HOME"]
    done = subprocess.run(
        [sys.executable, str(REPO / "scheduler.py"), "--home", str(home), "--list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "naps" in done.stdout
