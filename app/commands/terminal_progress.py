"""What a person at a terminal sees while a flow works: a status line, then a progress bar,
with the console's log lines kept above them (used by the flow commands)."""

from __future__ import annotations

import io
import sys
import threading
from typing import Any, TextIO, cast

import click


class TerminalProgress(io.TextIOBase):
    """What a person at a terminal sees while the run works: a status line from the first
    second (reading files, opening Oracle, checking names, signing in), then a progress bar;
    nothing otherwise (logs and --json carry the detail). Log lines meant for the console are
    written through it, above the bar, which is drawn again below them."""

    def __init__(self, label: str, *, enabled: bool) -> None:
        super().__init__()
        self.label = label
        self.enabled = enabled
        self.bar: Any = None
        self.lock = threading.RLock()
        self.status_shown = False

    # --- the status line and the bar ---------------------------------------------------------

    def status(self, text: str) -> None:
        if not self.enabled or self.bar is not None:
            return
        with self.lock:
            sys.stderr.write(f"\r{_CLEAR_LINE}{text}")
            sys.stderr.flush()
            self.status_shown = True

    def start(self, total: int) -> None:
        if not self.enabled:
            return
        with self.lock:
            self._clear_status()
            if total:
                self.bar = click.progressbar(
                    length=total, label=self.label, file=sys.stderr, show_pos=True
                )
                self.bar.__enter__()

    def advance(self, _outcome: object = None) -> None:
        if self.bar is not None:
            with self.lock:
                self.bar.update(1)

    def close(self) -> None:
        with self.lock:
            if self.bar is not None:
                self.bar.__exit__(None, None, None)
                self.bar = None
            self._clear_status()

    def _clear_status(self) -> None:
        if self.status_shown:
            sys.stderr.write(f"\r{_CLEAR_LINE}")
            sys.stderr.flush()
            self.status_shown = False

    # --- the console log's stream --------------------------------------------------------------

    def write(self, text: str) -> int:
        with self.lock:
            if self.enabled and (self.bar is not None or self.status_shown):
                sys.stderr.write(f"\r{_CLEAR_LINE}")  # the line above the bar, not into it
                self.status_shown = False
            sys.stderr.write(text)
            if self.bar is not None and text.endswith("\n"):
                self.bar.render_progress()
            sys.stderr.flush()
        return len(text)

    def stream(self) -> TextIO:
        """The console log's stream: this object (a text stream in all but name: logging
        needs only write and flush)."""
        return cast(TextIO, self)

    def isatty(self) -> bool:
        return sys.stderr.isatty()

    def flush(self) -> None:
        sys.stderr.flush()


_CLEAR_LINE = "\x1b[K"  # erase to the end of the line
