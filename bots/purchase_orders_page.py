"""Purchase Orders work area: the "New purchase order" drawer."""

from __future__ import annotations

from playwright.sync_api import Page

from bots.errors import BusinessRuleError
from bots.list_of_values import choose_by_click
from bots.models import OrderHeader
from bots.playwright_errors import translates_playwright_errors
from bots.purchase_order_page import HEADING, PurchaseOrderPage
from bots.readiness import wait_until_ready
from bots.timeouts import Timeouts
from bots.widgets import Widgets

PATH = "/fscmUI/redwood/purchase-orders/"
SCREEN = "purchase-orders"


@translates_playwright_errors
class PurchaseOrdersPage:
    """The Purchase Orders work area, where a new order is created."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.timeouts = timeouts
        self.widgets = Widgets(
            page,
            action_timeout_ms=timeouts.action_ms,
            ready_timeout_ms=timeouts.ready_ms,
            screen=SCREEN,
            chooser=choose_by_click,
        )
        self.create_button = page.get_by_role("button", name="Create Purchase Order")
        self.drawer = page.get_by_role("dialog", name="New purchase order")

    def open(self) -> PurchaseOrdersPage:
        self.page.goto(f"{self.base_url}{PATH}", timeout=self.timeouts.navigation_ms)
        wait_until_ready(self.page, self.timeouts.ready_ms, screen=SCREEN)
        return self

    def create_order(self, header: OrderHeader) -> PurchaseOrderPage:
        """Fill the drawer and press Create: Oracle creates an Incomplete order with its number."""
        self.create_button.click()
        self.drawer.wait_for(state="visible", timeout=self.timeouts.action_ms)
        self.widgets.ready()
        w, d = self.widgets, self.drawer
        if header.document_style:
            w.choose(d, "Document Style", header.document_style)
        w.choose(d, "Procurement BU", header.procurement_bu)
        if header.requisitioning_bu:
            w.choose(d, "Requisitioning BU", header.requisitioning_bu)
        w.choose(d, "Supplier", header.supplier)
        w.choose(d, "Supplier Site", header.supplier_site)
        if header.supplier_contact:
            w.choose(d, "Supplier Contact", header.supplier_contact)
        if header.currency:
            w.choose(d, "Currency", header.currency)
        if header.ship_to_location:
            w.choose(d, "Default Ship-to Location", header.ship_to_location)
        if header.buyer:
            w.choose(d, "Buyer", header.buyer)
        w.fill_text(d, "Description", header.description)
        d.get_by_role("button", name="Create").click()
        order_heading = self.page.get_by_role("heading", name=HEADING)
        order_heading.or_(w.error_dialog()).first.wait_for(timeout=self.timeouts.navigation_ms)
        w.ready()
        w.raise_if_error_dialog()
        if order_heading.count() == 0:
            messages = w.inline_errors(d)
            raise BusinessRuleError(
                "; ".join(messages) or "the order was not created", screen=SCREEN, url=self.page.url
            )
        return PurchaseOrderPage(self.page, self.base_url, self.timeouts)
