"""The scheduler's signal handlers survive signal storms: no lock taken inside a handler.

A child process installs the scheduler's real SIGCHLD reaper and stop-signal handlers, is hit
with thousands of SIGCHLDs and then SIGTERM twice, and must still see the stop and the hurry.
A handler that took a lock (``Event.set``) would deadlock the main thread under such a storm.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.scheduling.helpers import wait_for

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys, threading
    from app.scheduling.process_group import OrphanReaper
    from app.scheduling.service import StopSignals

    OrphanReaper(lambda pid: False).start()
    signals = StopSignals()
    signals.install()
    print("ready", flush=True)
    # The main thread keeps running Python code, so handlers interrupt it anywhere.
    busy = 0
    while not signals.hurry.is_set():
        busy += 1
    print("stopped", signals.received, flush=True)
    """
)


def test_signal_storm_then_two_stop_signals_are_seen(tmp_path: Path) -> None:
    output = tmp_path / "child.out"
    with output.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: "ready" in output.read_text(), 60, "the child to install its handlers")
        for _ in range(20_000):
            os.kill(child.pid, signal.SIGCHLD)
        child.send_signal(signal.SIGTERM)
        for _ in range(5_000):
            os.kill(child.pid, signal.SIGCHLD)
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=30) == 0, output.read_text()
        # Pending standard signals are delivered lowest number first, so the order may vary.
        assert "stopped ['SIGTERM', 'SIGINT']" in output.read_text() or (
            "stopped ['SIGINT', 'SIGTERM']" in output.read_text()
        )
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
