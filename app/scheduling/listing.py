"""What the schedules will do next, for people: ``rpa schedule --list`` and ``rpa flows``.

Read-only: the job store is read without taking the scheduler's lock, so listing works while
the scheduler runs. When the scheduler is running (or stopped with a job stored), the next run
is the job store's; otherwise it is what the schedule's trigger gives from now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app.scheduling.instance_lock import running_scheduler, scheduler_lock_file
from app.scheduling.job_store import job_store_url, stored_next_run_times
from app.scheduling.run_log import local_time
from app.scheduling.schedule_file import Schedule
from app.scheduling.triggers import next_fire_time
from config.settings import Settings


@dataclass(frozen=True)
class PlannedRun:
    """One schedule and when it runs next."""

    schedule: Schedule
    next_run: datetime | None  # in the schedule's time zone; None when disabled
    from_job_store: bool

    @property
    def next_run_text(self) -> str:
        if not self.schedule.enabled:
            return "- (disabled)"
        if self.next_run is None:
            return "never (no future fire time)"
        return local_time(self.next_run)


def planned_runs(
    settings: Settings, schedules: Sequence[Schedule], now: datetime | None = None
) -> list[PlannedRun]:
    """Each schedule with its next run time."""
    stored = stored_next_run_times(job_store_url(settings))
    planned: list[PlannedRun] = []
    for schedule in schedules:
        zone = ZoneInfo(schedule.timezone)
        current = (now or datetime.now(zone)).astimezone(zone)
        if not schedule.enabled:
            planned.append(PlannedRun(schedule, None, False))
            continue
        stored_next = stored.get(schedule.id)
        if stored_next is not None and stored_next >= current:
            planned.append(PlannedRun(schedule, stored_next.astimezone(zone), True))
            continue
        planned.append(
            PlannedRun(schedule, next_fire_time(schedule.build_trigger(), current), False)
        )
    return planned


def scheduler_state(settings: Settings) -> str:
    """One line: is a scheduler running on this job store, and since when."""
    holder = running_scheduler(scheduler_lock_file(job_store_url(settings), settings.state_dir))
    if holder is None:
        return (
            "Scheduler: not running (next runs show when they would be if it started now; "
            "start it with `rpa schedule`)"
        )
    return (
        f"Scheduler: running, pid {holder.get('pid')} on {holder.get('host')}, "
        f"since {holder.get('started_at')}"
    )
