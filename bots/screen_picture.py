"""A picture of the screen at the moment a cause is on it, for the failure's evidence.

The failure screenshot the flows keep is otherwise taken after the bot has closed Oracle's
dialog or the list that said "No matches": it would show the page, not the reason.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

MASKED_FIELDS = "input[type=password]"  # never in a picture, whatever they hold


def screen_picture(page: Page) -> bytes | None:
    """What the screen shows now (the viewport: a drawer and a dialog are drawn over it, so a
    whole-page capture cuts them), password fields masked; None when none can be taken."""
    try:
        return page.screenshot(mask=[page.locator(MASKED_FIELDS)])
    except PlaywrightError:
        return None
