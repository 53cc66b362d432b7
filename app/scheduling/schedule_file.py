"""The schedule file (``config/schedules.toml`` by default): which flow runs when.

Each ``[[schedule]]`` entry has an ``id`` (stable: it is the job's id and appears on every run it
starts), a ``flow``, exactly one of ``cron`` or ``interval``, an optional ``timezone`` (default
from settings, Europe/London), optional ``args`` (a list of strings given to ``rpa run FLOW``)
and ``enabled`` (default true). The whole file is checked before anything is scheduled: one bad
entry refuses the start, with a message naming the entry and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger

from app.scheduling.triggers import TriggerSpecError, cron_trigger, interval_trigger, parse_interval

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_KEYS = {"id", "flow", "cron", "interval", "timezone", "args", "enabled", "description"}


class ScheduleFileError(ValueError):
    """The schedule file cannot be used; lists every problem, each naming its entry."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"The schedule file {path} cannot be used:\n{listed}")


@dataclass(frozen=True)
class Schedule:
    """One validated entry of the schedule file."""

    id: str
    flow: str
    cron: str | None
    interval: str | None
    timezone: str
    args: tuple[str, ...] = ()
    enabled: bool = True
    description: str = ""

    def build_trigger(self) -> BaseTrigger:
        """A fresh APScheduler trigger for this schedule."""
        zone = ZoneInfo(self.timezone)
        if self.cron is not None:
            return cron_trigger(self.cron, zone)
        assert self.interval is not None  # guaranteed by validation: exactly one of the two
        return interval_trigger(parse_interval(self.interval), zone)

    @property
    def when(self) -> str:
        """The timing as written: ``cron 0,30 8-17 * * mon-fri`` or ``every 30m``."""
        return f"cron {self.cron}" if self.cron is not None else f"every {self.interval}"


def _entry_problems(
    entry: dict[str, Any], known_flows: Collection[str] | None, default_timezone: str
) -> tuple[list[str], Schedule | None]:
    problems: list[str] = []
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
    flow = entry.get("flow")
    if not isinstance(flow, str) or not flow:
        problems.append("'flow' is missing (the name of a flow, as `rpa flows` lists them)")
    elif known_flows is not None and flow not in known_flows:
        known = ", ".join(sorted(known_flows)) or "none"
        problems.append(f"unknown flow {flow!r} (known flows: {known})")
    cron, interval = entry.get("cron"), entry.get("interval")
    if (cron is None) == (interval is None):
        problems.append(
            "give exactly one of 'cron' or 'interval'" + (", not both" if cron is not None else "")
        )
    if cron is not None and not isinstance(cron, str):
        problems.append("'cron' must be a string such as '0 */30 8-17 * * mon-fri'")
    if interval is not None and (
        isinstance(interval, bool) or not isinstance(interval, str | int | float)
    ):
        problems.append("'interval' must be text like '30m' or a number of seconds")
    timezone = entry.get("timezone", default_timezone)
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"unknown time zone {timezone!r} (use an IANA name such as 'Europe/London')"
        )
    args = entry.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        problems.append('\'args\' must be a list of strings, e.g. ["--input", "requests.csv"]')
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append("'enabled' must be true or false")
    if problems:
        return problems, None
    schedule = Schedule(
        id=str(entry.get("id", "")),
        flow=str(flow),
        cron=cron,
        interval=None if interval is None else str(interval),
        timezone=str(timezone),
        args=tuple(args),
        enabled=enabled,
        description=str(entry.get("description", "")),
    )
    try:
        schedule.build_trigger()
    except TriggerSpecError as exc:
        return [str(exc)], None
    return [], schedule


def parse_schedules(
    data: dict[str, Any], path: Path, known_flows: Collection[str] | None, default_timezone: str
) -> list[Schedule]:
    """Validate the parsed TOML; :class:`ScheduleFileError` lists every problem found."""
    extra = sorted(set(data) - {"schedule"})
    problems = (
        [f"unknown top-level key(s) {', '.join(extra)}; entries go in [[schedule]] tables"]
        if extra
        else []
    )
    entries = data.get("schedule", [])
    if not isinstance(entries, list):
        raise ScheduleFileError(path, ["'schedule' must be an array of tables ([[schedule]])"])
    schedules: list[Schedule] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        name = f"schedule {raw_id!r} (entry {number})" if raw_id else f"schedule entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{name}: must be a table of keys")
            continue
        if not isinstance(raw_id, str) or not _ID_PATTERN.match(raw_id):
            problems.append(
                f"{name}: 'id' must be 1-80 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        elif raw_id in seen:
            problems.append(f"{name}: duplicate id, already used by entry {seen[raw_id]}")
        else:
            seen[raw_id] = number
        entry_problems, schedule = _entry_problems(entry, known_flows, default_timezone)
        problems.extend(f"{name}: {problem}" for problem in entry_problems)
        if schedule is not None:
            schedules.append(schedule)
    if problems:
        raise ScheduleFileError(path, problems)
    return schedules


def load_schedules(
    path: Path, known_flows: Collection[str] | None, default_timezone: str
) -> list[Schedule]:
    """Read and validate the schedule file. A missing file is an error: nothing would run."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScheduleFileError(
            path,
            [
                "the file does not exist (set scheduler.schedules_file "
                "or RPA_SCHEDULER__SCHEDULES_FILE)"
            ],
        ) from None
    except OSError as exc:
        raise ScheduleFileError(path, [f"cannot be read: {exc.strerror}"]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleFileError(path, [f"not valid TOML: {exc}"]) from exc
    return parse_schedules(data, path, known_flows, default_timezone)
