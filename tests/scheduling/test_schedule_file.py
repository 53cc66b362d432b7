"""The schedule file: what it accepts, and the messages for what it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.scheduling.schedule_file import ScheduleFileError, load_schedules, parse_schedules
from app.scheduling.triggers import TriggerSpecError, parse_interval
from config.scheduler_settings import DEFAULT_SCHEDULES_FILE

FLOWS = {"raise-purchase-orders", "sleepy"}
LONDON = "Europe/London"


def parse(*entries: dict[str, Any]) -> list[Any]:
    return parse_schedules({"schedule": list(entries)}, Path("schedules.toml"), FLOWS, LONDON)


def problems(*entries: dict[str, Any]) -> str:
    with pytest.raises(ScheduleFileError) as caught:
        parse(*entries)
    return str(caught.value)


def test_the_shipped_example_file_is_valid() -> None:
    """config/schedules.toml parses: POs every 30 minutes in working hours, Monday to Friday."""
    schedules = load_schedules(DEFAULT_SCHEDULES_FILE, FLOWS, LONDON)
    po = next(s for s in schedules if s.flow == "raise-purchase-orders")
    assert po.enabled and po.timezone == LONDON
    trigger = po.build_trigger()
    friday_evening = datetime(2026, 11, 27, 17, 45, tzinfo=ZoneInfo(LONDON))
    assert trigger.get_next_fire_time(None, friday_evening) == datetime(
        2026, 11, 30, 8, 0, tzinfo=ZoneInfo(LONDON)
    )  # Monday 08:00


def test_defaults_and_six_field_cron_with_seconds() -> None:
    """Timezone defaults to Europe/London, enabled to true, args to none; seconds come first."""
    (schedule,) = parse({"id": "fast", "flow": "sleepy", "cron": "*/5 * * * * *"})
    assert (schedule.timezone, schedule.enabled, schedule.args) == (LONDON, True, ())
    start = datetime(2026, 1, 5, 9, 0, 1, tzinfo=ZoneInfo(LONDON))
    assert schedule.build_trigger().get_next_fire_time(None, start) == start.replace(second=5)


def test_a_five_field_cron_fires_on_the_minute() -> None:
    """Five fields are minute hour day month day-of-week, at second 0."""
    (schedule,) = parse({"id": "po", "flow": "sleepy", "cron": "15 2 * * *"})
    start = datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo(LONDON))
    assert schedule.build_trigger().get_next_fire_time(None, start) == start.replace(
        hour=2, minute=15
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("1h30m", 5400), ("1d", 86400), (45, 45), ("2 h", 7200)],
)
def test_intervals_are_read_in_people_units(text: str | int, seconds: int) -> None:
    """Intervals take s/m/h/d units, combined, or plain seconds."""
    assert parse_interval(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["0s", "-5", "soon", "5x", ""])
def test_meaningless_intervals_are_refused(text: str) -> None:
    """Zero, negative or unreadable intervals are refused."""
    with pytest.raises(TriggerSpecError):
        parse_interval(text)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"id": "a", "flow": "nope", "interval": "1h"}, "unknown flow 'nope'"),
        ({"id": "a", "flow": "sleepy", "cron": "61 * * * *"}, "cron '61 * * * *' is not valid"),
        ({"id": "a", "flow": "sleepy", "cron": "* * *"}, "has 3 fields"),
        ({"id": "a", "flow": "sleepy", "cron": "0 8 * * 1-5"}, "day of week '1-5' uses numbers"),
        (
            {"id": "a", "flow": "sleepy", "cron": "0 8 * * *", "interval": "1h"},
            "exactly one of 'cron' or 'interval', not both",
        ),
        ({"id": "a", "flow": "sleepy"}, "exactly one of 'cron' or 'interval'"),
        (
            {"id": "a", "flow": "sleepy", "interval": "1h", "timezone": "Mars/Olympus"},
            "unknown time zone 'Mars/Olympus'",
        ),
        (
            {"id": "a", "flow": "sleepy", "interval": "1h", "args": "--dry-run"},
            "'args' must be a list of strings",
        ),
        (
            {"id": "a", "flow": "sleepy", "interval": "1h", "enabled": "yes"},
            "'enabled' must be true or false",
        ),
        ({"id": "a", "flow": "sleepy", "interval": "1h", "crn": "x"}, "unknown key(s) crn"),
        ({"id": "has space", "flow": "sleepy", "interval": "1h"}, "'id' must be 1-80 letters"),
    ],
)
def test_each_kind_of_bad_entry_is_named_with_its_problem(
    entry: dict[str, Any], expected: str
) -> None:
    """A bad entry is refused with its id, its position and what is wrong."""
    message = problems({"id": "fine", "flow": "sleepy", "interval": "1h"}, entry)
    assert "(entry 2)" in message
    assert expected in message


def test_duplicate_ids_are_refused() -> None:
    """Two entries with one id: the second is named as the duplicate of the first."""
    message = problems(
        {"id": "po", "flow": "sleepy", "interval": "1h"},
        {"id": "po", "flow": "sleepy", "interval": "2h"},
    )
    assert "schedule 'po' (entry 2): duplicate id, already used by entry 1" in message


def test_every_problem_is_listed_at_once() -> None:
    """All problems of a file come in one message, so one edit can fix them all."""
    message = problems(
        {"id": "a", "flow": "nope", "interval": "1h"}, {"id": "b", "flow": "sleepy", "cron": "bad"}
    )
    assert "schedule 'a' (entry 1): unknown flow" in message
    assert "schedule 'b' (entry 2): cron 'bad' has 1 fields" in message


def test_a_missing_or_broken_file_is_refused(tmp_path: Path) -> None:
    """No file, or a file that is not TOML, is an error naming the file."""
    with pytest.raises(ScheduleFileError, match="does not exist"):
        load_schedules(tmp_path / "none.toml", FLOWS, LONDON)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[schedule]\nid = ")
    with pytest.raises(ScheduleFileError, match="not valid TOML"):
        load_schedules(broken, FLOWS, LONDON)


def test_disabled_entries_are_kept_but_marked() -> None:
    """enabled = false keeps the entry (listed) without scheduling it."""
    (schedule,) = parse({"id": "off", "flow": "sleepy", "interval": "1h", "enabled": False})
    assert schedule.enabled is False
