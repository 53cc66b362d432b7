"""Errors raised by page objects.

    BotError
    ├── BusinessRuleError          Oracle refused the data (a rule, an unknown value): never retried
    │   └── ValueNotOfferedError   a list of values did not offer the wanted value
    └── TransientBotError          the system misbehaved: retried
        ├── SessionExpiredError    the page landed on sign-in; sign in again, then retry
        ├── ServerError            Oracle answered 5xx (its error dialog says so)
        ├── OutcomeUnknownError    an action may or may not have happened (connection lost)
        ├── PageTimeoutError       the page did not become ready in time
        └── BrowserCrashedError    the browser or its page died; relaunch it, then retry

Each error carries the screen (page name), the URL and, once the caller took one, an evidence path.
Playwright's own errors are turned into these in :mod:`bots.playwright_errors`; this module
needs no browser library.
"""

from __future__ import annotations

from pathlib import Path


class BotError(Exception):
    """Base of every error a page object raises."""

    def __init__(self, message: str, *, screen: str = "", url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.screen = screen
        self.url = url
        self.evidence: list[Path] = []

    def __str__(self) -> str:
        where = f" [{self.screen}]" if self.screen else ""
        return f"{self.message}{where}"


class BusinessRuleError(BotError):
    """Oracle refused the data with a message a person must act on. Never retried."""


class ValueNotOfferedError(BusinessRuleError):
    """A list of values (LOV) did not offer the value: unknown, inactive or not valid here."""

    def __init__(
        self, label: str, value: str, offered: list[str], *, screen: str = "", url: str = ""
    ) -> None:
        shown = ", ".join(offered[:5]) + (" …" if len(offered) > 5 else "")
        detail = f" (offered: {shown})" if offered else " (no matches)"
        super().__init__(
            f"{label} '{value}' is not available for selection{detail}", screen=screen, url=url
        )
        self.label = label
        self.value = value
        self.offered = offered


class TransientBotError(BotError):
    """A system failure worth retrying: timeouts, 5xx, lost session, crashed browser."""


class SessionExpiredError(TransientBotError):
    """The page redirected to sign-in: the session expired or was ended."""


class ServerError(TransientBotError):
    """Oracle answered with a server error (5xx)."""


class OutcomeUnknownError(TransientBotError):
    """An action may have taken effect although no answer came back (e.g. connection dropped)."""


class PageTimeoutError(TransientBotError):
    """The page did not become ready, or an element did not appear, in time."""


class BrowserCrashedError(TransientBotError):
    """The browser or its page died; the caller relaunches it."""
