"""Choosing a value in a list of values (JET's ``oj-c-select-single``): the two ways, together.

JET renders a select's options outside the component, at the end of ``<body>`` in
``#__root_layer_host``, as ``div[role=listbox][aria-label=<label>]``. Typing into the combobox
makes the page query the server; the BusyContext covers that fetch. Both ways type the whole
value and take only the option whose text is that value as the UI profile describes the list's
options (the bare value, or e.g. "name number" rows: ``UiProfile.option_matcher``; case and
spacing aside), and both tell Oracle refusing the value from a list that has not answered:

- the profile's "no matches" text (``messages.no_matches``), or only other options: Oracle
  refuses the value (an inactive supplier, a site not valid for the business unit):
  :class:`ValueNotOfferedError`, never retried;
- neither options nor "no matches" (a busy machine, a slow search), or an error dialog about the
  server: a system failure (:class:`PageTimeoutError`, :class:`ServerError`), retried.

A list whose label the page does not have is a :class:`StructuralMismatchError` naming the
profile key.

They differ in how the option is picked, because the pages differ:

- :func:`choose_by_click`, on the purchase-order pages: click the option. A search that Oracle
  answers with a 5xx is a read, so it is typed again on the spot (``LIST_SEARCH_TRIES``); the
  choice itself is never repeated there, because what it sets off (defaults, dependent lists)
  may have half happened, and the attempt as a whole starts again from a known state.
- :func:`choose_by_keyboard`, on the supplier pages and their drawers: a drawer holds several
  lists, and once one has been open JET may lay a later list's dropdown under the drawer, where
  no pointer reaches its options (nor a person's) and the drawer keeps the keyboard focus. So
  the choice is made as a keyboard user makes it, and checked in the field afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import PageTimeoutError, ServerError, ValueNotOfferedError
from bots.page_identity import expect_present, label_texts
from bots.screen_picture import screen_picture
from config.ui_profile import ProfileText, UiProfile

# How many times choose_by_click types a search that the server answered with an error.
LIST_SEARCH_TRIES = 3
# How many times choose_by_keyboard types the value and chooses before it gives up.
KEYBOARD_TRIES = 2


class ListHost(Protocol):
    """What choosing needs of the page it happens on (``bots.widgets.Widgets`` provides it)."""

    @property
    def page(self) -> Page: ...

    @property
    def screen(self) -> str: ...

    @property
    def action_timeout_ms(self) -> float: ...

    @property
    def presence_timeout_ms(self) -> float: ...

    @property
    def profile(self) -> UiProfile: ...

    def ready(self) -> None:
        """Wait for the BusyContext; raise what an open error dialog says."""

    def raise_if_error_dialog(self) -> None: ...


# choose(host, scope, label, value): pick ``value`` in the list labelled ``label`` in ``scope``.
Chooser = Callable[[ListHost, Page | Locator, ProfileText, str], None]


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _combobox(host: ListHost, scope: Page | Locator, label: ProfileText) -> Locator:
    return expect_present(
        scope.get_by_role("combobox", name=label, exact=True),
        label,
        kind="list of values",
        instead=lambda: label_texts(scope),
        timeout_ms=host.presence_timeout_ms,
        screen=host.screen,
        url=host.page.url,
    ).first


def _listbox(host: ListHost, label: str) -> Locator:
    return host.page.locator(f'div[role="listbox"][aria-label="{label}"]')


def _no_matches_text(host: ListHost) -> re.Pattern[str]:
    """Any of the profile's "no matches" wordings, whole (so "No matches found" does not also
    match a longer message)."""
    texts = "|".join(re.escape(t) for t in host.profile.messages.no_matches)
    return re.compile(rf"^\s*(?:{texts})\s*$", re.I)


def no_matches(host: ListHost, combo: Locator) -> Locator:
    """The "no matches" text in the dropdown this combobox controls: shown when the search found
    nothing. That, not a list still empty, is Oracle refusing a value."""
    dropdown_id = combo.get_attribute("aria-controls") or ""
    return host.page.locator(f'[id="{dropdown_id}"]').get_by_text(_no_matches_text(host))


def _no_answer(host: ListHost, label: str) -> PageTimeoutError:
    return PageTimeoutError(
        f"the list of values {label} showed no options and no "
        f"'{host.profile.messages.no_matches[0]}'",
        screen=host.screen,
        url=host.page.url,
    )


# --- clicking the option (purchase-order pages) ----------------------------------------------


def choose_by_click(host: ListHost, scope: Page | Locator, label: ProfileText, value: str) -> None:
    """Type ``value`` into the list's search and click the option that is ``value``.

    Raises :class:`ValueNotOfferedError` when the list does not offer it. A search that fails
    with a server error is tried again, up to ``LIST_SEARCH_TRIES`` times, rather than failing
    the whole attempt; the click is not.
    """
    for search in range(LIST_SEARCH_TRIES):
        try:
            # After a failed search the same text is typed again: clear it first, so the
            # list searches again. (Not Escape: with no list open, it would close a drawer.)
            option = _search_list(host, scope, label, value, clear_first=search > 0)
            break
        except ServerError:
            if search == LIST_SEARCH_TRIES - 1:
                raise
    option.click()
    host.ready()


def _search_list(
    host: ListHost, scope: Page | Locator, label: ProfileText, value: str, *, clear_first: bool
) -> Locator:
    """Type ``value`` into the list's search and return its matching option."""
    # Always chosen, even when the list seems to show the value already: a drawer opened
    # again may still show the last value for a moment after its fields were reset.
    combo = _combobox(host, scope, label)
    combo.click()
    if clear_first:
        combo.fill("")
        host.ready()
    combo.fill(value)
    host.ready()
    listbox = _listbox(host, label)
    option = listbox.get_by_role("option").filter(
        has_text=host.profile.option_matcher(label, value)
    )
    answer = option.first.or_(no_matches(host, combo)).first
    try:
        answer.wait_for(state="visible", timeout=host.action_timeout_ms / 3)
    except PlaywrightTimeoutError:
        if listbox.get_by_role("option").count() == 0:
            _wait_for_an_answer(host, combo, answer, label)
    if option.count() > 0 and option.first.is_visible():
        return option.first
    offered = [t.strip() for t in listbox.get_by_role("option").all_inner_texts()]
    picture = screen_picture(host.page)  # the list as it answered, before it is closed
    combo.press("Escape")
    # An empty list because the search itself failed (a 5xx) is a system failure,
    # not a value Oracle refuses: the error dialog tells the two apart.
    host.raise_if_error_dialog()
    refused = ValueNotOfferedError(label, value, offered, screen=host.screen, url=host.page.url)
    refused.picture = picture
    raise refused


