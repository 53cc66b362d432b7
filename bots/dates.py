"""Dates as Oracle's pages take and show them: one format, for typing and for reading back."""

from __future__ import annotations

from datetime import date, datetime

# The council's Fusion runs in en-GB: dates are typed and shown the way a UK buyer writes them.
DATE_FORMAT = "%d/%m/%Y"


def typed_date(value: date) -> str:
    """``value`` as it is typed into a date field."""
    return value.strftime(DATE_FORMAT)


def iso_date(shown: str) -> str | None:
    """A date as the pages show it, in ISO form; blank is None, anything else is kept as shown."""
    text = shown.strip()
    try:
        return datetime.strptime(text, DATE_FORMAT).date().isoformat()
    except ValueError:
        return text or None
