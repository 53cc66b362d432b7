"""Handing a signal from its handler to a thread without taking a lock.

A Python signal handler runs on the main thread between two bytecodes, wherever that thread
was, including inside another run of the same handler. ``threading.Event.set`` takes the
event's internal lock, which is not re-entrant: a SIGCHLD arriving while the handler for the
previous SIGCHLD is inside ``set`` deadlocks the main thread for good (the scheduler then never
finishes its shutdown). Writing a byte to a non-blocking pipe takes no Python lock, so the
handlers here do only that, and the waiting happens on an ordinary thread reading the pipe.
"""

from __future__ import annotations

import contextlib
import os
import select


class SignalPipe:
    """A pipe a signal handler writes one byte to; a thread waits on it and reads what came."""

    def __init__(self) -> None:
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._write_fd, False)
        os.set_inheritable(self._read_fd, False)
        os.set_inheritable(self._write_fd, False)

    def send(self, value: int = 0) -> None:
        """Safe inside a signal handler: one write, no lock, never blocks."""
        # A full pipe means plenty of wake-ups are pending already; dropping this one loses
        # nothing for a reader that drains the pipe and then rechecks the state it cares about.
        with contextlib.suppress(BlockingIOError):
            os.write(self._write_fd, bytes((value & 0xFF,)))

    def receive(self, timeout_s: float | None = None) -> bytes:
        """Block (on a thread) until at least one byte came; return all pending bytes.

        Returns ``b""`` when ``timeout_s`` passes first.
        """
        ready, _, _ = select.select([self._read_fd], [], [], timeout_s)
        if not ready:
            return b""
        return os.read(self._read_fd, 4096)
