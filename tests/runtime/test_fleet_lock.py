"""The flow's lock for the whole fleet: an advisory lock in the shared PostgreSQL ledger, held by
the running process's own session, described in ``flow_locks``. Against the real server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa.fleet_lock import FleetFlowLock, fleet_holder, flow_key
from rpa.flow_lock import FlowBusyError, LockHolder

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
FLOW = "raise-purchase-orders"


@pytest.fixture
def url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture
def held(url: str) -> Iterator[FleetFlowLock]:
    lock = FleetFlowLock(url, FLOW).acquire(
        LockHolder("20261204T090000Z-a1b2c3", "schedule nightly-po", 4242, "rpa-bot-1", "now")
    )
    yield lock
    lock.release()


def test_flow_keys_fit_postgres_int4_and_differ_by_flow() -> None:
    keys = {flow_key(name) for name in ("raise-purchase-orders", "sync-suppliers", "x" * 64)}
    assert len(keys) == 3
    assert all(-(2**31) <= key < 2**31 for key in keys)


def test_a_second_holder_anywhere_is_refused_with_the_first_named(
    url: str, held: FleetFlowLock
) -> None:
    """While one session holds the flow, another is refused, told which run on which host holds
    it; another flow is free; once released, the flow can be taken again."""
    with pytest.raises(FlowBusyError) as refused:
        FleetFlowLock(url, FLOW).acquire(LockHolder.here("r2", "operator carol"))
    message = str(refused.value)
    assert "run 20261204T090000Z-a1b2c3 (trigger: schedule nightly-po), pid 4242 on rpa-bot-1" in (
        message
    )
    holder = fleet_holder(url, FLOW)
    assert holder is not None and holder.host == "rpa-bot-1"
    other = FleetFlowLock(url, "sync-suppliers").acquire(LockHolder.here("r3", "operator"))
    other.release()

    held.release()
    assert fleet_holder(url, FLOW) is None
    again = FleetFlowLock(url, FLOW).acquire(LockHolder.here("r4", "operator dave"))
    holder = fleet_holder(url, FLOW)
    assert holder is not None and (holder.run_id, holder.pid) == ("r4", os.getpid())
    again.release()


def test_a_waiting_run_is_told_who_it_waits_for_and_gives_up_at_its_limit(
    url: str, held: FleetFlowLock
) -> None:
    waited_for: list[LockHolder | None] = []
    with pytest.raises(FlowBusyError, match="after waiting"):
        FleetFlowLock(url, FLOW).acquire(
            LockHolder.here("r2", "operator"),
            wait=True,
            wait_timeout_s=0.5,
            on_wait=waited_for.append,
        )
    assert [h.run_id if h else None for h in waited_for] == ["20261204T090000Z-a1b2c3"]


HOLDER = textwrap.dedent(
    """
    import sys
    from rpa.fleet_lock import FleetFlowLock
    from rpa.flow_lock import LockHolder

    lock = FleetFlowLock(sys.argv[1], sys.argv[2]).acquire(LockHolder.here("run-on-1", "schedule"))
    print("held", flush=True)
    sys.stdin.readline()  # held until the test kills the process
    """
)


@pytest.mark.slow
def test_the_lock_of_a_killed_process_is_free_at_once(url: str) -> None:
    """kill -9 of the holding process ends its database session, and with it the lock: another
    process takes the flow without anyone cleaning up."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, FLOW],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "held"
        holder = fleet_holder(url, FLOW)
        assert holder is not None and (holder.run_id, holder.pid) == ("run-on-1", child.pid)
        with pytest.raises(FlowBusyError):
            FleetFlowLock(url, FLOW).acquire(LockHolder.here("run-on-2", "operator"))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()

    # The server notices the closed socket at once; a short wait covers its bookkeeping.
    taken = FleetFlowLock(url, FLOW).acquire(
        LockHolder.here("run-on-2", "operator"), wait=True, wait_timeout_s=30
    )
    holder = fleet_holder(url, FLOW)
    assert holder is not None and holder.run_id == "run-on-2"
    taken.release()
