"""The page objects of one signed-in browser page: what the flows drive Oracle through.

A flow receives an :class:`OraclePages` (``rpa.oracle_session.OracleSession.ready_pages``)
rather than a Playwright page, so it types against bots/ only, and every page it opens raises
only :mod:`bots.errors`.
"""

from __future__ import annotations

from playwright.sync_api import Page

from bots.purchase_order_page import PurchaseOrderPage
from bots.purchase_orders_page import PurchaseOrdersPage
from bots.supplier_page import SupplierPage
from bots.suppliers_page import SuppliersPage
from bots.timeouts import Timeouts


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
