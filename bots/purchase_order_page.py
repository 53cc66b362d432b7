"""One purchase order: header, the Lines / Schedules / Distributions tabs, Save and Submit."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Page

from bots.errors import BusinessRuleError, OutcomeUnknownError
from bots.list_of_values import choose_by_click
from bots.models import OrderLineInput
from bots.playwright_errors import translates_playwright_errors
from bots.readiness import wait_until_ready
from bots.timeouts import Timeouts
from bots.widgets import Widgets

PATH = "/fscmUI/redwood/purchase-orders/"
SCREEN = "purchase-order"
CONFIRMATION = re.compile(r"Purchase order (\d+) was submitted for approval\.")
HEADING = re.compile(r"^Purchase Order (\d+)")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


@translates_playwright_errors
class PurchaseOrderPage:
    """The order page, reached after Create or from the search results."""

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
        self.heading = page.get_by_role("heading", name=HEADING)
        self.line_drawer = page.get_by_role("dialog", name="Add line")
        self.lines_grid = page.get_by_role("grid").first

    def open(self, header_id: str) -> PurchaseOrderPage:
        self.page.goto(f"{self.base_url}{PATH}{header_id}", timeout=self.timeouts.navigation_ms)
        wait_until_ready(self.page, self.timeouts.ready_ms, screen=SCREEN)
        self.heading.wait_for(timeout=self.timeouts.action_ms)
        return self

    @property
    def order_number(self) -> str:
        match = HEADING.search(self.heading.inner_text().strip())
        if not match:
            raise BusinessRuleError(
                "the order page shows no order number", screen=SCREEN, url=self.page.url
            )
        return match.group(1)

    def line_count(self) -> int:
        self.page.get_by_role("tab", name="Lines").click()
        self.widgets.ready()
        return self.lines_grid.locator("tr[data-oj-key]").count()

    def add_line(self, line: OrderLineInput) -> None:
        """Add one line (with its schedule and distribution) through the "Add line" drawer."""
        w, d = self.widgets, self.line_drawer
        self.page.get_by_role("button", name="Add Line").click()
        d.wait_for(state="visible", timeout=self.timeouts.action_ms)
        w.ready()
        w.choose(d, "Line Type", line.line_type)
        if line.item:
            w.choose(d, "Item", line.item)
        if line.description:
            w.fill_text(d, "Description", line.description)
        if line.category:
            w.choose(d, "Category", line.category)
        w.fill_text(d, "Quantity", _number(line.quantity))
        if line.uom:
            w.choose(d, "UOM", line.uom)
        w.fill_text(d, "Price", _number(line.unit_price))
        w.fill_date(d, "Need-by Date", line.need_by_date)
        if line.ship_to_location:
            w.choose(d, "Ship-to Location", line.ship_to_location)
        w.fill_text(d, "PO Charge Account", line.charge_account)
        if line.deliver_to_location:
            w.choose(d, "Deliver-to Location", line.deliver_to_location)
        if line.requester:
            w.choose(d, "Requester", line.requester)
        d.get_by_role("button", name="OK").click()
        w.ready()
        w.raise_if_error_dialog()
        if d.is_visible():
            messages = w.inline_errors(d)
            d.get_by_role("button", name="Cancel").click()
            w.ready()
            raise BusinessRuleError(
                "; ".join(messages) or "the line was not accepted",
                screen=SCREEN,
                url=self.page.url,
            )

    def submit(self) -> str:
        """Submit the order and return the number from Oracle's confirmation message.

        If no confirmation and no error come back (the connection dropped), the submission may
        or may not have happened: the caller must look the order up before doing anything else.
        """
        w = self.widgets
        self.page.get_by_role("button", name="Submit").click()
        confirmation = self.page.get_by_role("status").filter(has_text=CONFIRMATION)
        try:
            confirmation.or_(w.error_dialog()).first.wait_for(timeout=self.timeouts.navigation_ms)
        except Exception as exc:
            raise OutcomeUnknownError(
                "no confirmation after Submit", screen=SCREEN, url=self.page.url
            ) from exc
        w.ready()
        w.raise_if_error_dialog()
        match = CONFIRMATION.search(confirmation.first.inner_text())
        if not match:
            raise OutcomeUnknownError(
                "the confirmation carried no order number", screen=SCREEN, url=self.page.url
            )
        return match.group(1)
