"""What the scheduler records as run records, beside the records the flows write themselves.

A flow records its own runs. The scheduler records the runs that never got that far or were cut
short: **missed** (the scheduler was down, or too late to start within the misfire grace),
**skipped** (the flow was still running), **timed out** and **interrupted** (the scheduler
stopped the process group), **crashed** (the child died without a flow outcome) and **failed to
start**. Support staff see them with the flows' own records, not only as log warnings.

Each record's status is the outcome (``timed_out`` for "timed out"), and its message starts with
the outcome as people read it (``timed out: …``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import structlog

from app.oracle_targets import choose_target
from config.settings import Settings
from rpa.ledger import Ledger
from rpa.oracle_target import TargetConfigError
from rpa.run_record import RunRecord, RunStatus, list_runs
from rpa.runs import RunRecorder, abort_dead_runs
from rpa.trigger import Trigger, detect_trigger

log = structlog.get_logger()


class ScheduledOutcome(StrEnum):
    """What happened to a scheduled run that the flow could not record itself."""

    MISSED = "missed"
    SKIPPED = "skipped"
    TIMED_OUT = "timed out"
    INTERRUPTED = "interrupted"
    CRASHED = "crashed"
    FAILED_TO_START = "failed to start"


def status_for(outcome: ScheduledOutcome) -> RunStatus:
    """The run status to store for ``outcome``: the same word, with ``_`` for spaces."""
    return RunStatus(outcome.value.replace(" ", "_"))


def local_time(moment: datetime) -> str:
    """A fire time as people read it: ``2026-11-29 10:30:00 GMT``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z")


def _configured_target_id(settings: Settings) -> str | None:
    """The Oracle a scheduled run would have worked against, as flows record it (None when
    none is configured: such a run would have stopped with a configuration error)."""
    try:
        return choose_target(settings).target_id
    except TargetConfigError:
        return None


class SchedulerRunLog:
    """Writes the scheduler's run records into the ledger database and ``<logs>/runs/``."""

    def __init__(self, settings: Settings) -> None:
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        self._ledger = Ledger(
            settings.effective_ledger_url, busy_timeout_s=settings.ledger_busy_timeout_s
        )
        self._logs_dir = settings.logs_dir
        self._anchor_dir = settings.audit.anchor_dir
        self._heartbeat_timeout_s = settings.run_heartbeat_timeout_s
        self._config: Mapping[str, Any] = settings.model_dump(mode="json")
        self._target_id = _configured_target_id(settings)

    def record(
        self,
        outcome: ScheduledOutcome,
        *,
        schedule_id: str,
        flow: str,
        message: str,
        counts: Mapping[str, int] | None = None,
        trigger: Trigger | None = None,
    ) -> RunRecord:
        """Write one finished run record for ``outcome`` and log it as a warning. The record's
        trigger is ``trigger``, else schedule ``schedule_id`` on this host."""
        recorder = RunRecorder(self._ledger, self._logs_dir, anchor_dir=self._anchor_dir)
        recorder.start(
            flow=flow,
            trigger=trigger or detect_trigger(schedule_id, environ={}),
            target_url=self._target_id,
            settings=self._config,
        )
        record = recorder.finish(
            status_for(outcome), counts=counts, message=f"{outcome.value}: {message}"
        )
        log.warning(
            "scheduled run " + outcome.value,
            schedule_id=schedule_id,
            flow=flow,
            run_id=record.run_id,
            detail=message,
        )
        return record

    def close(self) -> None:
        """Close the ledger's connections (at the end of the scheduler's or worker's life)."""
        self._ledger.close()

    def child_record(self, flow: str, pid: int, since: datetime) -> RunRecord | None:
        """The record the child process wrote for itself, if it got that far."""
        for run in list_runs(self._ledger, flow=flow, limit=20):
            if run.pid == pid and run.started_at >= since.replace(microsecond=0):
                return run
        return None

    def close_dead_runs(self) -> list[RunRecord]:
        """Mark ``aborted`` the records of runs whose process died without finishing them."""
        closed = abort_dead_runs(
            self._ledger, logs_dir=self._logs_dir, heartbeat_timeout_s=self._heartbeat_timeout_s
        )
        for run in closed:
            log.warning(
                "run left unfinished by its process marked aborted",
                run_id=run.run_id,
                flow=run.flow,
                pid=run.pid,
            )
        return closed
