"""Raising one purchase request as one Oracle purchase order, exactly once.

Oracle's create drawer has no Description: the order is created first, its number recorded in
the ledger the moment the page shows it, and only then is the request id written at the start of
its Description, on the order's page. So every attempt starts by asking Oracle for an order that
carries the request id, or, failing that, for the order whose number an earlier attempt recorded
(a crash between creation and the description). A retry, a resumed crash or a rerun of the same
file finds the order it made before instead of making a second one:

- an order Oracle has taken (any status past Incomplete: Pending Approval, Open, Pending Supplier
  Acknowledgment, Closed for Receiving, …): recorded, nothing typed;
- Rejected or Withdrawn: a buyer must look at it, nothing typed;
- an Incomplete order: its description set if missing, its lines completed, submitted;
- none: the order is created, described, its lines added, submitted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import structlog

from bots.errors import BusinessRuleError, OutcomeUnknownError
from bots.models import OrderHeader, OrderHeaderDetails, OrderLineInput
from bots.pages import PurchaseOrderPages
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.ui_finder import UiOrderFinder
from rpa.oracle_rest import FoundOrder

log = structlog.get_logger()

# An order in these has not been taken by Oracle: it is worked on, or a buyer must look at it.
INCOMPLETE = "Incomplete"
NEEDS_A_BUYER = frozenset({"Rejected", "Withdrawn"})


class OrderNeedsABuyerError(BusinessRuleError):
    """What Oracle holds for this request is for a buyer to look at (several orders, more lines
    than the request, Rejected or Withdrawn, another number confirmed): nothing of it is
    touched, not even a draft."""


class OrderFinder(Protocol):
    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]: ...

    def find_order_by_number(self, order_number: str) -> FoundOrder | None: ...


class Journal(Protocol):
    """Where the steps of one request are recorded (the ledger, in production)."""

    def created(self, po_number: str) -> None: ...
    def submitting(self, po_number: str) -> None: ...
    def recorded_number(self) -> str | None: ...


@dataclass
class RaiseResult:
    po_number: str
    resumed: bool  # an order made by an earlier attempt or run was found and finished
    already_submitted: bool  # Oracle already had it submitted: nothing was typed
    confirmation_screenshot: Path | None = None
    read_back: Path | None = None  # the order as Oracle's REST API showed it after Submit


def request_prefix(request_id: str, prefix_format: str) -> str:
    return prefix_format.format(request_id=request_id)


def order_header(request: PurchaseRequest) -> OrderHeader:
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
    )


def order_details(request: PurchaseRequest, prefix_format: str) -> OrderHeaderDetails:
    return OrderHeaderDetails(
        description=request_prefix(request.request_id, prefix_format) + request.description,
        buyer=request.buyer,
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
        finder: OrderFinder | None,
        prefix_format: str,
        screenshot: Callable[[str, str], Path | None],
        evidence_file: Callable[[str, str], Path],
    ) -> None:
        """``finder`` looks orders up over REST; None looks them up through the pages
        (:class:`UiOrderFinder`: ``oracle.rest_reads = false``). ``screenshot(item, kind)``
        takes one; ``evidence_file(item, kind)`` names a file beside it (the order as read back
        after Submit)."""
        self.finder = finder
        self.prefix_format = prefix_format
        self.screenshot = screenshot
        self.evidence_file = evidence_file

    def finder_on(self, pages: PurchaseOrderPages) -> OrderFinder:
        return self.finder or UiOrderFinder(pages.purchase_orders())

    def existing_order(
        self, finder: OrderFinder, request: PurchaseRequest, recorded_number: str | None
    ) -> FoundOrder | None:
        """The order an earlier attempt made: by the request id in its description, else by
        the number the ledger recorded when it was created."""
        prefix = request_prefix(request.request_id, self.prefix_format)
        found = finder.find_orders_by_description_prefix(prefix)
        if len(found) > 1:
            numbers = ", ".join(o.order_number for o in found)
            raise OrderNeedsABuyerError(
                f"several orders carry request id {request.request_id} ({numbers}); "
                "a buyer must cancel the extra ones — nothing more was raised"
            )
        if found:
            return found[0]
        if recorded_number:
            return finder.find_order_by_number(recorded_number)
        return None

    def raise_request(
        self, pages: PurchaseOrderPages, request: PurchaseRequest, journal: Journal
    ) -> RaiseResult:
        finder = self.finder_on(pages)
        existing = self.existing_order(finder, request, journal.recorded_number())
        if existing is not None and existing.status in NEEDS_A_BUYER:
            raise OrderNeedsABuyerError(
                f"order {existing.order_number} for this request is {existing.status} in Oracle"
            )
        if existing is not None and existing.status != INCOMPLETE:
            log.info(
                "order already taken by Oracle",
                po_number=existing.order_number,
                status=existing.status,
            )
            return RaiseResult(existing.order_number, resumed=True, already_submitted=True)
        lines = order_lines(request)
        details = order_details(request, self.prefix_format)
        if existing is None:
            order = pages.purchase_orders().open().create_order(order_header(request))
            po_number = order.order_number
            journal.created(po_number)  # before anything else is typed: found again by number
            log.info("order created", po_number=po_number)
            order.set_details(details)
            done = 0
        else:
            order = pages.purchase_order().open(existing.header_id)
            po_number = order.order_number
            journal.created(po_number)
            if existing.description != details.description:
                order.set_details(details)  # created, but the description never got written
            done = order.line_count()
            log.info("resuming incomplete order", po_number=po_number, lines_present=done)
            # A line added just before a crash may lack its schedule's or distribution's
            # details: typing them again is harmless.
            for number, line in enumerate(lines[:done], start=1):
                order.complete_line(number, line)
        if done > len(lines):
            raise OrderNeedsABuyerError(
                f"order {po_number} has {done} lines but the request has {len(lines)}; "
                "a buyer must check it"
            )
        for number, line in enumerate(lines[done:], start=done + 1):
            order.add_line(line)
            log.info("line added", po_number=po_number, line=number)
        journal.submitting(po_number)
        confirmed = order.submit()
        if confirmed != po_number:
            raise OrderNeedsABuyerError(
                f"Oracle confirmed order {confirmed}, but the order page showed {po_number}"
            )
        shot = self.screenshot(request.request_id, "confirmation.png")
        read_back = self.read_back(finder, request.request_id, po_number)
        return RaiseResult(
            po_number,
            resumed=existing is not None,
            already_submitted=False,
            confirmation_screenshot=shot,
            read_back=read_back,
        )

    def discard_draft(
        self, pages: PurchaseOrderPages, request: PurchaseRequest, recorded_number: str | None
    ) -> str | None:
        """After a rejection: delete the Incomplete order this request's attempts created, so
        that no draft is left behind in Oracle unreported. Returns its number when it was
        deleted, None when there was none (nothing was created, or it is no longer
        Incomplete). Only the order whose number the ledger recorded is ever deleted."""
        if recorded_number is None:
            return None
        draft = self.finder_on(pages).find_order_by_number(recorded_number)
        if draft is None or draft.status != INCOMPLETE:
            return None
        pages.purchase_order().open(draft.header_id).delete()
        log.info("draft deleted", po_number=draft.order_number)
        return draft.order_number

    def read_back(self, finder: OrderFinder, request_id: str, po_number: str) -> Path:
        """Read the order back after Submit (over REST, or through the work area's search) and
        keep what Oracle says as evidence.

        The outcome is decided by the order's status, not by the confirmation's wording: still
        Incomplete means the submission did not take (the retry submits it again), Rejected or
        Withdrawn means a buyer must look; anything else is Oracle having taken the order.
        """
        found = finder.find_order_by_number(po_number)
        if found is None:
            raise OutcomeUnknownError(f"Oracle does not show order {po_number} after Submit")
        path = self.evidence_file(request_id, "order.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(found.document, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        if found.status == INCOMPLETE:
            raise OutcomeUnknownError(f"order {po_number} is still Incomplete after Submit")
        if found.status in NEEDS_A_BUYER:
            raise OrderNeedsABuyerError(
                f"order {po_number} is {found.status} in Oracle after Submit"
            )
        log.info("order read back", po_number=po_number, status=found.status)
        return path
