"""Suppliers work area: search suppliers, read the results, and the drawer that creates one
(texts: ``suppliers.search`` in the UI profile)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from bots.dates import iso_date
from bots.errors import BusinessRuleError
from bots.navigator import open_work_area
from bots.page_identity import heading_locator
from bots.playwright_errors import translates_playwright_errors
from bots.results_grid import ResultsGrid
from bots.supplier_models import SupplierProfileInput, SupplierSummary
from bots.supplier_page import (
    SupplierPage,
    fill_profile_fields,
    supplier_id_in,
    supplier_widgets,
)
from bots.timeouts import Timeouts
from config.ui_profile import UiProfile

SCREEN = "suppliers"


@translates_playwright_errors
class SuppliersPage:
    """The search-and-list page of suppliers."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.profile = profile
        self.timeouts = timeouts
        self.texts = profile.suppliers.search
        self.widgets = supplier_widgets(page, profile, timeouts, SCREEN)
        self.results = ResultsGrid(page, self.widgets, self.texts.results_grid)

    def open(self) -> SuppliersPage:
        open_work_area(self.widgets, self.base_url, self.texts)
        self.widgets.expect_page(
            self.texts.heading, self.texts.search_button, self.texts.create_button
        )
        return self

    def search(self, text: str = "") -> list[SupplierSummary]:
        """Search by name or number (contains); every matching row, scrolling as needed."""
        self.widgets.fill_text(self.page, self.texts.search_field, text)
        self.widgets.click(self.page, self.texts.search_button)
        rows = self.results.rows()
        return [s for s in (self._summary(rows.nth(i)) for i in range(rows.count())) if s]

    def _summary(self, row: Locator) -> SupplierSummary | None:
        cells = self.results.cells(row)
        if len(cells) < 6:
            return None
        href = row.get_by_role("link").first.get_attribute("href") or ""
        supplier_id = supplier_id_in(href, self.profile)
        return SupplierSummary(
            name=cells[0],
            number=cells[1],
            taxpayer_id=cells[2] or None,
            supplier_type=cells[3] or None,
            status=cells[4].upper() or None,
            inactive_date=iso_date(cells[5], self.profile.date_format),
            supplier_id=supplier_id,
        )

    def create_supplier(self, profile: SupplierProfileInput) -> SupplierPage:
        """Fill "Create Supplier" and press Create; Oracle opens the new supplier's page."""
        if not profile.supplier:
            raise BusinessRuleError("a new supplier needs a name", screen=SCREEN)
        w = self.widgets
        w.click(self.page, self.texts.create_button)
        d = w.drawer(self.texts.create_drawer)
        fill_profile_fields(w, d, profile)
        w.control(d, self.texts.create_drawer_button).click()
        heading = heading_locator(self.page, self.profile.suppliers.page.heading_pattern)
        heading.or_(w.error_dialog()).first.wait_for(timeout=self.timeouts.navigation_ms)
        w.ready()
        if heading.count() == 0:
            messages = w.inline_errors(d)
            raise BusinessRuleError(
                "; ".join(messages) or "the supplier was not created",
                screen=SCREEN,
                url=self.page.url,
            )
        return SupplierPage(self.page, self.base_url, self.profile, self.timeouts).opened()