def _wait_for_an_answer(host: ListHost, combo: Locator, answer: Locator, label: str) -> None:
    """A list that shows neither options nor "No matches found." has not answered yet: wait
    the rest of the action time, then call it a system failure, never a value Oracle refused."""
    try:
        answer.wait_for(state="visible", timeout=host.action_timeout_ms * 2 / 3)
    except PlaywrightTimeoutError:
        combo.press("Escape")
        host.raise_if_error_dialog()
        raise _no_answer(host, label) from None


# --- choosing from the keyboard (supplier pages and drawers) ----------------------------------


def choose_by_keyboard(
    host: ListHost, scope: Page | Locator, label: ProfileText, value: str
) -> None:
    """Type ``value`` and press Enter when the wanted option is the first one offered; only
    otherwise click it. The field is cleared first, so the search runs even when the same text
    was typed before. The choice counts once the list has closed showing the wanted text.
    """
    combo = _combobox(host, scope, label)
    # By attribute, not by accessible role: a dropdown laid under an aria-hidden layer is
    # invisible to role queries.
    options = _listbox(host, label).locator('[role="option"]')
    wanted = _normalise(value)
    matcher = host.profile.option_matcher(label, value)
    exact = options.filter(has_text=matcher)
    for _ in range(KEYBOARD_TRIES):
        combo.focus()
        combo.fill("")
        combo.fill(value)
        host.ready()
        try:
            exact.first.wait_for(state="attached", timeout=host.action_timeout_ms / 3)
        except PlaywrightTimeoutError:
            continue  # a server search may answer late: type once more before giving up
        if matcher.match(options.first.inner_text()):
            combo.press("Enter")
        else:
            exact.first.click(timeout=host.action_timeout_ms / 3)
        host.ready()
        if _chosen(combo, wanted, matcher):
            return
    offered = [" ".join(t.split()) for t in options.all_inner_texts()]
    nothing_found = no_matches(host, combo).count() > 0
    picture = screen_picture(host.page)  # the list as it answered, before it is closed
    combo.press("Escape")
    if any(matcher.match(t) for t in offered):
        raise PageTimeoutError(
            f"{label} offers '{value}' but the choice did not take",
            screen=host.screen,
            url=host.page.url,
        )
    if not offered and not nothing_found:  # the list never answered: not Oracle's refusal
        raise _no_answer(host, label)
    refused = ValueNotOfferedError(label, value, offered, screen=host.screen, url=host.page.url)
    refused.picture = picture
    raise refused


def _chosen(combo: Locator, wanted: str, matcher: re.Pattern[str]) -> bool:
    """The list has closed showing the value: as typed, or as the option's whole text."""
    closed = combo.get_attribute("aria-expanded") != "true"
    shown = combo.input_value()
    return closed and (_normalise(shown) == wanted or bool(matcher.match(shown)))
