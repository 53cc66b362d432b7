"""Where Playwright's own errors become bot errors: the edge of bots/ that the flows see.

A page object names what it can itself (an error dialog, a value the list does not offer, a page
that never got ready). Whatever Playwright raises beyond that leaves a page object's public
methods as a system failure, by one rule:

- a timeout means the page did not answer in time; the browser is still good
  (:class:`~bots.errors.PageTimeoutError`);
- anything else (a closed target, a protocol error) means the browser or its page died
  (:class:`~bots.errors.BrowserCrashedError`); the caller replaces it.

So the flows handle :mod:`bots.errors` only and never import Playwright (an import-linter
contract and ``tests/bots/test_boundary.py`` hold them to it). Errors that are not Playwright's
(a bug) are left alone: they are not browser failures and must not be retried as if they were.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import BotError, BrowserCrashedError, PageTimeoutError, TransientBotError

PageObjectClass = TypeVar("PageObjectClass", bound=type)


def from_playwright(exc: PlaywrightError, *, screen: str = "", url: str = "") -> TransientBotError:
    """The bot error that a Playwright error means (the rule in the module's docstring): one
    sentence for people, Playwright's own text (its call log) as the detail for the run log."""
    detail = f"{type(exc).__name__}: {exc}"
    where = f" on the {screen} page" if screen else ""
    if isinstance(exc, PlaywrightTimeoutError):
        waited = _TIMEOUT.search(str(exc))
        within = f" within {int(waited.group(1)) / 1000:g} s" if waited else " in time"
        return PageTimeoutError(
            f"Oracle's page did not answer{within}{where}", screen=screen, url=url, detail=detail
        )
    return BrowserCrashedError(
        f"the browser closed unexpectedly{where}", screen=screen, url=url, detail=detail
    )


_TIMEOUT = re.compile(r"Timeout (\d+)ms")


@contextmanager
def playwright_errors_translated(page: Page | None = None, *, screen: str = "") -> Iterator[None]:
    """Raise a Playwright error from the block as the bot error :func:`from_playwright` names.

    For code outside the page objects that drives the browser for the flows (the session's
    sign-in and tracing in ``rpa.oracle_session``).
    """
    try:
        yield
    except PlaywrightError as exc:
        raise from_playwright(exc, screen=screen, url=page.url if page else "") from exc


def translates_playwright_errors(cls: PageObjectClass) -> PageObjectClass:
    """Class decorator for a page object: its public methods and properties raise bot errors
    only. The class keeps its Playwright page in ``page`` and its screen name in ``screen``.

    Every public member is wrapped, not a chosen few, so a method added later cannot leak a
    Playwright error to the flows (``tests/bots/test_boundary.py`` checks each page object).
    """
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, property) and member.fget is not None:
            wrapped = property(_translating(member.fget), member.fset, member.fdel, member.__doc__)
            setattr(cls, name, wrapped)
        elif inspect.isfunction(member):
            setattr(cls, name, _translating(member))
    return cls


def _translating(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def translated(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except PlaywrightTimeoutError as exc:
            _raise_dialog_behind(self, exc)
            raise from_playwright(exc, screen=self.screen, url=self.page.url) from exc
        except PlaywrightError as exc:
            raise from_playwright(exc, screen=self.screen, url=self.page.url) from exc

    return translated


def _raise_dialog_behind(page_object: Any, timeout: PlaywrightTimeoutError) -> None:
    """A click that timed out may have been blocked by Oracle's error dialog (an HTTP 500, a
    refusal) that opened meanwhile: then the dialog is the cause, read and raised as what it
    says, not a timeout behind it. Page objects without widgets, or a page that cannot be read
    any more, leave the timeout as it is."""
    widgets = getattr(page_object, "widgets", None)
    if widgets is None:
        return
    try:
        widgets.raise_if_error_dialog()
    except PlaywrightError:
        return
    except BotError as said:
        said.detail = f"{type(timeout).__name__}: {timeout}"
        raise said from timeout
