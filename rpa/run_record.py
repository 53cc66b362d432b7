"""Run records: what is known about one run, and reading them from the ledger's ``runs`` table.

The record itself; :mod:`rpa.runs` writes records as a run goes (and closes dead runs), and the
audit modules read them. Keeping the record here lets both depend on it without depending on
each other.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import RowMapping, select

from rpa.ledger import Ledger
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import RUN_STATUS_RUNNING, runs, utc_now
from rpa.trigger import Trigger, TriggerKind


class RunStatus(StrEnum):
    """How a run stands or ended."""

    RUNNING = RUN_STATUS_RUNNING
    SUCCEEDED = "succeeded"  # every item raised (or already done)
    PARTIAL = "partial"  # finished, but some items were rejected or failed
    ABORTED = "aborted"  # stopped before finishing its items (killed, or gave up)
    FAILED = "failed"  # could not work at all (e.g. Oracle unreachable, bad input file)
    # Written by the scheduler for runs the flow itself could not record (app.scheduling.run_log)
    MISSED = "missed"  # fell due while the scheduler was down or too late to start
    SKIPPED = "skipped"  # the flow was still running, or the scheduler was stopping
    TIMED_OUT = "timed_out"  # over its time limit; its process group was stopped
    INTERRUPTED = "interrupted"  # still running when the scheduler stopped and its grace ran out
    CRASHED = "crashed"  # the process died without a flow outcome
    FAILED_TO_START = "failed_to_start"  # the child could not start or refused its configuration


RUN_JSON = "run.json"


EVENTS_JSONL = "events.jsonl"


def new_run_id(now: datetime | None = None) -> str:
    """A unique id that sorts by start time: ``20261129T193000Z-ab12cd``."""
    return f"{(now or utc_now()):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def run_dir(logs_dir: Path, run_id: str) -> Path:
    """The folder holding one run's record, log and evidence."""
    return logs_dir / "runs" / run_id


@dataclass(frozen=True)
class InputFile:
    """One input file as it was when the run read it."""

    name: str
    path: str
    sha256: str
    size: int

    @classmethod
    def describe(cls, path: Path) -> InputFile:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 16), b""):
                digest.update(block)
        return cls(path.name, str(path.resolve()), digest.hexdigest(), path.stat().st_size)


@dataclass(frozen=True)
class RunRecord:
    """Everything recorded about one run."""

    run_id: str
    flow: str
    status: RunStatus
    trigger: Trigger
    pid: int
    process_start: str | None
    code_version: str | None
    browser_version: str | None
    playwright_version: str | None
    target_url: str | None
    config_hash: str | None
    input_files: tuple[InputFile, ...]
    started_at: datetime
    ended_at: datetime | None = None
    duration_s: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    run_dir: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values (timestamps as UTC ISO 8601)."""
        values = asdict(self)
        values["status"] = self.status.value
        values["trigger"] = self.trigger.as_dict()
        values["started_at"] = self.started_at.isoformat()
        values["ended_at"] = None if self.ended_at is None else self.ended_at.isoformat()
        return values

    def _columns(self) -> dict[str, Any]:
        values = asdict(self)
        del values["trigger"]
        values.update(
            status=self.status.value,
            trigger_kind=self.trigger.kind.value,
            schedule_id=self.trigger.schedule_id,
            operator=self.trigger.operator,
            host=self.trigger.host,
            input_files=[asdict(f) for f in self.input_files],
        )
        return values

    @classmethod
    def from_row(cls, row: RowMapping) -> RunRecord:
        trigger = Trigger(
            kind=TriggerKind(row["trigger_kind"]),
            host=row["host"],
            schedule_id=row["schedule_id"],
            operator=row["operator"],
        )
        names = [n for n in cls.__dataclass_fields__ if n not in ("trigger", "status")]
        values: dict[str, Any] = {name: row[name] for name in names}
        values["input_files"] = tuple(InputFile(**f) for f in row["input_files"])
        values["counts"] = dict(row["counts"])
        return cls(status=RunStatus(row["status"]), trigger=trigger, **values)


def get_run(ledger: Ledger, run_id: str) -> RunRecord | None:
    """One run's record, or None."""
    with read_transaction(ledger.engine) as conn:
        row = conn.execute(select(runs).where(runs.c.run_id == run_id)).mappings().first()
    return None if row is None else RunRecord.from_row(row)


def list_runs(
    ledger: Ledger,
    *,
    flow: str | None = None,
    status: RunStatus | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
) -> list[RunRecord]:
    """Recent runs, newest first, optionally of one flow, in one status, or started in
    ``[since, until)``."""
    stmt = select(runs).order_by(runs.c.started_at.desc(), runs.c.run_id.desc()).limit(limit)
    if flow is not None:
        stmt = stmt.where(runs.c.flow == flow)
    if status is not None:
        stmt = stmt.where(runs.c.status == RunStatus(status).value)
    if since is not None:
        stmt = stmt.where(runs.c.started_at >= since)
    if until is not None:
        stmt = stmt.where(runs.c.started_at < until)
    with read_transaction(ledger.engine) as conn:
        rows = conn.execute(stmt).mappings().all()
    return [RunRecord.from_row(row) for row in rows]
