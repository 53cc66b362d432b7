"""What a flow tells a person watching it at a terminal: the phase it is in, how many items it
will work, each item done; and the stream the console's log lines go through (so that they are
written above a progress bar, not into it). The command line provides one; anything else runs
with :class:`QuietTerminal`.
"""

from __future__ import annotations

from typing import Protocol, TextIO


class Terminal(Protocol):
    def status(self, text: str) -> None: ...

    def start(self, total: int) -> None: ...

    def advance(self, _outcome: object = None) -> None: ...

    def stream(self) -> TextIO | None:
        """Where the console's log lines go (None: stderr)."""
        ...


class QuietTerminal:
    """No one is watching: nothing is shown."""

    def status(self, text: str) -> None:
        return None

    def start(self, total: int) -> None:
        return None

    def advance(self, _outcome: object = None) -> None:
        return None

    def stream(self) -> TextIO | None:
        return None
