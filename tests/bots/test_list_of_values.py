"""How a list-of-values choice tells Oracle's refusal from a list that has not answered, both
ways of choosing (``bots.list_of_values``).

Real Chromium on a small static page shaped like JET's select (a combobox whose dropdown is
named by ``aria-controls``, options in ``div[role=listbox]``). The page's BusyContext is a
stand-in that is always ready: these tests are about reading the list, not about waiting.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from bots.errors import PageTimeoutError, ValueNotOfferedError
from bots.list_of_values import NO_MATCHES, Chooser, choose_by_click, choose_by_keyboard
from bots.widgets import Widgets
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


def widgets(page: Page, chooser: Chooser = choose_by_click) -> Widgets:
    return Widgets(
        page, action_timeout_ms=900, ready_timeout_ms=5000, screen="test", chooser=chooser
    )


BOTH_WAYS = pytest.mark.parametrize(
    "chooser", [choose_by_click, choose_by_keyboard], ids=["click", "keyboard"]
)


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


def test_the_keyboard_way_presses_enter_on_the_first_option_when_it_is_the_value(
    page: Page,
) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option">Anglia Office Supplies Ltd</div>'
            '<div role="option">Anglia Office Supplies Group</div></div>'
        )
        + """<script>
          document.querySelector('[role=combobox]').addEventListener('keydown', e => {
            if (e.key === 'Enter') {
              document.body.dataset.chosen = document.querySelector('[role=option]').textContent;
            }
          });
        </script>"""
    )
    widgets(page, choose_by_keyboard).choose(page, "Supplier", "anglia office supplies ltd")
    assert page.evaluate("document.body.dataset.chosen") == "Anglia Office Supplies Ltd"


def test_the_keyboard_way_clicks_the_value_when_another_option_comes_first(page: Page) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option">Anglia Office Supplies Group</div>'
            '<div role="option" onclick="document.body.dataset.chosen = this.textContent">'
            "Anglia Office Supplies Ltd</div></div>"
        )
    )
    widgets(page, choose_by_keyboard).choose(page, "Supplier", "Anglia Office Supplies Ltd")
    assert page.evaluate("document.body.dataset.chosen") == "Anglia Office Supplies Ltd"


@BOTH_WAYS
def test_no_matches_found_is_oracle_refusing_the_value(page: Page, chooser: Chooser) -> None:
    page.set_content(select_page(f"<span>{NO_MATCHES}</span>"))
    with pytest.raises(ValueNotOfferedError, match=r"Supplier 'Acme Ltd' .* \(no matches\)"):
        widgets(page, chooser).choose(page, "Supplier", "Acme Ltd")


@BOTH_WAYS
def test_other_options_only_is_oracle_refusing_the_value(page: Page, chooser: Chooser) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option">Acme Holdings Ltd</div></div>'
        )
    )
    with pytest.raises(ValueNotOfferedError, match="offered: Acme Holdings Ltd"):
        widgets(page, chooser).choose(page, "Supplier", "Acme Ltd")


@BOTH_WAYS
def test_a_list_that_shows_nothing_is_a_system_failure_not_a_refusal(
    page: Page, chooser: Chooser
) -> None:
    """No options and no "No matches found." (a busy machine): retried, never a rejection."""
    page.set_content(select_page(""))
    with pytest.raises(PageTimeoutError, match="showed no options"):
        widgets(page, chooser).choose(page, "Supplier", "Acme Ltd")
