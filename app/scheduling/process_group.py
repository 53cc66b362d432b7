"""Stopping a run's whole process group, browsers included, and leaving no zombies behind.

Each scheduled run is started in its own session (``start_new_session=True``), so the run, its
Playwright driver and every Chromium process share one process group whose id is the run's pid.
Killing that group is the only reliable way to stop a stuck browser: the Python process may be
gone already while Chromium, reparented, keeps running.

Orphans are reparented to the nearest "child subreaper". The scheduler makes itself one
(Linux ``prctl``), so a killed run's browsers become its children and it can reap them, rather
than relying on PID 1 of a container that may never reap anything.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import structlog

from app.scheduling.signal_pipe import SignalPipe

log = structlog.get_logger()

_PR_SET_CHILD_SUBREAPER = 36
# Set in a scheduled run's environment: every process the run starts inherits it, even one that
# leaves the run's process group (the embedded sandbox, Chromium's crash handler), so whatever
# the run leaves behind can still be found and stopped.
RUN_MARK_ENV = "RPA_SCHEDULED_RUN_MARK"
_FIRST_POLL_S = 0.02
_MAX_POLL_S = 0.25


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    ppid: int
    pgid: int
    state: str  # as in /proc/<pid>/stat: R, S, D, Z (zombie), ...


def become_subreaper() -> bool:
    """Ask Linux to reparent orphaned descendants to this process; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def processes() -> Iterator[ProcessInfo]:
    """Every process on the host (Linux /proc), zombies included."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may contain spaces; fields follow the last ')'.
        fields = text[text.rindex(")") + 2 :].split()
        yield ProcessInfo(int(entry.name), int(fields[1]), int(fields[2]), fields[0])


def group_members(pgid: int) -> list[ProcessInfo]:
    """The processes in group ``pgid``, zombies included."""
    return [info for info in processes() if info.pgid == pgid]


def reap_orphans(pgid: int, leader_pid: int) -> None:
    """Collect exit statuses of the group's zombies that are our children (via the subreaper).

    The leader is left to its ``Popen``, which must collect its own exit status.
    """
    for member in group_members(pgid):
        if member.ppid == os.getpid() and member.pid != leader_pid and member.state == "Z":
            try:
                os.waitpid(member.pid, os.WNOHANG)
            except ChildProcessError:  # another thread reaped it first
                continue


def group_alive(pgid: int, leader_pid: int) -> bool:
    """True while any process of the group still runs (zombies do not count)."""
    if not Path("/proc/self/stat").exists():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    reap_orphans(pgid, leader_pid)
    return any(member.state != "Z" for member in group_members(pgid))


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:  # already gone
        return
    except PermissionError:  # a member changed user (should not happen); the rest got it
        log.warning("could not signal every process of the run", pgid=pgid, signal=signum.name)


def _wait_group_gone(pgid: int, leader_pid: int, timeout_s: float) -> bool:
    """Wait until the group has no running process, checking with a bounded backoff."""
    deadline = time.monotonic() + timeout_s
    poll_s = _FIRST_POLL_S
    while group_alive(pgid, leader_pid):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(poll_s, remaining))  # the kernel offers no wake-up for "group empty"
        poll_s = min(poll_s * 2, _MAX_POLL_S)
    return True


def stop_group(pgid: int, leader_pid: int, grace_s: float) -> bool:
    """SIGTERM the group, give it ``grace_s`` to exit, then SIGKILL whatever is left.

    Returns True when the group had to be killed with SIGKILL.
    """
    if not group_alive(pgid, leader_pid):
        return False
    _signal_group(pgid, signal.SIGTERM)
    if _wait_group_gone(pgid, leader_pid, grace_s):
        return False
    log.warning(
        "run did not stop on SIGTERM; killing its process group", pgid=pgid, grace_s=grace_s
    )
    _signal_group(pgid, signal.SIGKILL)
    # SIGKILL cannot be ignored; this wait only covers the kernel tearing the processes down.
    _wait_group_gone(pgid, leader_pid, max(grace_s, 5.0))
    return True


def processes_marked(mark: str) -> list[int]:
    """Running processes (of this user) whose environment carries the run's mark."""
    needle = f"{RUN_MARK_ENV}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, a zombie, or another user's
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _wait_gone(pids: list[int], timeout_s: float) -> list[int]:
    """Wait for ``pids`` to end (reaping our own zombies); return those still running."""
    deadline = time.monotonic() + timeout_s
    poll_s = _FIRST_POLL_S
    while True:
        alive = []
        for pid in pids:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    continue  # our child, now reaped
            except ChildProcessError:  # not our child: it is gone when /proc says so
                pass
            if _is_running(pid):
                alive.append(pid)
        remaining = deadline - time.monotonic()
        if not alive or remaining <= 0:
            return alive
        time.sleep(min(poll_s, remaining))  # no wake-up exists for another process's end
        poll_s = min(poll_s * 2, _MAX_POLL_S)


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _name(pid: int) -> str:
    try:
        return f"{pid} {Path(f'/proc/{pid}/comm').read_text().strip()}"
    except OSError:
        return str(pid)


def stop_stragglers(mark: str, grace_s: float) -> list[str]:
    """Stop processes a finished run left outside its process group (SIGTERM, grace, SIGKILL).

    Returns them as "pid name" (empty when the run cleaned up after itself).
    """
    pids = processes_marked(mark)
    if not pids:
        return []
    names = [_name(pid) for pid in pids]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in _wait_gone(pids, grace_s):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _wait_gone(pids, max(grace_s, 5.0))
    return names


class OrphanReaper:
    """Reaps what runs leave behind and the kernel hands to the scheduler (as subreaper).

    Chromium starts its crash handler in a session of its own, outside the run's process group;
    it exits by itself once Chromium is gone, but as the scheduler's adopted child it would stay
    a zombie until reaped. On every SIGCHLD a thread collects such zombies: children of this
    process outside its own process group that are not run leaders (``is_run_leader``), whose
    exit status belongs to their ``Popen``. Processes the scheduler starts itself (git, for the
    run records' code version) stay in its own group and are left to their callers.
    """

    def __init__(self, is_run_leader: Callable[[int], bool]) -> None:
        self._is_run_leader = is_run_leader
        self._child_exited = SignalPipe()  # not an Event: see app.scheduling.signal_pipe

    def start(self) -> None:
        """Install the SIGCHLD handler (main thread only) and start the reaping thread."""
        signal.signal(signal.SIGCHLD, self._on_sigchld)
        threading.Thread(target=self._run, name="orphan-reaper", daemon=True).start()

    def _on_sigchld(self, signum: int, frame: object) -> None:
        self._child_exited.send()

    def _run(self) -> None:
        while True:
            self._child_exited.receive()  # drains every pending SIGCHLD; one reap covers them
            self.reap()

    def reap(self) -> None:
        own_pid, own_group = os.getpid(), os.getpgrp()
        for info in processes():
            if (
                info.ppid == own_pid
                and info.state == "Z"
                and info.pgid != own_group
                and not self._is_run_leader(info.pid)
            ):
                try:
                    os.waitpid(info.pid, os.WNOHANG)
                except ChildProcessError:  # reaped by someone else meanwhile
                    continue
