"""The page objects of one signed-in browser page: what the flows drive Oracle through.

A flow receives an :class:`OraclePages` (``rpa.oracle_session.OracleSession.ready_pages``)
rather than a Playwright page, so it types against bots/ only, and every page it opens raises
only :mod:`bots.errors`.

The protocols below are what the purchase-order flow asks of its pages: the real page objects
fulfil them, and the flow's logic tests hand it fakes that do (no browser needed).
"""

from __future__ import annotations

from typing import Protocol

from playwright.sync_api import Page

from bots.models import OrderHeader, OrderLineInput
from bots.purchase_order_page import PurchaseOrderPage
from bots.purchase_orders_page import PurchaseOrdersPage
from bots.supplier_page import SupplierPage
from bots.suppliers_page import SuppliersPage
from bots.timeouts import Timeouts


class OrderOnPage(Protocol):
    """An order open on its page (bots.purchase_order_page.PurchaseOrderPage)."""

    @property
    def order_number(self) -> str: ...

    def line_count(self) -> int: ...

    def add_line(self, line: OrderLineInput) -> None: ...

    def submit(self) -> str: ...


class OrderListPage(Protocol):
    """The orders work area (bots.purchase_orders_page.PurchaseOrdersPage)."""

    def open(self) -> OrderListPage: ...

    def create_order(self, header: OrderHeader) -> OrderOnPage: ...


class OrderPage(Protocol):
    """One order's page, opened by its header id."""

    def open(self, header_id: str) -> OrderOnPage: ...


class PurchaseOrderPages(Protocol):
    """The pages raising a purchase order needs."""

    def purchase_orders(self) -> OrderListPage: ...

    def purchase_order(self) -> OrderPage: ...


class OraclePages:
    """Opens the page objects on one signed-in page of one Oracle."""

    def __init__(self, page: Page, base_url: str, timeouts: Timeouts) -> None:
        self._page = page
        self._base_url = base_url
        self._timeouts = timeouts

    def purchase_orders(self) -> PurchaseOrdersPage:
        return PurchaseOrdersPage(self._page, self._base_url, self._timeouts)

    def purchase_order(self) -> PurchaseOrderPage:
        return PurchaseOrderPage(self._page, self._base_url, self._timeouts)

    def suppliers(self) -> SuppliersPage:
        return SuppliersPage(self._page, self._base_url, self._timeouts)

    def supplier(self) -> SupplierPage:
        return SupplierPage(self._page, self._base_url, self._timeouts)
