"""What the fleet's queue holds now, for ``rpa doctor`` and ``rpa flows``: the schema's state,
the workers' heartbeats and the runs waiting or running. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from app.fleet.queue_app import connection_options, libpq_url, queue_schema_state
from app.fleet.queued_runs import QueuedJob, open_jobs


@dataclass(frozen=True)
class WorkerBeat:
    worker_id: int
    seconds_since_heartbeat: float


@dataclass(frozen=True)
class QueueStatus:
    schema: str  # current, missing or older (see queue_schema_state)
    workers: list[WorkerBeat] = field(default_factory=list)
    jobs: list[QueuedJob] = field(default_factory=list)

    def alive(self, stalled_after_s: float) -> list[WorkerBeat]:
        return [w for w in self.workers if w.seconds_since_heartbeat <= stalled_after_s]

    def stalled(self, stalled_after_s: float) -> list[WorkerBeat]:
        return [w for w in self.workers if w.seconds_since_heartbeat > stalled_after_s]


def queue_status(ledger_url: str) -> QueueStatus:
    """The queue's state in the ledger database (raises the driver's error if it is down)."""
    with psycopg.connect(libpq_url(ledger_url), connect_timeout=10, **connection_options()) as conn:
        conn.read_only = True
        schema = queue_schema_state(conn)
        if schema == "missing":
            return QueueStatus(schema)
        rows = conn.execute(
            "SELECT id, extract(epoch FROM now() - last_heartbeat) FROM procrastinate_workers "
            "ORDER BY id"
        ).fetchall()
        workers = [WorkerBeat(int(row[0]), float(row[1])) for row in rows]
        return QueueStatus(schema, workers, open_jobs(conn))
