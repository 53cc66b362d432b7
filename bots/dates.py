"""Dates as Oracle's pages take and show them: one format, the profile's, for typing and reading.

The format follows the service account's General Preferences in Fusion, so it is the UI
profile's ``date_format`` (``%d/%m/%Y`` for the council's en-GB pod), never a constant here.
"""

from __future__ import annotations

from datetime import date, datetime


def typed_date(value: date, date_format: str) -> str:
    """``value`` as it is typed into a date field."""
    return value.strftime(date_format)


def iso_date(shown: str, date_format: str) -> str | None:
    """A date as the pages show it, in ISO form; blank is None, anything else is kept as shown."""
    text = shown.strip()
    try:
        return datetime.strptime(text, date_format).date().isoformat()
    except ValueError:
        return text or None
