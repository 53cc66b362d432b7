"""Settings of the unattended scheduler (``rpa schedule``): where schedules and jobs live, and the
time limits that keep one bad run from holding up the others.

Set them like any other setting: ``[scheduler]`` in ``config/settings.toml``, or environment
variables such as ``RPA_SCHEDULER__MISFIRE_GRACE_S=600`` and
``RPA_SCHEDULER__FLOW_TIMEOUTS_S='{"raise-purchase-orders": 5400}'``.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator

DEFAULT_SCHEDULES_FILE = Path(__file__).with_name("schedules.toml")
DEFAULT_TIMEZONE = "Europe/London"


class SchedulerSettings(BaseModel):
    """How ``rpa schedule`` runs flows unattended."""

    schedules_file: Path = DEFAULT_SCHEDULES_FILE
    # SQLAlchemy URL of APScheduler's job store; default sqlite:///<home>/state/scheduler.sqlite3.
    # One scheduler per job store: never point two hosts at the same database.
    job_store_url: str | None = None
    # APScheduler's default is 1 s, which silently drops a run whenever the host is busy for a
    # moment; five minutes late is still useful for a procurement run, later is recorded as missed.
    # Whole seconds: APScheduler takes a positive integer.
    misfire_grace_s: int = Field(default=300, ge=1)
    # On SIGTERM/SIGINT, how long running flows (sent SIGTERM: finish the request in hand) get
    # to end before their process groups are stopped.
    shutdown_grace_s: float = Field(default=60.0, ge=0)
    # Between SIGTERM and SIGKILL when a run's process group is stopped (overrun or shutdown).
    kill_grace_s: float = Field(default=10.0, gt=0)
    # Wall-clock limit per flow name; flows not listed use their own default_timeout_s.
    flow_timeouts_s: dict[str, float] = Field(default_factory=dict)
    # Time zone of schedules that do not name one.
    timezone: str = DEFAULT_TIMEZONE
    # Scheduled runs that may execute at the same time (different flows; one flow never overlaps).
    max_parallel_runs: int = Field(default=4, ge=1, le=32)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as '{DEFAULT_TIMEZONE}')"
            ) from exc
        return value

    @field_validator("flow_timeouts_s")
    @classmethod
    def _positive_timeouts(cls, value: dict[str, float]) -> dict[str, float]:
        for flow, seconds in value.items():
            if seconds <= 0:
                raise ValueError(f"the time limit of flow {flow!r} must be more than 0 seconds")
        return value

    def effective_job_store_url(self, state_dir: Path) -> str:
        """The job store URL, defaulting to a SQLite file in the state directory."""
        return self.job_store_url or f"sqlite:///{state_dir / 'scheduler.sqlite3'}"

    def timeout_for(self, flow: str, flow_default_s: float) -> float:
        """The wall-clock limit of one run of ``flow``."""
        return self.flow_timeouts_s.get(flow, flow_default_s)
