"""Putting flow runs on the fleet's queue, and reading what waits there.

A queued run is one procrastinate job of the task :data:`~app.fleet.queue_app.RUN_FLOW_TASK` with
the flow, its arguments and its origin (a schedule's tick, or the operator who queued it). Its
``lock`` is the flow's name, so the queue never starts two runs of one flow at once anywhere;
a run also holds the fleet's advisory lock (:mod:`rpa.fleet_lock`), as a plain ``rpa run`` does.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
import psycopg
from procrastinate.types import JSONDict

from app.fleet.queue_app import QUEUE, RUN_FLOW_TASK


@dataclass(frozen=True)
class RunOrigin:
    """Who asked for a queued run: a schedule's tick, or an operator on a host."""

    schedule_id: str | None = None
    fire_time: datetime | None = None
    operator: str | None = None
    host: str | None = None

    def as_job_args(self) -> JSONDict:
        return {
            "schedule_id": self.schedule_id,
            "fire_time": self.fire_time.isoformat() if self.fire_time else None,
            "operator": self.operator,
            "host": self.host or socket.gethostname(),
        }

    @classmethod
    def from_job_args(cls, values: dict[str, Any]) -> RunOrigin:
        fire_time = values.get("fire_time")
        return cls(
            schedule_id=values.get("schedule_id"),
            fire_time=datetime.fromisoformat(fire_time) if fire_time else None,
            operator=values.get("operator"),
            host=values.get("host"),
        )


def defer_run(
    app: procrastinate.App,
    flow: str,
    args: Sequence[str],
    origin: RunOrigin,
    *,
    queueing_lock: str | None = None,
) -> int:
    """Put one run of ``flow`` on the queue; returns the job's id.

    Raises procrastinate's ``AlreadyEnqueued`` when a job with ``queueing_lock`` is waiting.
    """
    deferrer = app.configure_task(
        RUN_FLOW_TASK, queue=QUEUE, lock=flow, queueing_lock=queueing_lock
    )
    return deferrer.defer(flow=flow, args=list(args), origin=origin.as_job_args())


@dataclass(frozen=True)
class QueuedJob:
    """A run on the queue, as ``rpa flows`` and the scheduler see it."""

    job_id: int
    flow: str
    status: str  # todo (waiting) or doing (a worker runs it)
    queued_at: datetime | None
    origin: RunOrigin


def open_jobs(conn: psycopg.Connection[Any], flow: str | None = None) -> list[QueuedJob]:
    """The runs waiting or running on the queue, oldest first (all flows, or ``flow``)."""
    rows = conn.execute(
        "SELECT j.id, j.lock, j.status::text, j.args, "
        "(SELECT min(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) "
        "FROM procrastinate_jobs j "
        "WHERE j.task_name = %s AND j.status IN ('todo', 'doing') "
        "AND (%s::text IS NULL OR j.lock = %s) ORDER BY j.id",
        (RUN_FLOW_TASK, flow, flow),
    ).fetchall()
    return [
        QueuedJob(
            job_id=row[0],
            flow=row[1],
            status=row[2],
            queued_at=row[4],
            origin=RunOrigin.from_job_args(dict(row[3].get("origin") or {})),
        )
        for row in rows
    ]
