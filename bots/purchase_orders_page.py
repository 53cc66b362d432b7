"""Purchase Orders work area: the search and its results, and the drawer that creates an order
(texts: ``po.orders``, ``po.create`` in the UI profile)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from bots.errors import BusinessRuleError
from bots.list_of_values import choose_by_click
from bots.models import OrderHeader, OrderSummary
from bots.navigator import open_work_area
from bots.page_identity import heading_locator
from bots.playwright_errors import translates_playwright_errors
from bots.purchase_order_page import PurchaseOrderPage
from bots.results_grid import ResultsGrid
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.ui_profile import UiProfile, value_in_path

SCREEN = "purchase-orders"


def order_header_id_in(url: str, profile: UiProfile) -> str | None:
    """The order's header id in an order page's address, read by the profile's path template."""
    return value_in_path(profile.po.order.path, "header_id", url)


@translates_playwright_errors
class PurchaseOrdersPage:
    """The Purchase Orders work area, where a new order is created."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.profile = profile
        self.timeouts = timeouts
        self.texts = profile.po.orders
        self.widgets = Widgets(page, profile, timeouts, screen=SCREEN, chooser=choose_by_click)
        self.results = ResultsGrid(page, self.widgets, self.texts.results_grid)

    def open(self) -> PurchaseOrdersPage:
        open_work_area(self.widgets, self.base_url, self.texts)
        self.widgets.expect_page(self.texts.heading, self.texts.create_button)
        return self

    def search(self, *, order_number: str = "", description: str = "") -> list[OrderSummary]:
        """The orders whose number and description contain what is given (Oracle's search is
        "contains", case aside: callers compare exactly), every row, scrolling as needed."""
        w, t = self.widgets, self.texts
        w.fill_text(self.page, t.search_order, order_number)
        w.fill_text(self.page, t.search_description, description)
        w.click(self.page, t.search_button)
        columns = self.results.column_positions(
            t.order_column, t.description_column, t.status_column
        )
        rows = self.results.rows()
        found = (self._summary(rows.nth(i), columns) for i in range(rows.count()))
        return [summary for summary in found if summary is not None]

    def _summary(self, row: Locator, columns: dict[str, int]) -> OrderSummary | None:
        cells = self.results.cells(row)
        t = self.texts
        if len(cells) <= max(columns.values()):
            return None  # the table's "no data" row
        link = row.get_by_role("link", name=cells[columns[t.order_column.key]], exact=True)
        header_id = order_header_id_in(link.first.get_attribute("href") or "", self.profile)
        if header_id is None:
            return None
        return OrderSummary(
            header_id=header_id,
            order_number=cells[columns[t.order_column.key]],
            description=cells[columns[t.description_column.key]],
            status=cells[columns[t.status_column.key]],
        )

    def create_order(self, header: OrderHeader) -> PurchaseOrderPage:
        """Fill the drawer and press Create: Oracle creates an Incomplete order with its number.

        The drawer has Oracle's eight fields only; the description and the buyer are set on the
        order's page afterwards (:meth:`PurchaseOrderPage.set_details`)."""
        w, f = self.widgets, self.profile.po.create
        w.click(self.page, self.texts.create_button)
        d = w.drawer(f.drawer)
        if header.document_style:
            w.choose(d, f.document_style, header.document_style)
        w.choose(d, f.procurement_bu, header.procurement_bu)
        if header.requisitioning_bu:
            w.choose(d, f.requisitioning_bu, header.requisitioning_bu)
        w.choose(d, f.supplier, header.supplier)
        w.choose(d, f.supplier_site, header.supplier_site)
        if header.supplier_contact:
            w.choose(d, f.supplier_contact, header.supplier_contact)
        if header.currency:
            w.choose(d, f.currency, header.currency)
        if header.ship_to_location:
            w.choose(d, f.ship_to_location, header.ship_to_location)
        w.control(d, f.create_button).click()
        order_heading = heading_locator(self.page, self.profile.po.order.heading_pattern)
        order_heading.or_(w.error_dialog()).first.wait_for(timeout=self.timeouts.navigation_ms)
        w.ready()
        if order_heading.count() == 0:
            messages = w.inline_errors(d)
            raise BusinessRuleError(
                "; ".join(messages) or "the order was not created", screen=SCREEN, url=self.page.url
            )
        return PurchaseOrderPage(self.page, self.base_url, self.profile, self.timeouts).opened()
