"""The scheduled runs in progress, shared by the job threads, the shutdown and the reaper.

One lock (a condition) covers "is the scheduler stopping?" and "start a run", so that no run can
start after shutdown has begun; each run's end wakes whoever waits for the runs to finish.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.scheduling.child_run import ChildRun


class RunRegistry:
    """The scheduled runs in progress. Once shutdown begins it admits no new run."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._runs: dict[int, ChildRun] = {}
        self._stopping = False
        self._hurry = False

    @property
    def stopping(self) -> bool:
        return self._stopping

    def admit(self, start: Callable[[], ChildRun]) -> ChildRun | None:
        """Start a run unless shutdown has begun (checked and started under one lock)."""
        with self._changed:
            if self._stopping:
                return None
            run = start()
            self._runs[run.pid] = run
            return run

    def is_tracked(self, pid: int) -> bool:
        """True for a run's leader process, whose exit status its ``Popen`` collects."""
        with self._changed:
            return pid in self._runs

    def finished(self, run: ChildRun) -> None:
        with self._changed:
            self._runs.pop(run.pid, None)
            self._changed.notify_all()

    def begin_shutdown(self) -> list[ChildRun]:
        """Refuse new runs from now on; return those still running."""
        with self._changed:
            self._stopping = True
            return list(self._runs.values())

    def hurry(self) -> None:
        """Cut the shutdown grace short (a second SIGTERM/SIGINT)."""
        with self._changed:
            self._hurry = True
            self._changed.notify_all()

    def running(self) -> list[ChildRun]:
        with self._changed:
            return list(self._runs.values())

    def wait_until_idle(self, timeout_s: float, *, until_hurried: bool = False) -> bool:
        """Wait (woken by each run's end) until no run is left; False on timeout or hurry."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while self._runs:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (until_hurried and self._hurry):
                    return False
                self._changed.wait(remaining)
            return True
