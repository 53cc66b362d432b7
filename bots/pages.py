"""The page objects of one signed-in browser page: what the flows drive Oracle through.

A flow receives an :class:`OraclePages` (``rpa.oracle_session.OracleSession.ready_pages``)
rather than a Playwright page, so it types against bots/ only, and every page it opens raises
only :mod:`bots.errors`.

The protocols below are what the flows ask of their pages when they change something in Oracle:
the real page objects fulfil them, and the flows' logic tests hand them fakes that do (no
browser needed).
"""

from __future__ import annotations

from typing import Protocol

from playwright.sync_api import Page

from bots.models import OrderHeader, OrderHeaderDetails, OrderLineInput, OrderSummary
from bots.purchase_order_page import PurchaseOrderPage
from bots.purchase_orders_page import PurchaseOrdersPage
from bots.supplier_models import AddressInput, ContactInput, SiteInput, SupplierProfileInput
from bots.supplier_page import SupplierPage
from bots.suppliers_page import SuppliersPage
from bots.timeouts import Timeouts
from config.ui_profile import UiProfile


class OrderOnPage(Protocol):
    """An order open on its page (bots.purchase_order_page.PurchaseOrderPage)."""

    @property
    def order_number(self) -> str: ...

    def set_details(self, details: OrderHeaderDetails) -> None: ...

    def line_count(self) -> int: ...

    def add_line(self, line: OrderLineInput) -> None: ...

    def complete_line(self, number: int, line: OrderLineInput) -> None: ...

    def submit(self) -> str: ...

    def delete(self) -> None: ...


class OrderListPage(Protocol):
    """The orders work area (bots.purchase_orders_page.PurchaseOrdersPage)."""

    def open(self) -> OrderListPage: ...

    def search(self, *, order_number: str = "", description: str = "") -> list[OrderSummary]: ...

    def create_order(self, header: OrderHeader) -> OrderOnPage: ...


class OrderPage(Protocol):
    """One order's page, opened by its header id."""

    def open(self, header_id: str) -> OrderOnPage: ...


class PurchaseOrderPages(Protocol):
    """The pages raising a purchase order needs."""

    def purchase_orders(self) -> OrderListPage: ...

    def purchase_order(self) -> OrderPage: ...


class SupplierEditor(Protocol):
    """A supplier open on its page, in edit mode (bots.supplier_page.SupplierPage)."""

    @property
    def supplier_id(self) -> str: ...

    def supplier_number(self) -> str: ...

    def edit_profile(self, profile: SupplierProfileInput) -> None: ...

    def create_address(self, address: AddressInput) -> None: ...

    def edit_address(self, current_name: str, address: AddressInput) -> None: ...

    def create_site(self, site: SiteInput) -> None: ...

    def edit_site(self, current_name: str, site: SiteInput) -> None: ...

    def create_contact(self, contact: ContactInput) -> None: ...

    def edit_contact(self, current_name: str, contact: ContactInput) -> None: ...


class SupplierListPage(Protocol):
    """The suppliers work area (bots.suppliers_page.SuppliersPage), for creating one."""

    def open(self) -> SupplierListPage: ...

    def create_supplier(self, profile: SupplierProfileInput) -> SupplierEditor: ...


class SupplierOpener(Protocol):
    """One supplier's page, opened by its id."""

    def open(self, supplier_id: str) -> SupplierEditor: ...


class SupplierPages(Protocol):
    """The pages applying a supplier change needs."""

    def suppliers(self) -> SupplierListPage: ...

    def supplier(self) -> SupplierOpener: ...


class OraclePages:
    """Opens the page objects on one signed-in page of one Oracle, as its UI profile describes
    its pages."""

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self._page = page
        self._base_url = base_url
        self._profile = profile
        self._timeouts = timeouts

    def purchase_orders(self) -> PurchaseOrdersPage:
        return PurchaseOrdersPage(self._page, self._base_url, self._profile, self._timeouts)

    def purchase_order(self) -> PurchaseOrderPage:
        return PurchaseOrderPage(self._page, self._base_url, self._profile, self._timeouts)

    def suppliers(self) -> SuppliersPage:
        return SuppliersPage(self._page, self._base_url, self._profile, self._timeouts)

    def supplier(self) -> SupplierPage:
        return SupplierPage(self._page, self._base_url, self._profile, self._timeouts)
