"""The flow lock: one run of a flow at a time, a message naming the holder, waiting, and no stale
lock after the holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rpa.flow_lock import (
    INHERITED_LOCK_ENV,
    FlowBusyError,
    FlowLock,
    LockHolder,
    current_holder,
    flow_lock,
    lock_path,
)
from tests.scheduling.helpers import REPO, wait_for

HOLD_IN_CHILD = """
import signal, sys
from pathlib import Path
from rpa.flow_lock import LockHolder, flow_lock
with flow_lock(Path(sys.argv[1]), "po", LockHolder.here("run-child", "operator bob")):
    print("held", flush=True)
    signal.pause()  # holds the lock until the test kills this process
"""


def test_a_second_holder_is_refused_with_the_running_run_named(tmp_path: Path) -> None:
    """While a run holds the lock, another is refused; the message names run, trigger, pid,
    host and since."""
    holder = LockHolder.here("20261129T100000Z-abc123", "schedule po-every-30")
    second = LockHolder.here("r2", "operator")
    with (
        flow_lock(tmp_path, "raise-purchase-orders", holder),
        pytest.raises(FlowBusyError) as caught,
        flow_lock(tmp_path, "raise-purchase-orders", second),
    ):
        pass
    message = str(caught.value)
    for part in (
        "raise-purchase-orders",
        "20261129T100000Z-abc123",
        "schedule po-every-30",
        f"pid {os.getpid()}",
        holder.host,
        holder.since,
        "--wait",
    ):
        assert part in message
    assert caught.value.holder == holder


def test_different_flows_do_not_block_each_other(tmp_path: Path) -> None:
    """Each flow has its own lock."""
    with (
        flow_lock(tmp_path, "a", LockHolder.here("1", "t")),
        flow_lock(tmp_path, "b", LockHolder.here("2", "t")),
    ):
        assert current_holder(tmp_path, "a") is not None
        assert current_holder(tmp_path, "b") is not None


def test_release_frees_the_lock_and_clears_the_holder(tmp_path: Path) -> None:
    """After the with-block nobody holds the flow and no old holder is shown."""
    with flow_lock(tmp_path, "po", LockHolder.here("1", "t")):
        pass
    assert current_holder(tmp_path, "po") is None
    assert lock_path(tmp_path, "po").read_text() == ""


def test_wait_blocks_until_the_holder_releases(tmp_path: Path) -> None:
    """With wait=True the lock is taken as soon as the other run lets go."""
    first = FlowLock(tmp_path, "po").acquire(LockHolder.here("1", "t"))
    released_at: list[float] = []
    waiting = threading.Event()

    def release_once_the_other_waits() -> None:
        assert waiting.wait(10), "the second run never started waiting"
        released_at.append(time.monotonic())
        first.release()

    threading.Thread(target=release_once_the_other_waits).start()
    with flow_lock(
        tmp_path,
        "po",
        LockHolder.here("2", "t"),
        wait=True,
        wait_timeout_s=10,
        on_wait=lambda _holder: waiting.set(),
    ):
        acquired_at = time.monotonic()
        holder = current_holder(tmp_path, "po")
    assert holder is not None and holder.run_id == "2"
    assert released_at and acquired_at >= released_at[0]
    assert acquired_at - released_at[0] < 1.5  # polled with a bounded backoff


def test_wait_gives_up_after_its_timeout(tmp_path: Path) -> None:
    """A bounded wait ends in FlowBusyError saying how long it waited."""
    with flow_lock(tmp_path, "po", LockHolder.here("1", "t")):
        started = time.monotonic()
        with (
            pytest.raises(FlowBusyError, match="after waiting"),
            flow_lock(tmp_path, "po", LockHolder.here("2", "t"), wait=True, wait_timeout_s=0.3),
        ):
            pass
        assert time.monotonic() - started < 2


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    """The kernel drops the lock of a process killed with SIGKILL: the next run gets it."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_IN_CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        busy = current_holder(tmp_path, "po")
        assert busy is not None and busy.run_id == "run-child" and busy.pid == child.pid
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    with flow_lock(tmp_path, "po", LockHolder.here("next", "t")):
        pass


def test_a_child_adopts_the_lock_handed_down_by_the_scheduler(tmp_path: Path) -> None:
    """The scheduler's lock passes to its child through the inherited descriptor: the child
    holds it without a gap, and an outsider is refused meanwhile."""
    lock = FlowLock(tmp_path, "po").acquire(LockHolder.here(None, "schedule s1"))
    assert lock.fd is not None
    env = dict(os.environ, **{INHERITED_LOCK_ENV: f"po:{lock.fd}"})
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_IN_CHILD, str(tmp_path)],
        env=env,
        pass_fds=(lock.fd,),
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    ) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "held"
            holder = wait_for(lambda: current_holder(tmp_path, "po"), 5, "the child's holder")
            assert holder is not None and holder.run_id == "run-child" and holder.pid == child.pid
        finally:
            child.kill()
            child.wait(timeout=10)
    assert current_holder(tmp_path, "po") is not None  # still the scheduler's until it lets go
    lock.release()
    assert current_holder(tmp_path, "po") is None


def test_an_inherited_descriptor_for_another_flow_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handed-down lock only counts for the flow it was taken for."""
    other = FlowLock(tmp_path, "other").acquire(LockHolder.here(None, "schedule"))
    assert other.fd is not None
    monkeypatch.setenv(INHERITED_LOCK_ENV, f"other:{other.fd}")
    with flow_lock(tmp_path, "po", LockHolder.here("1", "t")) as lock:
        assert not lock.adopted
    other.release()
