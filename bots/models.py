"""Plain values the purchase-order page objects take and return (no Playwright types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class OrderHeader:
    """What the "New purchase order" drawer asks for."""

    procurement_bu: str
    supplier: str
    supplier_site: str
    description: str
    requisitioning_bu: str | None = None
    supplier_contact: str | None = None
    currency: str | None = None
    document_style: str | None = None
    ship_to_location: str | None = None
    buyer: str | None = None


@dataclass(frozen=True)
class OrderLineInput:
    """One line with its schedule and distribution, as the "Add line" drawer takes them."""

    line_type: str
    quantity: Decimal
    unit_price: Decimal
    need_by_date: date
    charge_account: str
    item: str | None = None
    description: str | None = None
    category: str | None = None
    uom: str | None = None
    ship_to_location: str | None = None
    deliver_to_location: str | None = None
    requester: str | None = None
