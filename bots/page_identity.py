"""Is this the page the profile describes? Checked on every page a bot opens, before any typing.

A page that is not what the bot expects (another release's layout, a renamed field, an ADF page
where a Redwood one was expected, a "page not found", "You don't have access") must not look like
a slow server: retried as a timeout it would burn every request's retries on every run. So a
page is identified by its family, its heading and a landmark the profile names, and anything
that does not match raises :class:`~bots.errors.StructuralMismatchError` naming the profile key,
which stops the run.

What the page shows instead is put in the error (its headings, its buttons, its labels), so the
operator can correct the profile from the message and the ARIA snapshot kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import StructuralMismatchError
from bots.readiness import page_family
from config.ui_profile import ProfilePattern, ProfileText

# How many of the page's own texts a mismatch message lists.
_SHOWN = 8

# The accessible names of the dialogs on screen (JET names them with aria-label or by a heading).
_OPEN_DIALOGS_JS = """
() => [...document.querySelectorAll('[role="dialog"]')]
  .filter(d => d.getClientRects().length > 0)
  .map(d => d.getAttribute('aria-label')
    || (d.getAttribute('aria-labelledby') || '').split(/\\s+/)
         .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
    || '')
"""


def shown(texts: list[str]) -> str:
    """A few of the page's texts, for a mismatch message: '"A", "B", … (12 in all)'."""
    cleaned = [" ".join(t.split()) for t in texts if t.strip()]
    if not cleaned:
        return "none"
    listed = ", ".join(f'"{t[:60]}"' for t in cleaned[:_SHOWN])
    return listed + (f", … ({len(cleaned)} in all)" if len(cleaned) > _SHOWN else "")


def headings(page: Page) -> list[str]:
    return page.locator("h1, [role='heading'][aria-level='1']").all_inner_texts()


def button_names(scope: Page | Locator) -> list[str]:
    return scope.get_by_role("button").all_inner_texts()


def label_texts(scope: Page | Locator) -> list[str]:
    return scope.locator("label").all_inner_texts()


def open_dialogs(page: Page) -> list[str]:
    return [str(name) for name in page.evaluate(_OPEN_DIALOGS_JS)]


def expect_family(page: Page, family: ProfileText | str, *, key: str, screen: str) -> None:
    """The page is built with the family the profile names (Redwood JET, not ADF or plain)."""
    found = page_family(page)
    if found != family:
        raise StructuralMismatchError(
            key, str(family), f"a page of the {found} family", screen=screen, url=page.url
        )


def heading_locator(page: Page, heading: ProfileText | ProfilePattern) -> Locator:
    if isinstance(heading, ProfilePattern):
        return page.get_by_role("heading", name=heading.for_browser)
    return page.get_by_role("heading", name=str(heading), exact=True)


def expect_heading(
    page: Page, heading: ProfileText | ProfilePattern, *, timeout_ms: float, screen: str
) -> Locator:
    """The page's heading is the profile's (a text, or a pattern such as an order's)."""
    found = heading_locator(page, heading)
    try:
        found.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        expected = heading.source if isinstance(heading, ProfilePattern) else str(heading)
        raise StructuralMismatchError(
            heading.key,
            expected,
            f"the heading(s) {shown(headings(page))}",
            screen=screen,
            url=page.url,
        ) from None
    return found.first


def expect_present(
    locator: Locator,
    text: ProfileText,
    *,
    kind: str,
    instead: Callable[[], list[str]],
    timeout_ms: float,
    screen: str,
    url: str,
) -> Locator:
    """``locator`` (found by the profile's ``text``) is on the page; else the mismatch names the
    key and what the page offers ``instead`` (asked only then: listing a page's labels costs a
    round trip to the browser that a lookup which succeeds should not pay)."""
    try:
        locator.first.wait_for(state="attached", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise StructuralMismatchError(
            text.key,
            str(text),
            f"no such {kind}; it offers {shown(instead())}",
            screen=screen,
            url=url,
        ) from None
    return locator


def exactly(text: str) -> re.Pattern[str]:
    """``text`` whole, case and spacing aside (for texts in a dropdown or a message)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$", re.I)
