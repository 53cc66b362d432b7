"""Raising one purchase request as one Oracle purchase order, exactly once.

Every attempt starts by asking Oracle whether an order already carries the request id (written at
the start of the header Description). So a retry, a resumed crash or a rerun of the same file finds
the order it made before instead of making a second one:

- a submitted order (Pending Approval or Open): recorded, nothing typed;
- an Incomplete order: its missing lines are added and it is submitted;
- none: the order is created through the "New purchase order" drawer, lines added, submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import structlog

from bots.errors import BusinessRuleError
from bots.models import OrderHeader, OrderLineInput
from bots.pages import PurchaseOrderPages
from flows.raise_purchase_orders.input_model import PurchaseRequest
from rpa.oracle_rest import FoundOrder

log = structlog.get_logger()

SUBMITTED_STATUSES = frozenset({"Pending Approval", "Open"})


class OrderFinder(Protocol):
    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]: ...


class Journal(Protocol):
    """Where the steps of one request are recorded (the ledger, in production)."""

    def created(self, po_number: str) -> None: ...
    def submitting(self, po_number: str) -> None: ...


@dataclass
class RaiseResult:
    po_number: str
    resumed: bool  # an order made by an earlier attempt or run was found and finished
    already_submitted: bool  # Oracle already had it submitted: nothing was typed
    confirmation_screenshot: Path | None = None


def request_prefix(request_id: str, prefix_format: str) -> str:
    return prefix_format.format(request_id=request_id)


def order_header(request: PurchaseRequest, prefix_format: str) -> OrderHeader:
    first_line = request.lines[0]
    return OrderHeader(
        procurement_bu=request.procurement_bu,
        requisitioning_bu=request.requisitioning_bu,
        supplier=request.supplier,
        supplier_site=request.supplier_site,
        supplier_contact=request.supplier_contact,
        currency=request.currency,
        document_style=request.document_style,
        ship_to_location=first_line.ship_to_location,
        buyer=request.buyer,
        description=request_prefix(request.request_id, prefix_format) + request.description,
    )


def order_lines(request: PurchaseRequest) -> list[OrderLineInput]:
    return [
        OrderLineInput(
            line_type=line.line_type,
            item=line.item,
            description=line.line_description,
            category=line.category,
            quantity=line.quantity,
            uom=line.uom,
            unit_price=line.unit_price,
            need_by_date=line.need_by_date,
            charge_account=line.charge_account,
            ship_to_location=line.ship_to_location,
            deliver_to_location=line.deliver_to_location,
            requester=line.requester,
        )
        for line in request.lines
    ]


class RequestRaiser:
    """One attempt at raising a request on a signed-in page."""

    def __init__(
        self,
        *,
        finder: OrderFinder,
        prefix_format: str,
        screenshot: Callable[[str, str], Path | None],
    ) -> None:
        self.finder = finder
        self.prefix_format = prefix_format
        self.screenshot = screenshot

    def existing_order(self, request: PurchaseRequest) -> FoundOrder | None:
        prefix = request_prefix(request.request_id, self.prefix_format)
        found = self.finder.find_orders_by_description_prefix(prefix)
        if len(found) > 1:
            numbers = ", ".join(o.order_number for o in found)
            raise BusinessRuleError(
                f"several orders carry request id {request.request_id} ({numbers}); "
                "a buyer must cancel the extra ones — nothing more was raised"
            )
        return found[0] if found else None

    def raise_request(
        self, pages: PurchaseOrderPages, request: PurchaseRequest, journal: Journal
    ) -> RaiseResult:
        existing = self.existing_order(request)
        if existing is not None and existing.status in SUBMITTED_STATUSES:
            log.info("order already submitted in Oracle", po_number=existing.order_number)
            return RaiseResult(existing.order_number, resumed=True, already_submitted=True)
        if existing is not None and existing.status != "Incomplete":
            raise BusinessRuleError(
                f"order {existing.order_number} for this request is {existing.status} in Oracle"
            )
        lines = order_lines(request)
        if existing is None:
            header = order_header(request, self.prefix_format)
            order = pages.purchase_orders().open().create_order(header)
            po_number = order.order_number
            journal.created(po_number)
            done = 0
            log.info("order created", po_number=po_number)
        else:
            order = pages.purchase_order().open(existing.header_id)
            po_number = order.order_number
            journal.created(po_number)
            done = order.line_count()
            log.info("resuming incomplete order", po_number=po_number, lines_present=done)
        if done > len(lines):
            raise BusinessRuleError(
                f"order {po_number} has {done} lines but the request has {len(lines)}; "
                "a buyer must check it"
            )
        for number, line in enumerate(lines[done:], start=done + 1):
            order.add_line(line)
            log.info("line added", po_number=po_number, line=number)
        journal.submitting(po_number)
        confirmed = order.submit()
        if confirmed != po_number:
            raise BusinessRuleError(
                f"Oracle confirmed order {confirmed}, but the order page showed {po_number}"
            )
        shot = self.screenshot(request.request_id, "confirmation.png")
        return RaiseResult(
            po_number,
            resumed=existing is not None,
            already_submitted=False,
            confirmation_screenshot=shot,
        )
