"""Plain values the purchase-order page objects take and return (no Playwright types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class OrderHeader:
    """What the drawer that creates an order asks for: Oracle's eight fields. A blank
    ``ship_to_location`` takes Oracle's default (the requisitioning BU's location)."""

    procurement_bu: str
    supplier: str
    supplier_site: str
    requisitioning_bu: str | None = None
    supplier_contact: str | None = None
    currency: str | None = None
    document_style: str | None = None
    ship_to_location: str | None = None


@dataclass(frozen=True)
class OrderHeaderDetails:
    """What is set on the order's page once it exists: the description (which carries the
    request id) and the buyer (blank: the one Oracle defaulted)."""

    description: str
    buyer: str | None = None


@dataclass(frozen=True)
class OrderLineInput:
    """One line with its schedule and distribution: the line drawer takes the line's fields, the
    Schedules and Distributions tabs the rest. Blank locations take Oracle's defaults."""

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


@dataclass(frozen=True)
class OrderSummary:
    """One row of the Purchase Orders work area's search results."""

    header_id: str
    order_number: str
    description: str
    status: str
