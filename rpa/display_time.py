"""Times as people in the council read them: stored in UTC everywhere, shown in the display
zone (``display_timezone``, Europe/London by default) as ``03/12/2026 14:05:07 GMT``, with the
zone's own abbreviation so that a time in British Summer Time reads ``BST``.

The zone is chosen once per process, from the settings, by the command line before any output
(``app.cli_settings``); until then, and in library use, it is Europe/London.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/London"
_zone = ZoneInfo(DEFAULT_ZONE)


def set_display_zone(name: str) -> None:
    """Show times in the zone ``name`` (checked by the settings: ``display_timezone``)."""
    global _zone
    _zone = ZoneInfo(name)


def display_zone() -> ZoneInfo:
    return _zone


def local_time(moment: datetime | None, *, seconds: bool = True) -> str:
    """``03/12/2026 14:05:07 GMT`` (day first, 24-hour clock, the zone's abbreviation), or ``-``.
    A naive time is taken to be UTC, as everything is stored."""
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    shown = aware.astimezone(_zone)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return shown.strftime(f"%d/%m/%Y {clock} %Z")


def local_day_start(day: date) -> datetime:
    """The first moment of ``day`` in the display zone, in UTC (a date filter's bound)."""
    return datetime.combine(day, datetime.min.time(), _zone).astimezone(UTC)
