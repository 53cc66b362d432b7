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

import ctypes
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import structlog

log = structlog.get_logger()

_PR_SET_CHILD_SUBREAPER = 36
_FIRST_POLL_S = 0.02
_MAX_POLL_S = 0.25


@dataclass(frozen=True)
class GroupMember:
    pid: int
    ppid: int
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


def group_members(pgid: int) -> list[GroupMember]:
    """The processes in group ``pgid`` (Linux /proc), zombies included."""
    members: list[GroupMember] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may contain spaces; fields follow the last ')'.
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:
            members.append(GroupMember(int(entry.name), int(fields[1]), fields[0]))
    return members


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
    log.warning("run did not stop on SIGTERM; killing its process group", pgid=pgid,
                grace_s=grace_s)
    _signal_group(pgid, signal.SIGKILL)
    # SIGKILL cannot be ignored; this wait only covers the kernel tearing the processes down.
    _wait_group_gone(pgid, leader_pid, max(grace_s, 5.0))
    return True
