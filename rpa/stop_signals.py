"""SIGTERM and SIGINT as a stop request for a flow run: finish the item in hand, start no other.

The scheduler (or systemd, or Ctrl-C) asks; the flow's workers check the event between items,
and the scheduler stops what is left after its grace. Setting an ``Event`` inside a handler is
safe here only because a flow's main thread waits in ``Thread.join`` and never holds the
event's lock itself; the scheduler, whose main thread does more, hands its signals over through
:mod:`app.scheduling.signal_pipe` instead.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


def stop_requested_by_signals() -> threading.Event:
    """Install SIGTERM/SIGINT handlers and return the event they set."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    return stop
