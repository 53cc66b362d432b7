"""A running run's heartbeat: how every host sharing a ledger tells a live run from a dead one.

A run's own host can ask the operating system whether its process is still there
(:func:`rpa.runs.process_alive`); no other host can. So while a run runs, a :class:`Heartbeat`
thread in its process writes the time into its row of the ``runs`` table
(``heartbeat_at``) every ``run_heartbeat_interval_s``. A run still recorded as ``running``
whose heartbeat is older than ``run_heartbeat_timeout_s`` has lost its process or its host:
:func:`rpa.runs.abort_dead_runs`, on any host, closes it and the next run releases its items.
The claims a run holds on items are leases on the same terms: they stand while their run's
heartbeat is fresh.

The heartbeat is not a record of what the run did: it is not in the audit chain and never
changes ``run.json``. A beat that cannot be written (the database briefly unreachable) is
logged and tried again at the next beat: the run goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

import structlog
from sqlalchemy import Engine, select, update

from rpa.ledger.database import read_transaction, write_transaction
from rpa.ledger.schema import RUN_STATUS_RUNNING, runs, utc_now

log = structlog.get_logger()


def beat(engine: Engine, run_id: str, at: datetime | None = None) -> bool:
    """Write one heartbeat for a running run; False when the run is no longer running."""
    stmt = (
        update(runs)
        .where(runs.c.run_id == run_id, runs.c.status == RUN_STATUS_RUNNING)
        .values(heartbeat_at=at or utc_now())
    )
    with write_transaction(engine) as conn:
        return conn.execute(stmt).rowcount == 1


def last_heartbeats(engine: Engine, run_ids: Iterable[str]) -> dict[str, datetime | None]:
    """Each run's last heartbeat (None for a run that never wrote one: an earlier release's)."""
    wanted = list(run_ids)
    if not wanted:
        return {}
    stmt = select(runs.c.run_id, runs.c.heartbeat_at).where(runs.c.run_id.in_(wanted))
    with read_transaction(engine) as conn:
        return {row.run_id: row.heartbeat_at for row in conn.execute(stmt)}


class Heartbeat:
    """Beats for one run from a daemon thread until :meth:`stop` (or the run is closed)."""

    def __init__(self, engine: Engine, run_id: str, interval_s: float) -> None:
        self._engine = engine
        self._run_id = run_id
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name=f"heartbeat-{run_id}", daemon=True
        )

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop beating; returns once the thread has written its last beat."""
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    @property
    def beating(self) -> bool:
        return self._thread.is_alive()

    def _beat_until_stopped(self) -> None:
        # Event.wait, not sleep: stop() ends the wait at once.
        while not self._stopped.wait(self._interval_s):
            try:
                if not beat(self._engine, self._run_id):
                    return  # closed (finished, or by another host): nothing left to keep alive
            except Exception as exc:  # a beat is retried at the next interval; never fatal
                log.warning(
                    "heartbeat not written",
                    run_id=self._run_id,
                    reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                )
