"""Typed reading of a REST request body, with Oracle-like messages for wrong values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sandbox.rules import RuleViolation

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
# Attributes a client may echo back from a GET; they are never written.
ECHO_ATTRIBUTES = frozenset({"links", "@context"})


class Body:
    """One JSON object from a request: ``attributes`` are the writable ones for the resource."""

    def __init__(self, data: Mapping[str, Any], resource: str) -> None:
        self.data = data
        self.resource = resource

    def only(self, writable: Iterable[str], read_only: Iterable[str] = ()) -> None:
        """Refuse unknown attributes; ``read_only`` ones are accepted and ignored."""
        known = set(writable) | set(read_only) | ECHO_ATTRIBUTES
        for name in self.data:
            if name not in known:
                raise RuleViolation(
                    f"The attribute {name} isn't valid for the resource {self.resource}.", name
                )

    def has(self, name: str) -> bool:
        return name in self.data

    def given(self, name: str) -> bool:
        """Present and not null."""
        return self.data.get(name) is not None

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if required:
                raise RuleViolation(f"A value for the attribute {name} is required.", name)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise RuleViolation(
                f"The value {value!r} isn't valid text for the attribute {name}.", name
            )
        return str(value).strip()

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise RuleViolation(f"A value for the attribute {name} is required.", name)
            return None
        if isinstance(value, bool):
            raise RuleViolation(
                f"The value {value} isn't a valid number for the attribute {name}.", name
            )
        try:
            return float(value)
        except (TypeError, ValueError):
            raise RuleViolation(
                f"The value {value} isn't a valid number for the attribute {name}.", name
            ) from None

    def integer(self, name: str, *, required: bool = False) -> int | None:
        number = self.number(name, required=required)
        if number is None:
            return None
        if number != int(number):
            raise RuleViolation(f"The value {number} isn't a valid whole number for {name}.", name)
        return int(number)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "y", "yes", "false", "n", "no"}:
            return value.lower() in {"true", "y", "yes"}
        raise RuleViolation(f"The value {value} isn't valid for the attribute {name}.", name)

    def date(self, name: str, *, required: bool = False) -> str | None:
        """An ISO date (``YYYY-MM-DD``, a time part is dropped), as text."""
        value = self.text(name, required=required)
        if value is None:
            return None
        match = ISO_DATE.match(value)
        try:
            if not match:
                raise ValueError(value)
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            raise RuleViolation(
                f"The value {value} isn't a valid date for the attribute {name}. Use YYYY-MM-DD.",
                name,
            ) from None

    def children(self, name: str) -> list[Body] | None:
        """A nested child collection (``"lines": [...]``, or ``{"items": [...]}``)."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, Mapping) and isinstance(value.get("items"), list):
            value = value["items"]
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise RuleViolation(f"The attribute {name} must be a list of objects.", name)
        return [Body(v, name) for v in value]
