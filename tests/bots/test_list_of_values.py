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

from bots.errors import PageTimeoutError, StructuralMismatchError, ValueNotOfferedError
from bots.list_of_values import Chooser, choose_by_click, choose_by_keyboard
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.ui_profile import UiProfile, load_ui_profile
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


REDWOOD = load_ui_profile("redwood")
ALT = load_ui_profile("redwood-alt")
SUPPLIER = REDWOOD.po.create.supplier  # labelled "Supplier" in both profiles


def widgets(
    page: Page, chooser: Chooser = choose_by_click, profile: UiProfile = REDWOOD
) -> Widgets:
    timeouts = Timeouts(action_ms=900, ready_ms=5000, navigation_ms=5000)
    return Widgets(page, profile, timeouts, screen="test", chooser=chooser)


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
    widgets(page).choose(page, SUPPLIER, "anglia office supplies ltd")
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
    widgets(page, choose_by_keyboard).choose(page, SUPPLIER, "anglia office supplies ltd")
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
    widgets(page, choose_by_keyboard).choose(page, SUPPLIER, "Anglia Office Supplies Ltd")
    assert page.evaluate("document.body.dataset.chosen") == "Anglia Office Supplies Ltd"


@BOTH_WAYS
def test_no_matches_found_is_oracle_refusing_the_value(page: Page, chooser: Chooser) -> None:
    page.set_content(select_page("<span>No matches found.</span>"))
    with pytest.raises(ValueNotOfferedError, match=r"Supplier 'Acme Ltd' .* \(no matches\)"):
        widgets(page, chooser).choose(page, SUPPLIER, "Acme Ltd")


@BOTH_WAYS
def test_the_refusal_keeps_a_picture_of_the_list_as_it_answered(
    page: Page, chooser: Chooser
) -> None:
    """The failure's evidence shows "No matches found.": taken before the list is closed."""
    page.set_content(
        select_page('<span style="font-size:40px">No matches found.</span>')
        + """<script>
          document.querySelector('[role=combobox]').addEventListener('keydown', event => {
            if (event.key === 'Escape') document.getElementById('sup-dropdown').remove();
          });
        </script>"""
    )
    with pytest.raises(ValueNotOfferedError) as refused:
        widgets(page, chooser).choose(page, SUPPLIER, "Acme Ltd")
    assert page.locator("#sup-dropdown").count() == 0  # the bot closed the list
    picture = refused.value.picture
    assert picture is not None and picture.startswith(b"\x89PNG")
    assert picture != page.screenshot(), "taken while the list was open"


@BOTH_WAYS
def test_other_options_only_is_oracle_refusing_the_value(page: Page, chooser: Chooser) -> None:
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option">Acme Holdings Ltd</div></div>'
        )
    )
    with pytest.raises(ValueNotOfferedError, match="offered: Acme Holdings Ltd"):
        widgets(page, chooser).choose(page, SUPPLIER, "Acme Ltd")


@BOTH_WAYS
def test_a_list_that_shows_nothing_is_a_system_failure_not_a_refusal(
    page: Page, chooser: Chooser
) -> None:
    """No options and no "No matches found." (a busy machine): retried, never a rejection."""
    page.set_content(select_page(""))
    with pytest.raises(PageTimeoutError, match="showed no options"):
        widgets(page, chooser).choose(page, SUPPLIER, "Acme Ltd")


@BOTH_WAYS
def test_the_profile_names_the_no_matches_wording(page: Page, chooser: Chooser) -> None:
    """Legacy JET says "No matches found" without the stop: with a profile that knows it, that is
    Oracle refusing the value at once, not a list that never answered."""
    page.set_content(select_page("<span>No matches found</span>"))
    with pytest.raises(ValueNotOfferedError, match=r"\(no matches\)"):
        widgets(page, chooser, ALT).choose(page, ALT.po.create.supplier, "Acme Ltd")


def test_options_shaped_name_number_are_matched_by_the_profiles_template(page: Page) -> None:
    """Fusion's multi-column rows read "name number": the profile's option text says so, and the
    supplier whose name is a prefix of another's is still told apart."""
    page.set_content(
        select_page(
            '<div role="listbox" aria-label="Supplier">'
            '<div role="option" onclick="document.body.dataset.chosen = this.textContent">'
            "Anglia Office Supplies Ltd Group 3013</div>"
            '<div role="option" onclick="document.body.dataset.chosen = this.textContent">'
            "Anglia Office Supplies Ltd 3012</div></div>"
        )
    )
    widgets(page, choose_by_click, ALT).choose(
        page, ALT.po.create.supplier, "Anglia Office Supplies Ltd"
    )
    assert page.evaluate("document.body.dataset.chosen") == "Anglia Office Supplies Ltd 3012"


@BOTH_WAYS
def test_a_list_the_page_does_not_have_is_a_mismatch_naming_the_key(
    page: Page, chooser: Chooser
) -> None:
    page.set_content(select_page(""))
    with pytest.raises(StructuralMismatchError) as caught:
        widgets(page, chooser).choose(
            page, REDWOOD.po.create.procurement_bu, "Norfolk County Council"
        )
    assert caught.value.profile_key == "po.create.procurement_bu"
