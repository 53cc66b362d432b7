"""What differs between two arrivals of one request id, in the words of the request file.

A request already raised may arrive again changed (60 cones where the order has 50). Nothing is
changed in Oracle then, and the buyer is told which columns differ, with both values, so they
can raise a change order or send the change under a new request id.
"""

from __future__ import annotations

import json
from typing import Any

# How many differences a message lists before it says "and n more".
_SHOWN = 6


def _value(value: Any) -> str:
    return "blank" if value in (None, "") else repr(str(value))


def _fields(earlier: dict[str, Any], now: dict[str, Any], where: str) -> list[str]:
    names = sorted(set(earlier) | set(now))
    return [
        f"{where}{name} {_value(earlier.get(name))} → {_value(now.get(name))}"
        for name in names
        if name != "lines" and earlier.get(name) != now.get(name)
    ]


def changed_fields(earlier: str, now: str) -> list[str]:
    """Each difference between two requests' contents (canonical JSON, as
    ``PurchaseRequest.content``): ``quantity of line 1 '50' → '60'``, header columns first."""
    before, after = json.loads(earlier), json.loads(now)
    changes = _fields(before, after, "")
    lines_before, lines_after = before.get("lines", []), after.get("lines", [])
    if len(lines_before) != len(lines_after):
        changes.append(f"the number of lines {len(lines_before)} → {len(lines_after)}")
    for number, (line_before, line_after) in enumerate(
        zip(lines_before, lines_after, strict=False), start=1
    ):
        changes += _fields(line_before, line_after, f"line {number}: ")
    return changes


def describe_changes(earlier: str | None, now: str) -> str:
    """The differences as one phrase for a message (at most a handful, then a count)."""
    if earlier is None:  # recorded before the ledger kept contents: only the hash is known
        return "its content differs (the raised copy's columns were not kept, only a checksum)"
    changes = changed_fields(earlier, now)
    shown = "; ".join(changes[:_SHOWN])
    if len(changes) > _SHOWN:
        shown += f"; and {len(changes) - _SHOWN} more"
    return shown
