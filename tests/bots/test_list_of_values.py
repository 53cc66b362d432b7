"""How a list-of-values choice tells Oracle's refusal from a list that has not answered.

Real Chromium on a small static page shaped like JET's select (a combobox whose dropdown is
named by ``aria-controls``, options in ``div[role=listbox]``). The page's BusyContext is a
stand-in that is always ready: these tests are about reading the list, not about waiting.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from bots.errors import PageTimeoutError, ValueNotOfferedError
from bots.widgets import NO_MATCHES, Widgets
from tests.sandbox.pagehelpers import chromium

pytestmark = pytest.mark.browser

ALWAYS_READY = """
<script>
  window.require = Object.assign(
    () => ({ getPageContext: () => ({ getBusyContext: () => ({ isReady: () => true }) }) }),
    { defined: () => true });
</script>
"""


def select_page(dropdown: str) -> str:
    return f"""<!doctype html><html><head>{ALWAYS_READY}</head><body>
      <input role="combobox" aria-label="Supplier" aria-controls="sup-dropdown">
      <div id="sup-dropdown">{dropdown}</div>
    </body></html>"""


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium() as browser:
        context = browser.new_context()
        yield context.new_page()
        context.close()


def widgets(page: Page) -> Widgets:
    return Widgets(page, action_timeout_ms=900, ready_timeout_ms=5000, screen="test")


def test_a_matching_option_is_clicked(page: Page) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option" onclick="document.body.dataset.chosen = this.textContent">'
            "Anglia Office Supplies Ltd</div></div>"
        )
    )
    widgets(page).choose(page, "Supplier", "anglia office supplies ltd")
    assert page.evaluate("document.body.dataset.chosen") == "Anglia Office Supplies Ltd"


def test_no_matches_found_is_oracle_refusing_the_value(page: Page) -> None:
    page.set_content(select_page(f"<span>{NO_MATCHES}</span>"))
    with pytest.raises(ValueNotOfferedError, match=r"Supplier 'Acme Ltd' .* \(no matches\)"):
        widgets(page).choose(page, "Supplier", "Acme Ltd")


def test_other_options_only_is_oracle_refusing_the_value(page: Page) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option">Acme Holdings Ltd</div></div>'
        )
    )
    with pytest.raises(ValueNotOfferedError, match="offered: Acme Holdings Ltd"):
        widgets(page).choose(page, "Supplier", "Acme Ltd")


def test_a_list_that_shows_nothing_is_a_system_failure_not_a_refusal(page: Page) -> None:
    """No options and no "No matches found." (a busy machine): retried, never a rejection."""
    page.set_content(select_page(""))
    with pytest.raises(PageTimeoutError, match="showed no options"):
        widgets(page).choose(page, "Supplier", "Acme Ltd")
