"""One scheduler per job store.

Two APScheduler processes on one job store both fire every job (the 3.x user guide: job stores
must never be shared between schedulers). The scheduler therefore holds an ``fcntl.flock`` on a
lock file beside its job store for as long as it runs; the kernel releases it when the process
ends, however it ends, so a crashed scheduler never blocks the next start. The file records
who holds it (pid, host, start time) for the refusal message.

A lock file protects one host. A job store in a shared database (PostgreSQL) must still be
used by one scheduler only: run the service on one host.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import make_url


def _read_holder(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class SchedulerAlreadyRunningError(RuntimeError):
    """Another scheduler holds the job store; the message says which one."""

    def __init__(self, lock_file: Path, holder: dict[str, object] | None) -> None:
        self.lock_file = lock_file
        self.holder = holder
        who = (
            (f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started_at')}")
            if holder
            else "another process"
        )
        super().__init__(
            f"Another scheduler is already running on this job store ({who}; lock file "
            f"{lock_file}). Two schedulers on one job store would run every job twice, so this "
            "one will not start. Stop the other one first (systemctl stop rpa-scheduler)."
        )


def scheduler_lock_file(job_store_url: str, state_dir: Path) -> Path:
    """Beside a SQLite job store (``scheduler.sqlite3`` → ``scheduler.lock``); else in state."""
    url = make_url(job_store_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_suffix(".lock")
    return state_dir / "scheduler.lock"


class SchedulerInstanceLock:
    """Held for the scheduler's lifetime: ``with SchedulerInstanceLock(path): run()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> SchedulerInstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SchedulerAlreadyRunningError(self.path, _read_holder(self.path)) from None
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None


def running_scheduler(lock_file: Path) -> dict[str, object] | None:
    """The running scheduler's pid/host/started_at, or None when none holds the lock."""
    if not lock_file.exists():
        return None
    fd = os.open(lock_file, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(lock_file) or {"pid": "?", "host": "?", "started_at": "?"}
        return None
    finally:
        os.close(fd)
