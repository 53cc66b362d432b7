"""One scheduled run as a child process: ``python -m app --home HOME run FLOW ARGS``.

Why a child process and not a thread: a stuck browser or a leaking Playwright cannot be stopped
from inside the process that runs it, and the sync Playwright API must not be shared across
APScheduler's worker threads. A child in its own process group can be given a wall-clock limit
and killed whole; a crash in it never reaches the scheduler.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from app.scheduling.process_group import (
    RUN_MARK_ENV,
    group_alive,
    reap_orphans,
    stop_group,
    stop_stragglers,
)
from rpa.trigger import Trigger

OUTPUT_TAIL_LINES = 8


class StopReason(StrEnum):
    """Why the scheduler stopped a run before it ended by itself."""

    TIMED_OUT = "timed out"
    INTERRUPTED = "interrupted"  # the scheduler was shutting down


def child_command(home: Path, flow: str, args: tuple[str, ...]) -> list[str]:
    """The command line of a scheduled run (the same as an operator's ``rpa run``)."""
    return [sys.executable, "-m", "app", "--home", str(home), "run", flow, *args]


def dies_with_parent(command: list[str]) -> list[str]:
    """``command`` run so that the kernel kills it (SIGKILL) when the thread that started it
    dies: util-linux's ``setpriv --pdeathsig``, which sets it and execs the command, so no
    Python runs between fork and exec in a process with threads."""
    return ["setpriv", "--pdeathsig", "KILL", "--", *command]


@dataclass
class ChildRun:
    """A started child process and what the scheduler did to it."""

    schedule_id: str
    flow: str
    process: subprocess.Popen[bytes]
    output_path: Path
    started_at: datetime
    kill_grace_s: float
    mark: str  # in the run's environment: finds what it left outside its process group
    trigger: Trigger | None = None  # who asked for it, for records written on its behalf
    stop_reason: StopReason | None = None
    killed: bool = False  # SIGKILL was needed
    _stop_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pid(self) -> int:
        return self.process.pid

    @classmethod
    def start(
        cls,
        *,
        schedule_id: str,
        flow: str,
        command: list[str],
        env: Mapping[str, str],
        output_path: Path,
        kill_grace_s: float,
        pass_fds: tuple[int, ...] = (),
        trigger: Trigger | None = None,
    ) -> ChildRun:
        """Start the child in a new session (its own process group), output to ``output_path``."""
        output_path.parent.mkdir(parents=True, exist_ok=True)
        mark = secrets.token_hex(12)
        with output_path.open("ab") as output:
            process = subprocess.Popen(
                command,
                env={**env, RUN_MARK_ENV: mark},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=pass_fds,
            )
        return cls(
            schedule_id,
            flow,
            process,
            output_path,
            datetime.now(UTC),
            kill_grace_s,
            mark,
            trigger=trigger,
        )

    def wait(self, timeout_s: float) -> int:
        """Wait for the run to end; past ``timeout_s`` stop its group. Returns the exit code."""
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.stop(StopReason.TIMED_OUT)
            return self.process.wait()

    def ask_to_finish(self) -> None:
        """SIGTERM to the flow's own process only: flows take it as "finish the request in
        hand, start no other", which needs their browser alive, so the group is spared."""
        with contextlib.suppress(ProcessLookupError):
            if self.process.poll() is None:
                os.kill(self.pid, signal.SIGTERM)

    def stop(self, reason: StopReason) -> None:
        """Stop the whole process group (SIGTERM, grace, SIGKILL); the first reason given sticks."""
        with self._stop_lock:
            if self.stop_reason is None and self.process.poll() is None:
                self.stop_reason = reason
        if stop_group(self.pid, self.pid, self.kill_grace_s):
            self.killed = True

    def clean_up(self) -> list[str]:
        """After the leader ended: stop what it left running, in its group or outside it (the
        embedded sandbox, a browser's crash handler), and reap orphans. Returns what was found
        outside the group ("pid name"): a flow that exits while its helpers linger must not
        leave them."""
        if group_alive(self.pid, self.pid):
            stop_group(self.pid, self.pid, self.kill_grace_s)
        reap_orphans(self.pid, self.pid)
        return stop_stragglers(self.mark, self.kill_grace_s)

    def output_tail(self, lines: int = OUTPUT_TAIL_LINES) -> str:
        """The last lines the run printed, for the record of a crash."""
        try:
            with self.output_path.open("rb") as stream:
                stream.seek(0, os.SEEK_END)
                size = stream.tell()
                stream.seek(max(0, size - 4096))
                text = stream.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])
