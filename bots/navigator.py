"""Reaching a work area through Fusion's Navigator, where the pod offers no deep link to it.

From Home (``sign_in.entry_path``, an ADF page) the Navigator link opens a menu of groups and
links; the profile's ``navigation`` steps name the group, the link in it, then any task links
on the pages reached (``["Procurement", "Purchase Orders"]``). Every step is looked up by the
profile's text and waited on as the page's family requires, so a step the pod does not offer is
a structural mismatch naming the profile key, like any other missing control.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page

from bots.page_identity import expect_present
from bots.widgets import Widgets
from config.ui_profile import ProfileText, WorkArea


def _links(scope: Page | Locator) -> list[str]:
    return [" ".join(t.split()) for t in scope.get_by_role("link").all_inner_texts() if t.strip()]


def _headings(scope: Locator) -> list[str]:
    # Text content, not inner text: a heading styled in capitals is still named as written.
    return [" ".join(t.split()) for t in scope.get_by_role("heading").all_text_contents()]


def navigator_opener(page: Page, name: ProfileText) -> Locator:
    """What opens the Navigator: a link on Fusion's ADF home, a button on some releases."""
    return page.get_by_role("link", name=name, exact=True).or_(
        page.get_by_role("button", name=name, exact=True)
    )


class Navigator:
    """Follows a profile's navigation steps from Home on one signed-in page."""

    def __init__(self, widgets: Widgets, base_url: str) -> None:
        self.widgets = widgets
        self.page = widgets.page
        self.profile = widgets.profile
        self.base_url = base_url

    def follow(self, steps: list[ProfileText]) -> None:
        """Open Home, then the Navigator, then the group's link, then each task link."""
        w = self.widgets
        w.goto(f"{self.base_url}{self.profile.sign_in.entry_path}")
        name = self.profile.home.navigator
        opener = navigator_opener(self.page, name)
        self._present(opener, name, "link or button", lambda: _links(self.page)).click()
        w.ready()
        menu = self._present(
            self.page.get_by_role("navigation", name=name, exact=True),
            name,
            "menu",
            lambda: [],
        )
        group, link, *tasks = steps
        self._present(
            menu.get_by_role("heading", name=group, exact=True),
            group,
            "group",
            lambda: _headings(menu),
        )
        found = menu.get_by_role("link", name=link, exact=True)
        self._follow(self._present(found, link, "link", lambda: _links(menu)))
        for task in tasks:
            found = self.page.get_by_role("link", name=task, exact=True)
            self._follow(self._present(found, task, "link", lambda: _links(self.page)))

    def _follow(self, link: Locator) -> None:
        """Click a link and wait for what it does: a link to an address opens another page
        (waited for as a navigation, not on the page it leaves); one without (an ADF task link
        answered by a partial-page request) changes this page."""
        href = link.get_attribute("href") or ""
        if href and not href.startswith(("#", "javascript:")):
            with self.page.expect_navigation(timeout=self.widgets.timeouts.navigation_ms):
                link.click()
        else:
            link.click()
        self.widgets.ready()

    def _present(
        self, locator: Locator, text: ProfileText, kind: str, instead: Callable[[], list[str]]
    ) -> Locator:
        w = self.widgets
        return expect_present(
            locator,
            text,
            kind=kind,
            instead=instead,
            timeout_ms=w.presence_timeout_ms,
            screen=w.screen,
            url=self.page.url,
        ).first


def open_work_area(widgets: Widgets, base_url: str, area: WorkArea) -> None:
    """Open a work area: through the Navigator when the profile names steps, else by path."""
    if area.navigation:
        Navigator(widgets, base_url).follow(area.navigation)
    elif area.path is not None:
        widgets.goto(f"{base_url}{area.path}")
