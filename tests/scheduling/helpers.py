"""Helpers for tests that run the real scheduler and real flow processes.

Every wait polls real state (files, the ledger, /proc) with a deadline; nothing sleeps blindly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from apscheduler.events import EVENT_SCHEDULER_STARTED

from app.scheduling.job_store import apply_schedules, build_scheduler
from app.scheduling.schedule_file import load_schedules
from config.settings import Settings
from rpa.ledger import Ledger
from rpa.run_record import RunRecord, list_runs

REPO = Path(__file__).resolve().parents[2]
FAKE_FLOWS = "tests.scheduling.fake_flows"
T = TypeVar("T")


def wait_for(predicate: Callable[[], T | None], timeout_s: float, what: str) -> T:
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.05)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def write_schedules(path: Path, *entries: dict[str, Any]) -> Path:
    """Write a schedule file with one ``[[schedule]]`` table per entry."""
    blocks = [
        "[[schedule]]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in entry.items())
        for entry in entries
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def rpa_env(home: Path, **settings: str) -> dict[str, str]:
    """A clean environment for a child ``rpa`` process: no RPA_* leaking in from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(
        {
            "RPA_HOME": str(home),
            "RPA_EXTRA_FLOW_MODULES": FAKE_FLOWS,
            "PYTHONPATH": str(REPO),
            "RPA_SCHEDULER__SCHEDULES_FILE": str(home / "schedules.toml"),
            "RPA_SCHEDULER__KILL_GRACE_S": "2",
        }
    )
    env.update(settings)
    return env


def rpa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", *args]


def fake_runs(home: Path) -> list[dict[str, Any]]:
    """Marker files the fake flow wrote, oldest first."""
    folder = home / "fake-runs"
    if not folder.is_dir():
        return []
    runs = []
    for path in sorted(folder.glob("*.json")):
        try:
            runs.append(json.loads(path.read_text()))
        except ValueError:  # being rewritten at this moment; the next poll sees it
            continue
    return sorted(runs, key=lambda r: r["started"])


def run_records(home: Path) -> list[RunRecord]:
    """Every run record in the home's ledger, oldest first."""
    if not (home / "state" / "ledger.sqlite3").exists():
        return []
    ledger = Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}")
    return sorted(list_runs(ledger, limit=1000), key=lambda r: r.started_at)


def scheduler_records(home: Path, outcome: str) -> list[RunRecord]:
    """Records the scheduler wrote for an outcome: that status, and a message starting with it."""
    status = outcome.replace(" ", "_")
    return [
        r
        for r in run_records(home)
        if r.status == status and (r.message or "").startswith(outcome + ":")
    ]


def group_gone(pgid: int) -> bool:
    """True when no process (not even a zombie) is left in process group ``pgid``."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def process_gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def browsers_started_in(folder: Path) -> list[str]:
    """Live Chromium processes (crash handlers included) working in ``folder``.

    Chromium's crash handler leaves the run's process group (its own session), so it is found
    by its working directory, which every process of a run inherits from the scheduler.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").readlink()
            name = (entry / "comm").read_text().strip()
        except OSError:  # gone, a zombie, or not ours to read
            continue
        if cwd == folder and "chrom" in name:
            found.append(f"{entry.name} {name}")
    return found


def zombie_children(pid: int) -> list[int]:
    """Children of ``pid`` that exited and were never reaped."""
    zombies = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] == "Z" and int(fields[1]) == pid:
            zombies.append(int(entry.name))
    return zombies


def store_jobs_due_now(home: Path, *schedule_ids: str) -> None:
    """Put the schedule file's jobs in the home's job store as the scheduler would, with the
    given ones due now: the next scheduler started on ``home`` runs them at once (they fell
    due just before it started, well within the misfire grace)."""
    settings = Settings(home=home, scheduler={"schedules_file": home / "schedules.toml"})
    schedules = load_schedules(settings.scheduler.schedules_file, None, "Europe/London")
    scheduler, store = build_scheduler(settings)
    apply_schedules(scheduler, store, schedules, datetime.now(UTC), timedelta(seconds=300))
    started = threading.Event()
    scheduler.add_listener(lambda event: started.set(), EVENT_SCHEDULER_STARTED)
    thread = threading.Thread(target=scheduler.start, kwargs={"paused": True})
    thread.start()
    assert started.wait(10)
    for schedule_id in schedule_ids:
        scheduler.modify_job(schedule_id, next_run_time=datetime.now(UTC))
    scheduler.shutdown(wait=False)
    thread.join(10)


class SchedulerProcess:
    """``python scheduler.py`` as a real subprocess with its own home."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env
        self.output_path = home / f"scheduler-{time.monotonic_ns()}.out"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *args: str) -> SchedulerProcess:
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO / "scheduler.py"), *args],
                env=self.env,
                cwd=self.home,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def wait_started(self, timeout_s: float = 60) -> SchedulerProcess:
        def started() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"scheduler exited early:\n{self.output()}")
            return "Scheduler started" in self.output()

        wait_for(started, timeout_s, "the scheduler to start")
        return self

    def signal(self, signum: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout_s: float = 120) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout_s)

    def stop(self, timeout_s: float = 120) -> int:
        """SIGTERM and wait for the exit code."""
        self.signal(signal.SIGTERM)
        return self.wait(timeout_s)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


MakeScheduler = Callable[..., SchedulerProcess]


def scheduled_runs(home: Path, schedule_id: str) -> list[dict[str, Any]]:
    """The fake flow's runs started by one schedule."""
    return [r for r in fake_runs(home) if r["trigger"]["schedule_id"] == schedule_id]


def at_least(count: int, items: list[T]) -> list[T] | None:
    """``items`` once there are ``count`` of them (for wait_for)."""
    return items if len(items) >= count else None
