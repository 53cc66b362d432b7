"""A read-only walk of a UI profile against a pod: does every text the profile names resolve?

``rpa doctor --probe-ui`` runs it before the first real run on a pod (and after every Oracle
update). It signs in, visits the pages the flows use, opens each drawer and tab, looks up every
label, button, tab, heading and list the profile names, types a value no list can offer to see
the "no matches" wording, and cancels every drawer. It never presses Create, OK, Save or Submit:
nothing in Oracle changes.

The result is a census, one entry per profile key: ``found`` (exactly one element), ``missing``
(none), ``ambiguous`` (more than one), or ``not_checked`` with the reason (a confirmation is only
seen after Submit; an order page needs an order to open). An operator fixes the profile from the
missing and ambiguous keys, with the page each was looked for on.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import BotError, StructuralMismatchError
from bots.list_of_values import choose_by_click
from bots.navigator import Navigator, navigator_opener
from bots.page_identity import heading_locator
from bots.playwright_errors import playwright_errors_translated
from bots.readiness import page_family
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.ui_profile import ProfilePattern, ProfileText, UiProfile, WorkArea

# Typed into a list to make it answer "no matches": no supplier is called this.
NO_SUCH_VALUE = "zz probe no such value 7f3a"


class KeyStatus(StrEnum):
    FOUND = "found"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    NOT_CHECKED = "not_checked"


@dataclass
class KeyResult:
    key: str
    status: KeyStatus
    page: str = ""
    detail: str = ""


@dataclass
class Census:
    """What the walk found for each key of the profile."""

    profile: str
    results: dict[str, KeyResult] = field(default_factory=dict)
    stopped: str | None = None  # why the walk could not go on, if it stopped early

    def note(self, key: str, status: KeyStatus, page: str, detail: str = "") -> None:
        """Record a finding. A key looked for on several pages (Cancel in every drawer) keeps
        the worst: one page without it is enough for a flow to fail there."""
        known = self.results.get(key)
        if known is None or _RANK[status] > _RANK[known.status]:
            self.results[key] = KeyResult(key, status, page, detail)

    def count(self, status: KeyStatus) -> int:
        return sum(1 for r in self.results.values() if r.status is status)

    @property
    def all_found(self) -> bool:
        """No key missing or ambiguous, and the walk reached its end."""
        return self.stopped is None and not any(
            r.status in (KeyStatus.MISSING, KeyStatus.AMBIGUOUS) for r in self.results.values()
        )


_RANK = {
    KeyStatus.NOT_CHECKED: 0,
    KeyStatus.FOUND: 1,
    KeyStatus.AMBIGUOUS: 2,
    KeyStatus.MISSING: 3,
}


def _status(count: int) -> KeyStatus:
    if count == 0:
        return KeyStatus.MISSING
    return KeyStatus.FOUND if count == 1 else KeyStatus.AMBIGUOUS


class UiProbe:
    """The walk, on one signed-in page (see the module's docstring)."""

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.profile = profile
        self.census = Census(profile.name)
        self.screen = "probe"
        self.widgets = Widgets(page, profile, timeouts, screen="probe", chooser=choose_by_click)
        for key, _ in profile.texts():
            self.not_checked(key, "not on any page the walk visits")
        self.not_checked("family", "")

    # --- looking things up ---------------------------------------------------------------------

    def _count(self, text: ProfileText, locator: Locator, where: str) -> bool:
        count = locator.count()
        self.census.note(text.key, _status(count), where, f"{count} element(s) for {text!r}")
        return count == 1

    def label(self, scope: Page | Locator, text: ProfileText, where: str) -> bool:
        by_label = scope.get_by_label(text, exact=True)
        if by_label.count() == 0:
            by_label = scope.get_by_role("combobox", name=text, exact=True)
        if by_label.count() == 0:
            by_label = scope.get_by_role("checkbox", name=text, exact=True)
        return self._count(text, by_label, where)

    def button(self, scope: Page | Locator, text: ProfileText, where: str) -> bool:
        return self._count(text, scope.get_by_role("button", name=text, exact=True), where)

    def tab(self, text: ProfileText, where: str) -> bool:
        return self._count(text, self.page.get_by_role("tab", name=text, exact=True), where)

    def grid(self, text: ProfileText, where: str) -> bool:
        return self._count(text, self.page.get_by_role("grid", name=text, exact=True), where)

    def column(self, grid: ProfileText, text: ProfileText, where: str) -> bool:
        found = self.page.get_by_role("grid", name=grid, exact=True).get_by_role(
            "columnheader", name=text, exact=True
        )
        return self._count(text, found, where)

    def heading(self, heading: ProfileText | ProfilePattern, where: str) -> bool:
        found = heading_locator(self.page, heading)
        # A heading that never shows is counted below: zero is "missing".
        with contextlib.suppress(PlaywrightTimeoutError):
            found.first.wait_for(state="visible", timeout=self.widgets.presence_timeout_ms)
        count = found.count()
        self.census.note(heading.key, _status(count), where, f"{count} heading(s)")
        return count >= 1

    def not_checked(self, key: str, reason: str) -> None:
        """Say why a key was not looked for (it keeps any finding already made)."""
        known = self.census.results.get(key)
        if known is None or known.status is KeyStatus.NOT_CHECKED:
            self.census.results[key] = KeyResult(key, KeyStatus.NOT_CHECKED, "", reason)

    def signed_in(self, *, two_step: bool) -> None:
        """The sign-in the session made used these keys; the rest show only when refused."""
        texts = self.profile.sign_in
        used = [
            texts.entry_path,
            texts.path_marker,
            texts.user_label,
            texts.password_label,
            texts.sign_in_button,
        ] + ([texts.next_button] if two_step else [])
        for text in used:
            self.census.note(text.key, KeyStatus.FOUND, "sign-in", "signed in")
        if not two_step:
            self.not_checked(texts.next_button.key, "the pod's sign-in form has one step")
        self.not_checked("sign_in.refused_texts", "shown only when a sign-in is refused")
        self.not_checked("sign_in.single_sign_on_texts", "shown only on a single-sign-on page")

    # --- moving about --------------------------------------------------------------------------

    def visit(self, path_key: ProfileText, path: str, where: str) -> None:
        self.widgets.goto(f"{self.base_url}{path}")
        self.census.note(path_key.key, KeyStatus.FOUND, where, self.page.url)

    def visit_area(self, area: WorkArea, where: str) -> None:
        """Open a work area as the flows do: by its navigation steps, else by its path. A step
        the pod does not offer is noted missing and ends this part of the walk."""
        if not area.navigation:
            assert area.path is not None  # the profile's check: a path or navigation
            self.visit(area.path, area.path, where)
            return
        try:
            Navigator(self.widgets, self.base_url).follow(area.navigation)
        except StructuralMismatchError as exc:
            self.census.note(exc.profile_key, KeyStatus.MISSING, where, exc.found)
            raise
        self.census.note(self.profile.home.navigator.key, KeyStatus.FOUND, "home")
        steps = " > ".join(area.navigation)
        self.census.note(area.navigation[0].key, KeyStatus.FOUND, where, steps)

    def open_drawer(self, button: ProfileText, drawer: ProfileText, where: str) -> Locator | None:
        if not self.button(self.page, button, where):
            return None  # the drawer stays not_checked: its button is the finding
        self.page.get_by_role("button", name=button, exact=True).first.click()
        try:
            opened = self.widgets.drawer(drawer)
        except BotError as exc:
            self.census.note(drawer.key, KeyStatus.MISSING, where, exc.message)
            return None
        self.census.note(drawer.key, KeyStatus.FOUND, where)
        return opened

    def cancel(self, drawer: Locator, where: str) -> None:
        cancel = self.profile.messages.cancel_button
        if self.button(drawer, cancel, where):
            drawer.get_by_role("button", name=cancel, exact=True).click()
        else:
            self.page.keyboard.press("Escape")
        self.widgets.ready()

    def open_tab(self, text: ProfileText, where: str) -> bool:
        if not self.tab(text, where):
            return False
        self.page.get_by_role("tab", name=text, exact=True).click()
        self.widgets.ready()
        return True

    def no_matches(self, scope: Locator, list_label: ProfileText, where: str) -> None:
        """Type a value no list offers: the dropdown must say one of the "no matches" texts."""
        combo = scope.get_by_role("combobox", name=list_label, exact=True)
        if combo.count() != 1:
            return
        combo.click()
        combo.fill(NO_SUCH_VALUE)
        self.widgets.ready()
        texts = self.profile.messages.no_matches
        said = self.page.get_by_text(
            re.compile("^\\s*(?:" + "|".join(re.escape(t) for t in texts) + ")\\s*$", re.I)
        )
        try:
            said.first.wait_for(state="visible", timeout=self.widgets.action_timeout_ms)
            status, detail = KeyStatus.FOUND, f"shown for {list_label!r}"
        except PlaywrightTimeoutError:
            status, detail = KeyStatus.MISSING, f"none of {texts} shown for {list_label!r}"
        self.census.note(texts[0].key, status, where, detail)
        combo.fill("")
        combo.press("Escape")
        self.widgets.ready()

    # --- the walk ------------------------------------------------------------------------------

    def walk(self, *, order_header_id: str | None, order_is_incomplete: bool) -> Census:
        """Visit every page of the profile; a step that fails is noted and the walk goes on."""
        steps: list[tuple[str, Callable[[], None]]] = [
            ("home", self._home),
            ("purchase orders", self._orders),
            ("purchase order", lambda: self._order(order_header_id, order_is_incomplete)),
            ("suppliers", self._suppliers),
        ]
        for name, step in steps:
            try:
                with playwright_errors_translated(self.page, screen=self.screen):
                    step()
            except BotError as exc:
                self.census.stopped = f"the {name} step stopped: {exc.message}"
                break
        for key in ("messages.system_error_pattern", "date_format"):
            self.not_checked(key, "read while the bots work, not from a page")
        for key in ("messages.error_dialog", "messages.warning_dialog"):
            self.not_checked(key, "shown only when Oracle reports a problem")
        for key in ("messages.yes_button", "messages.no_button", "warnings.accept"):
            self.not_checked(key, "used only when Oracle asks a Yes/No question")
        return self.census

    def _home(self) -> None:
        """Home, where navigation starts: its Navigator is there whether or not a work area
        is reached through it."""
        self.widgets.goto(f"{self.base_url}{self.profile.sign_in.entry_path}")
        navigator = self.profile.home.navigator
        self._count(navigator, navigator_opener(self.page, navigator), "home")

    def _orders(self) -> None:
        texts, create = self.profile.po.orders, self.profile.po.create
        where = str(texts.heading)
        self.visit_area(texts, where)
        found = page_family(self.page)
        self.census.note(
            "family",
            KeyStatus.FOUND if found == self.profile.family else KeyStatus.MISSING,
            where,
            f"the page is of the {found} family",
        )
        self.heading(texts.heading, where)
        self.label(self.page, texts.search_order, where)
        self.label(self.page, texts.search_description, where)
        self.button(self.page, texts.search_button, where)
        if self.grid(texts.results_grid, where):
            for column in (texts.order_column, texts.description_column, texts.status_column):
                self.column(texts.results_grid, column, where)
        drawer = self.open_drawer(texts.create_button, create.drawer, where)
        if drawer is None:
            return
        where = f"{where} > {create.drawer}"
        for name in type(create).model_fields:
            if name in ("drawer", "create_button"):
                continue
            self.label(drawer, getattr(create, name), where)
        self.button(drawer, create.create_button, where)
        self.no_matches(drawer, create.supplier, where)
        self.cancel(drawer, where)

    def _order(self, header_id: str | None, incomplete: bool) -> None:
        texts, line = self.profile.po.order, self.profile.po.line
        self.not_checked(texts.confirmation_pattern.key, "seen only after Submit")
        self.not_checked(texts.delete_dialog.key, "asked only when an order is deleted")
        if header_id is None:
            for key, _ in self.profile.texts():
                if key.startswith(("po.order.", "po.line.", "po.schedule.", "po.distribution.")):
                    self.not_checked(key, "no purchase order to open on this pod")
            return
        where = "a purchase order"
        self.visit(texts.path, texts.path.format(header_id=header_id), where)
        self.heading(texts.heading_pattern, where)
        for tab in (texts.lines_tab, texts.schedules_tab, texts.distributions_tab):
            self.tab(tab, where)
        if not incomplete:
            for text in (
                texts.add_line_button,
                texts.submit_button,
                texts.save_button,
                texts.delete_button,
                texts.description,
                texts.buyer,
            ):
                self.not_checked(text.key, "offered on Incomplete orders only; none was found")
            return
        for text in (texts.description, texts.buyer):
            self.label(self.page, text, where)
        for text in (texts.save_button, texts.submit_button, texts.delete_button):
            self.button(self.page, text, where)
        if self.open_tab(texts.lines_tab, where):
            self.grid(texts.lines_grid, where)
            drawer = self.open_drawer(texts.add_line_button, line.drawer, where)
            if drawer is not None:
                inside = f"{where} > {line.drawer}"
                for name in type(line).model_fields:
                    if name != "drawer":
                        self.label(drawer, getattr(line, name), inside)
                self.button(drawer, self.profile.messages.ok_button, inside)
                self.cancel(drawer, inside)
        schedule, distribution = self.profile.po.schedule, self.profile.po.distribution
        for tab, row_button, section in (
            (texts.schedules_tab, schedule.edit_button.filled(line=1, schedule=1), schedule),
            (
                texts.distributions_tab,
                distribution.edit_button.filled(line=1, schedule=1, distribution=1),
                distribution,
            ),
        ):
            if not self.open_tab(tab, where):
                continue
            if self.page.get_by_role("button", name=row_button, exact=True).count() == 0:
                for name in type(section).model_fields:
                    self.not_checked(
                        getattr(section, name).key, "the order opened has no line to edit"
                    )
                continue
            drawer = self.open_drawer(row_button, section.drawer, f"{where} > {tab}")
            if drawer is None:
                continue
            inside = f"{where} > {tab} > {section.drawer}"
            for name in type(section).model_fields:
                if name not in ("drawer", "edit_button"):
                    self.label(drawer, getattr(section, name), inside)
            self.cancel(drawer, inside)

    def _suppliers(self) -> None:
        search = self.profile.suppliers.search
        fields = self.profile.suppliers.profile
        where = str(search.heading)
        self.visit_area(search, where)
        self.heading(search.heading, where)
        self.label(self.page, search.search_field, where)
        self.button(self.page, search.search_button, where)
        self.grid(search.results_grid, where)
        drawer = self.open_drawer(search.create_button, search.create_drawer, where)
        if drawer is not None:
            inside = f"{where} > {search.create_drawer}"
            for name in (
                "supplier",
                "tax_organization_type",
                "supplier_type",
                "business_relationship",
                "tax_country",
                "taxpayer_id",
                "duns_number",
            ):
                self.label(drawer, getattr(fields, name), inside)
            self.button(drawer, search.create_drawer_button, inside)
            self.cancel(drawer, inside)
        link = self.page.get_by_role("grid", name=search.results_grid).get_by_role("link")
        if link.count() == 0:
            for key, _ in self.profile.texts():
                if key.startswith(
                    (
                        "suppliers.page.",
                        "suppliers.address.",
                        "suppliers.site.",
                        "suppliers.contact.",
                    )
                ):
                    self.not_checked(key, "no supplier listed to open")
            return
        link.first.click()
        self.widgets.ready()
        self._supplier()

    def _supplier(self) -> None:
        page, fields = self.profile.suppliers.page, self.profile.suppliers.profile
        where = "a supplier"
        self.census.note(page.path.key, KeyStatus.FOUND, where, self.page.url)
        self.heading(page.heading_pattern, where)
        if self.open_tab(page.profile_tab, where):
            for name in type(fields).model_fields:
                self.label(self.page, getattr(fields, name), f"{where} > {page.profile_tab}")
            self.button(self.page, page.edit_button, f"{where} > {page.profile_tab}")
        self.not_checked(page.save_button.key, "shown only while editing")
        for tab, section in (
            (page.addresses_tab, self.profile.suppliers.address),
            (page.sites_tab, self.profile.suppliers.site),
            (page.contacts_tab, self.profile.suppliers.contact),
        ):
            if not self.open_tab(tab, where):
                continue
            inside = f"{where} > {tab}"
            self.grid(section.grid, inside)
            rows = self.page.get_by_role("grid", name=section.grid).locator("tr[data-oj-key]")
            if rows.count() > 0:
                first = " ".join(rows.first.locator("td, th").first.inner_text().split())
                edit = page.row_edit_button.format(name=first)
                count = self.page.get_by_role("button", name=edit, exact=True).count()
                self.census.note(page.row_edit_button.key, _status(count), inside, repr(edit))
            drawer = self.open_drawer(section.create_button, section.drawer, inside)
            if drawer is None:
                continue
            in_drawer = f"{inside} > {section.drawer}"
            for name in type(section).model_fields:
                value = getattr(section, name)
                if name in ("grid", "create_button", "drawer") or not isinstance(
                    value, ProfileText
                ):
                    continue
                if name == "assignments_list":
                    self.not_checked(value.key, "shown when a site is edited")
                    continue
                self.label(drawer, value, in_drawer)
            self.button(drawer, self.profile.messages.ok_button, in_drawer)
            self.cancel(drawer, in_drawer)
        self.not_checked(
            self.profile.suppliers.site.assignment_pattern.key, "read from an edited site"
        )
