"""The one error every business rule raises."""

from __future__ import annotations


class RuleViolation(Exception):  # noqa: N818 - the name Oracle developers know
    """A request broke one of Oracle's rules. REST answers 400 with ``message`` as plain text.

    ``attribute`` names the REST attribute at fault when there is one, so that a page can point
    at the field.
    """

    def __init__(self, message: str, attribute: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.attribute = attribute
