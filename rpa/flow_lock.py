"""One run of a flow at a time, across processes: the scheduler's children and operators' commands.

The lock is an ``fcntl.flock`` on ``<home>/state/locks/<flow>.lock``. The kernel drops it when the
holding process dies, even on ``kill -9``, so it can never go stale and nobody has to clean it up.
The file's content says who holds it (run id, trigger, pid, host, since) so that a refused
command can tell the operator which run is in the way.

The scheduler takes a flow's lock *before* it starts the child that runs the flow and hands the
open descriptor down (``RPA_FLOW_LOCK_FD=<flow>:<fd>``): an ``flock`` belongs to the open file,
which the child shares, so there is no moment between "checked" and "started" in which an
operator's command could slip in. The child's :func:`flow_lock` adopts that descriptor instead
of opening the file again.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings import Settings

INHERITED_LOCK_ENV = "RPA_FLOW_LOCK_FD"
_FIRST_POLL_S = 0.05
_MAX_POLL_S = 1.0  # a waiting operator starts within a second of the lock being released


@dataclass(frozen=True)
class LockHolder:
    """Who holds a flow's lock; written into the lock file."""

    run_id: str | None
    trigger: str
    pid: int
    host: str
    since: str  # UTC, ISO 8601

    @classmethod
    def here(cls, run_id: str | None, trigger: str) -> LockHolder:
        """A holder description for the calling process, now."""
        since = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        return cls(run_id, trigger, os.getpid(), socket.gethostname(), since)

    def describe(self) -> str:
        run = f"run {self.run_id}" if self.run_id else "a run"
        return f"{run} (trigger: {self.trigger}), pid {self.pid} on {self.host}, since {self.since}"


class FlowBusyError(RuntimeError):
    """The flow is already running; the message names the run that holds it."""

    def __init__(self, flow: str, holder: LockHolder | None, waited_s: float | None = None) -> None:
        self.flow = flow
        self.holder = holder
        self.waited_s = waited_s
        who = holder.describe() if holder else "another process (it has not said which run yet)"
        waited = f" after waiting {waited_s:.0f} s" if waited_s is not None else ""
        super().__init__(
            f"Flow {flow!r} is already running{waited}: {who}. Only one run of a flow may run "
            f"at a time; wait for it to finish, or start the command again with --wait."
        )


def lock_path(lock_dir: Path, flow: str) -> Path:
    """The lock file of ``flow`` (the name is made file-system safe)."""
    return lock_dir / (re.sub(r"[^A-Za-z0-9._-]", "_", flow) + ".lock")


def read_holder(path: Path) -> LockHolder | None:
    """The holder written in a lock file, or None when it is empty or half-written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        return LockHolder(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_holder(fd: int, holder: LockHolder) -> None:
    data = json.dumps(asdict(holder)).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _inherited_fd(path: Path, flow: str) -> int | None:
    """The descriptor the scheduler handed down for this flow's lock file, if any."""
    value = os.environ.get(INHERITED_LOCK_ENV, "")
    name, _, fd_text = value.rpartition(":")
    if name != flow or not fd_text.isdigit():
        return None
    fd = int(fd_text)
    try:
        ours, theirs = os.fstat(fd), path.stat()
    except OSError:
        return None
    if (ours.st_dev, ours.st_ino) != (theirs.st_dev, theirs.st_ino):
        return None
    # Grandchildren (the browser) must neither inherit the lock nor believe they hold it.
    os.environ.pop(INHERITED_LOCK_ENV, None)
    os.set_inheritable(fd, False)
    return fd


def take_or_wait(
    flow: str,
    try_lock: Callable[[], bool],
    holder_now: Callable[[], LockHolder | None],
    *,
    wait: bool,
    wait_timeout_s: float | None,
    on_wait: Callable[[LockHolder | None], None] | None,
) -> None:
    """Call ``try_lock`` until it succeeds; raise :class:`FlowBusyError` naming
    ``holder_now()`` at once (without ``wait``) or after ``wait_timeout_s``. ``on_wait`` is called
    once, with the holder, when it has to wait. Shared by the host's and the fleet's lock."""
    started = time.monotonic()
    poll_s = _FIRST_POLL_S
    while not try_lock():
        waited = time.monotonic() - started
        if not wait or (wait_timeout_s is not None and waited >= wait_timeout_s):
            raise FlowBusyError(flow, holder_now(), waited if wait else None)
        if on_wait is not None and poll_s == _FIRST_POLL_S:
            on_wait(holder_now())
        pause = poll_s if wait_timeout_s is None else min(poll_s, wait_timeout_s - waited)
        time.sleep(max(pause, 0.0))  # polling a lock: there is no wake-up to wait on
        poll_s = min(poll_s * 1.5, _MAX_POLL_S)


class FlowLock:
    """An acquired (or acquirable) lock on one flow; see :func:`flow_lock` for the usual form."""

    def __init__(self, lock_dir: Path, flow: str) -> None:
        self.flow = flow
        self.path = lock_path(lock_dir, flow)
        self.fd: int | None = None
        self.adopted = False

    def acquire(
        self,
        holder: LockHolder,
        *,
        wait: bool = False,
        wait_timeout_s: float | None = None,
        on_wait: Callable[[LockHolder | None], None] | None = None,
    ) -> FlowLock:
        """Take the lock, or raise :class:`FlowBusyError` (at once, or after ``wait_timeout_s``).

        ``on_wait`` is called once, with the current holder, when ``wait`` has to wait: a
        command can tell its operator what it is waiting for.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        inherited = _inherited_fd(self.path, self.flow)
        fd = inherited
        if fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            take_or_wait(
                self.flow,
                lambda: _try_lock(fd),
                lambda: read_holder(self.path),
                wait=wait,
                wait_timeout_s=wait_timeout_s,
                on_wait=on_wait,
            )
        except FlowBusyError:
            os.close(fd)
            raise
        self.fd, self.adopted = fd, inherited is not None
        _write_holder(fd, holder)
        return self

    def update_holder(self, holder: LockHolder) -> None:
        """Rewrite who holds the lock (the scheduler learns its child's pid after starting it)."""
        if self.fd is not None:
            _write_holder(self.fd, holder)

    def release(self) -> None:
        """Give the lock up. An adopted lock stays with the scheduler until it reaps the child."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        if not self.adopted:
            os.ftruncate(fd, 0)  # the next reader must not mistake a finished run for a holder
        os.close(fd)


@contextmanager
def flow_lock(
    lock_dir: Path,
    flow: str,
    holder: LockHolder,
    wait: bool = False,
    wait_timeout_s: float | None = None,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> Iterator[FlowLock]:
    """Hold ``flow``'s lock for the ``with`` block; :class:`FlowBusyError` if another run has it."""
    lock = FlowLock(lock_dir, flow).acquire(
        holder, wait=wait, wait_timeout_s=wait_timeout_s, on_wait=on_wait
    )
    try:
        yield lock
    finally:
        lock.release()


def current_holder(lock_dir: Path, flow: str) -> LockHolder | None:
    """Who is running ``flow`` right now, or None when nobody is (used by ``rpa flows``)."""
    path = lock_path(lock_dir, flow)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        if _try_lock(fd):
            return None  # closing the descriptor below releases it again
        return read_holder(path) or LockHolder(None, "unknown", 0, "unknown", "unknown")
    finally:
        os.close(fd)


def locks_dir(settings: Settings) -> Path:
    """Where the flows' lock files live: ``<home>/state/locks``."""
    return settings.state_dir / "locks"
