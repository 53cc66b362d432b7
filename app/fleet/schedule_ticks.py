"""Each schedule's ticks, claimed once for the whole fleet.

Any number of ``rpa schedule`` processes compute the same fire times (APScheduler's triggers, in
the schedule's time zone, Europe/London by default) and each tries to claim every tick: a row
``(schedule id, fire time)`` in the ``schedule_ticks`` table, whose primary key lets one insert
succeed. Only the process whose insert succeeds queues the run, or records the tick as missed.

Why a table and not only procrastinate's queueing lock: that lock holds only while the job
waits; a second scheduler arriving after a worker took the job would queue it again. The claim
is made in a transaction that stays open until the job is queued, so a scheduler that dies in
between leaves the tick unclaimed for the others (and the queueing lock, keyed by schedule and
fire time, keeps that rare second try from doubling a waiting job).

Each schedule's first row (``registered``) is the moment a scheduler first saw it: interval
schedules count from there on every host, and no tick before it can be missed.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from enum import StrEnum
from typing import Any

import psycopg

TICKS_DDL = """
CREATE TABLE IF NOT EXISTS schedule_ticks (
    schedule_id text NOT NULL,
    fire_time timestamptz NOT NULL,
    outcome text NOT NULL,
    missed_count integer NOT NULL DEFAULT 0,
    host text NOT NULL,
    job_id bigint,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, fire_time)
)
"""
TICK_LOCK_CLASS = 0x5250414B  # "RPAK": advisory locks of schedules' tick claims


class TickOutcome(StrEnum):
    REGISTERED = "registered"  # first seen; no earlier tick counts
    QUEUED = "queued"
    SKIPPED = "skipped"  # a run of the flow was already waiting
    MISSED = "missed"  # no scheduler was running within the misfire grace


def schedule_key(schedule_id: str) -> int:
    crc = zlib.crc32(schedule_id.encode("utf-8"))
    return crc - (1 << 32) if crc >= (1 << 31) else crc


def ensure_ticks_table(conn: psycopg.Connection[Any]) -> None:
    """Create the table once; concurrent creators on several hosts wait for each other."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (TICK_LOCK_CLASS,))
        conn.execute(TICKS_DDL)


def lock_schedule(conn: psycopg.Connection[Any], schedule_id: str) -> None:
    """Inside a transaction: one process at a time works out this schedule's ticks."""
    conn.execute(
        "SELECT pg_advisory_xact_lock(%s, %s)", (TICK_LOCK_CLASS, schedule_key(schedule_id))
    )


def last_tick(conn: psycopg.Connection[Any], schedule_id: str) -> datetime | None:
    row = conn.execute(
        "SELECT max(fire_time) FROM schedule_ticks WHERE schedule_id = %s", (schedule_id,)
    ).fetchone()
    return row[0] if row else None


def claim_tick(
    conn: psycopg.Connection[Any],
    schedule_id: str,
    fire_time: datetime,
    outcome: TickOutcome,
    host: str,
    missed_count: int = 0,
) -> bool:
    """Claim one tick; False when another process already did."""
    row = conn.execute(
        "INSERT INTO schedule_ticks (schedule_id, fire_time, outcome, missed_count, host) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
        (schedule_id, fire_time, outcome.value, missed_count, host),
    ).fetchone()
    return row is not None


def set_tick_job(
    conn: psycopg.Connection[Any],
    schedule_id: str,
    fire_time: datetime,
    outcome: TickOutcome,
    job_id: int | None,
) -> None:
    conn.execute(
        "UPDATE schedule_ticks SET outcome = %s, job_id = %s "
        "WHERE schedule_id = %s AND fire_time = %s",
        (outcome.value, job_id, schedule_id, fire_time),
    )
