"""What a flow's run holds while it runs: the flow's lock on this host and, with the ledger on
PostgreSQL, the flow's lock for the whole fleet of hosts sharing it.

The host's file lock (:mod:`rpa.flow_lock`) is taken first: it is the one the scheduler hands
down to its children, and it keeps two runs on one host apart without a database. The fleet's
lock (:mod:`rpa.fleet_lock`) is taken next, and keeps apart runs on different hosts. Either one
refuses with :class:`~rpa.flow_lock.FlowBusyError`, naming the run that holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rpa.fleet_lock import FleetFlowLock, fleet_holder, is_postgres_url
from rpa.flow_lock import FlowLock, LockHolder, current_holder, flow_lock, locks_dir

if TYPE_CHECKING:
    from config.settings import Settings


@contextmanager
def hold_flow_lock(
    settings: Settings,
    flow: str,
    run_id: str | None,
    trigger: str,
    wait: bool = False,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> Iterator[FlowLock]:
    """What a flow command wraps its run in: the flow's locks, described by the run's id and
    trigger.

    Raises :class:`FlowBusyError` (the command prints its message and exits) when another run of
    the flow holds one and ``wait`` is false; with ``wait`` it blocks until the other run ends,
    calling ``on_wait`` (e.g. to print "waiting for run …") when it starts waiting.
    """
    holder = LockHolder.here(run_id, trigger)
    with flow_lock(locks_dir(settings), flow, holder, wait=wait, on_wait=on_wait) as lock:
        url = settings.effective_ledger_url
        if not is_postgres_url(url):
            yield lock
            return
        fleet = FleetFlowLock(url, flow).acquire(holder, wait=wait, on_wait=on_wait)
        try:
            yield lock
        finally:
            fleet.release()


def running_holder(settings: Settings, flow: str) -> LockHolder | None:
    """Who is running ``flow`` right now: on this host, or (PostgreSQL ledger) on any host."""
    here = current_holder(locks_dir(settings), flow)
    if here is not None:
        return here
    url = settings.effective_ledger_url
    return fleet_holder(url, flow) if is_postgres_url(url) else None
