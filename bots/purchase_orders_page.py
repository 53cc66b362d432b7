"""Purchase Orders work area: the drawer that creates an order (texts: ``po.orders``,
``po.create`` in the UI profile)."""

from __future__ import annotations

from playwright.sync_api import Page

from bots.errors import BusinessRuleError
from bots.list_of_values import choose_by_click
from bots.models import OrderHeader
from bots.page_identity import heading_locator
from bots.playwright_errors import translates_playwright_errors
from bots.purchase_order_page import PurchaseOrderPage
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.ui_profile import UiProfile

SCREEN = "purchase-orders"


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

    def open(self) -> PurchaseOrdersPage:
        self.widgets.goto(f"{self.base_url}{self.texts.path}")
        self.widgets.expect_page(self.texts.heading, self.texts.create_button)
        return self

    def create_order(self, header: OrderHeader) -> PurchaseOrderPage:
        """Fill the drawer and press Create: Oracle creates an Incomplete order with its number."""
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
        if header.buyer:
            w.choose(d, f.buyer, header.buyer)
        w.fill_text(d, f.description, header.description)
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
