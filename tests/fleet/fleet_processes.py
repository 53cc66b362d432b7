"""Real ``rpa worker`` and ``rpa schedule`` processes of a fleet: each host a home of its own,
all on one PostgreSQL database, with short heartbeats so that a death is noticed in seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg

from tests.scheduling.helpers import rpa_command, rpa_env, wait_for

# Heartbeats every second; a worker silent for 5 s, a run silent for 4 s, is dead.
QUICK_DEATH = {
    "RPA_QUEUE__WORKER_HEARTBEAT_INTERVAL_S": "1",
    "RPA_QUEUE__STALLED_WORKER_TIMEOUT_S": "5",
    "RPA_QUEUE__FETCH_POLL_INTERVAL_S": "1",
    "RPA_RUN_HEARTBEAT_INTERVAL_S": "1",
    "RPA_RUN_HEARTBEAT_TIMEOUT_S": "4",
    "RPA_SCHEDULER__KILL_GRACE_S": "2",
}


def host_env(home: Path, ledger_url: str, **settings: str) -> dict[str, str]:
    """A host's environment: its own home, the fleet's ledger, quick death detection."""
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "schedules.toml").exists():
        (home / "schedules.toml").write_text("", encoding="utf-8")
    return rpa_env(home, **{"RPA_LEDGER_URL": ledger_url, **QUICK_DEATH, **settings})


class RpaProcess:
    """One long-running ``rpa`` command (worker or scheduler) in a session of its own."""

    def __init__(self, home: Path, env: dict[str, str], *args: str) -> None:
        self.home = home
        self.output_path = home / f"{args[0]}-{time.monotonic_ns()}.out"
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(
                rpa_command("--home", str(home), *args),
                env=env,
                cwd=home,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout_s: float = 60) -> None:
        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"exited early ({self.process.returncode}):\n{self.output()}")
            return text in self.output()

        wait_for(seen, timeout_s, f"{text!r} in the output of pid {self.pid}")

    def stop(self, timeout_s: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def run_rpa(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """One short ``rpa`` command on a host, to its end (output captured as text)."""
    return subprocess.run(
        rpa_command("--home", str(home), *args),
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def started_worker(home: Path, env: dict[str, str], *args: str) -> RpaProcess:
    worker = RpaProcess(home, env, "worker", *args)
    worker.wait_for_output("Starting worker on queues flows")
    return worker


def started_scheduler(home: Path, env: dict[str, str]) -> RpaProcess:
    scheduler = RpaProcess(home, env, "schedule")
    scheduler.wait_for_output("Scheduler started")
    return scheduler


def parent_of(pid: int) -> int:
    """The parent process id of ``pid`` (from /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def kill_everything_under(folder: Path) -> None:
    """SIGKILL every process whose RPA_HOME lies under ``folder``: what a test's fleet left."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        homes = [v[len(b"RPA_HOME=") :] for v in environ if v.startswith(b"RPA_HOME=")]
        if homes and homes[0].decode(errors="replace").startswith(str(folder)):
            try:
                os.kill(int(proc.name), signal.SIGKILL)
            except ProcessLookupError:
                continue


def jobs(sql: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    """The queue's run jobs: (id, status, attempts, args), oldest first."""
    return sql.execute(
        "SELECT id, status::text, attempts, args FROM procrastinate_jobs ORDER BY id"
    ).fetchall()
