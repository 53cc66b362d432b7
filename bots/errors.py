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
    └── RunBlockingError           no item can succeed until a person acts: the run stops at
        │                          once and leaves its items pending (never retried, never
        │                          rejected)
        ├── StructuralMismatchError  the page is not what the UI profile describes
        └── SignInRefusedError       Oracle refused the service account (password, lock, expiry)
            └── UnsupportedSignInError  a sign-in the bot must not type into (single sign-on)

Each error carries the screen (page name), the URL and, once the caller took one, an evidence path.
Playwright's own errors are turned into these in :mod:`bots.playwright_errors`; this module
needs no browser library.
"""

from __future__ import annotations

from pathlib import Path


class BotError(Exception):
    """Base of every error a page object raises."""

    def __init__(self, message: str, *, screen: str = "", url: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message  # one sentence for people (results, console, viewer)
        self.screen = screen
        self.url = url
        # The technical account (a browser library's call log, say): the run log only.
        self.detail = detail
        self.evidence: list[Path] = []
        # The screen as it was when the cause was on it (Oracle's dialog, a list saying "No
        # matches"), taken before the bot closed it: the failure's screenshot, when present.
        self.picture: bytes | None = None

    def __str__(self) -> str:
        where = f" [{self.screen}]" if self.screen else ""
        return f"{self.message}{where}"


class BusinessRuleError(BotError):
    """Oracle refused the data with a message a person must act on. Never retried."""


class WarningDeclinedError(BusinessRuleError):
    """Oracle asked a Yes/No warning that the UI profile's policy does not accept: the robot
    answered No, and the record stays as it was for a person to decide."""


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


class RunBlockingError(BotError):
    """Nothing can succeed until a person acts (a changed page, a refused service account).

    Neither a business rejection (the request is not at fault) nor transient (trying again
    gives the same answer, and a refused password tried again locks the account): the run
    stops at once and its items stay pending for the next run after the fix.
    """


class StructuralMismatchError(RunBlockingError):
    """The page is not what the UI profile describes: a heading, a field, a button or the UI
    family does not match. ``profile_key`` names the profile entry that did not match, so an
    operator knows which line of the profile to check (``rpa doctor --probe-ui`` lists all)."""

    def __init__(
        self,
        profile_key: str,
        expected: str,
        found: str = "",
        *,
        screen: str = "",
        url: str = "",
    ) -> None:
        seen = f"; the page shows {found}" if found else ""
        super().__init__(
            f"the page does not match the UI profile: {profile_key} expects {expected!r}{seen}",
            screen=screen,
            url=url,
        )
        self.profile_key = profile_key
        self.expected = expected
        self.found = found


class SignInRefusedError(RunBlockingError):
    """Oracle's sign-in page refused the service account: ``account`` is the user name and the
    message carries what the page said (wrong password, locked or expired account)."""

    def __init__(self, message: str, *, account: str, screen: str = "", url: str = "") -> None:
        super().__init__(message, screen=screen, url=url)
        self.account = account


class UnsupportedSignInError(SignInRefusedError):
    """A sign-in page the bot must not type into: a federated single sign-on or a second
    factor. The service account needs a local identity-domain user without either."""
