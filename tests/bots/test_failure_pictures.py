"""The failure's picture shows the cause: Oracle's error dialog is photographed before the bot
closes it, and that picture, not a later screenshot, becomes the failure's evidence. Real
Chromium on a page shaped like Oracle's dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bots.errors import BusinessRuleError
from bots.list_of_values import choose_by_click
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.settings import BrowserSettings
from config.ui_profile import load_ui_profile
from flows.common.traced_attempt import keep_failure_evidence
from rpa.evidence_store import EvidenceStore
from tests.sandbox.pagehelpers import chromium, new_page

pytestmark = pytest.mark.browser

DIALOG_PAGE = """
<main><h1>Purchase Order 1004540</h1></main>
<div role="dialog" aria-label="Error" style="position:fixed;top:30%;left:30%;padding:2em;
     background:#fff;border:4px solid #c00">
  <p>The account 1000-CC150-5100-000 isn't a valid account combination.</p>
  <button onclick="this.parentElement.remove()">OK</button>
</div>
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class _Session:
    """The attempt session as keep_failure_evidence uses it: here, a screenshot of now."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.taken_now: list[Path] = []

    def screenshot(self, path: Path) -> Path:
        self.taken_now.append(path)
        self.page.screenshot(path=str(path))  # type: ignore[attr-defined]
        return path

    def aria_snapshot(self, path: Path) -> None:
        return None

    def stop_trace(self, path: Path) -> None:
        return None

    def session_cookie_values(self) -> list[str]:
        return []


def test_the_dialog_is_photographed_before_it_is_closed_and_kept_as_the_failure(
    browser: Browser, tmp_path: Path
) -> None:
    with new_page(browser) as page:
        page.set_content(DIALOG_PAGE)
        widgets = Widgets(
            page,
            load_ui_profile("redwood"),
            Timeouts.from_settings(BrowserSettings()),
            screen="purchase-order",
            chooser=choose_by_click,
        )
        with pytest.raises(BusinessRuleError) as refused:
            widgets.raise_if_error_dialog()
        assert "isn't a valid account combination" in refused.value.message
        assert page.get_by_role("dialog").count() == 0  # the bot closed it
        after = page.screenshot()
        picture = refused.value.picture
        assert picture is not None and picture.startswith(b"\x89PNG")
        assert picture != after, "taken while the dialog was on the screen"

        session = _Session(page)
        keep_failure_evidence(session, EvidenceStore(tmp_path), "REQ-1", refused.value)  # type: ignore[arg-type]
    [kept] = refused.value.evidence
    assert kept.name == "REQ-1-failure.png"
    assert kept.read_bytes() == picture
    assert session.taken_now == []
