"""Cron and interval expressions from the schedule file, as APScheduler 3.x triggers.

Cron takes the usual five fields (minute hour day month day-of-week) or six with seconds first
(second minute hour day month day-of-week). Days of the week must be written as names
(``mon-fri``): APScheduler 3.x counts 0 as Monday where crontab counts 0 as Sunday, and a PO run
on the wrong day is worse than a refused schedule file.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_INTERVAL_PART = re.compile(r"(\d+)\s*([dhms])")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


class TriggerSpecError(ValueError):
    """A cron or interval expression that cannot be used; the message says why."""


def parse_interval(value: str | int | float) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"90s"``, ``"1d"`` or a number of seconds, as a positive delta."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        parts = _INTERVAL_PART.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            raise TriggerSpecError(
                f"interval {value!r} is not understood: write it like '90s', '30m', '1h30m' "
                "or '1d', or give a number of seconds"
            )
        seconds = float(sum(int(n) * _UNIT_SECONDS[u] for n, u in parts))
    else:
        raise TriggerSpecError(f"interval {value!r} must be text like '30m' or a number of seconds")
    if seconds <= 0:
        raise TriggerSpecError(f"interval {value!r} must be longer than 0 seconds")
    return timedelta(seconds=seconds)


def _check_day_of_week(field: str) -> None:
    for token in field.split(","):
        base = token.split("/", 1)[0]
        if re.search(r"\d", base):
            raise TriggerSpecError(
                f"day of week {field!r} uses numbers; write names such as 'mon-fri' or 'sat,sun' "
                "(numbers mean different days in different cron dialects)"
            )


def cron_trigger(expression: str, timezone: ZoneInfo) -> CronTrigger:
    """A trigger from a five-field or six-field (seconds first) cron expression."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise TriggerSpecError(
            f"cron {expression!r} has {len(fields)} fields; expected 5 (minute hour day month "
            "day-of-week) or 6 (second minute hour day month day-of-week)"
        )
    second, minute, hour, day, month, day_of_week = fields
    _check_day_of_week(day_of_week)
    try:
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=day_of_week,
            timezone=timezone,
        )
    except ValueError as exc:
        raise TriggerSpecError(f"cron {expression!r} is not valid: {exc}") from exc


def interval_trigger(every: timedelta, timezone: ZoneInfo) -> IntervalTrigger:
    """A trigger firing every ``every``, the first time one interval after it is created."""
    return IntervalTrigger(seconds=every.total_seconds(), timezone=timezone)


def trigger_signature(trigger: BaseTrigger) -> str:
    """What decides a trigger's fire times, as text: equal signatures fire at the same times.

    Used at start to tell an unchanged schedule (keep its stored next run, so missed runs can
    be found) from a changed one (start afresh).
    """
    if isinstance(trigger, CronTrigger):
        return f"{trigger} tz={trigger.timezone}"
    if isinstance(trigger, IntervalTrigger):
        return f"interval[{trigger.interval_length}s] tz={trigger.timezone}"
    return repr(trigger)


def fire_times(
    trigger: BaseTrigger, first: datetime, until: datetime, limit: int = 10_000
) -> list[datetime]:
    """The trigger's fire times from ``first`` (itself a fire time) up to ``until``, at most
    ``limit`` of them (a schedule every second, down for a week, need not be listed in full)."""
    times: list[datetime] = []
    current: datetime | None = first
    while current is not None and current <= until and len(times) < limit:
        times.append(current)
        current = trigger.get_next_fire_time(current, until)
    return times


def next_fire_time(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """When the trigger fires next after ``now``."""
    result: datetime | None = trigger.get_next_fire_time(None, now)
    return result
