"""One purchase order: its lines, Submit, and the confirmation (texts: ``po.order``, ``po.line``
in the UI profile)."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Locator, Page

from bots.errors import BusinessRuleError, OutcomeUnknownError
from bots.list_of_values import choose_by_click
from bots.models import OrderLineInput
from bots.playwright_errors import translates_playwright_errors
from bots.timeouts import Timeouts
from bots.widgets import Widgets
from config.ui_profile import UiProfile

SCREEN = "purchase-order"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


@translates_playwright_errors
class PurchaseOrderPage:
    """The order page, reached after Create or opened by the order's header id."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.profile = profile
        self.timeouts = timeouts
        self.texts = profile.po.order
        self.widgets = Widgets(page, profile, timeouts, screen=SCREEN, chooser=choose_by_click)
        self._heading: Locator | None = None

    def open(self, header_id: str) -> PurchaseOrderPage:
        path = self.texts.path.format(header_id=header_id)
        self.widgets.goto(f"{self.base_url}{path}")
        return self.opened()

    def opened(self) -> PurchaseOrderPage:
        """Check that the page in the browser is an order's page, as the profile describes it."""
        self._heading = self.widgets.expect_page(self.texts.heading_pattern, self.texts.lines_tab)
        return self

    @property
    def order_number(self) -> str:
        heading = self._heading or self.widgets.expect_page(self.texts.heading_pattern)
        match = self.texts.heading_pattern.search(heading.inner_text().strip())
        if not match:
            raise BusinessRuleError(
                "the order page shows no order number", screen=SCREEN, url=self.page.url
            )
        return match.group("number")

    def line_count(self) -> int:
        self.widgets.click(self.page, self.texts.lines_tab)
        return self.page.get_by_role("grid").first.locator("tr[data-oj-key]").count()

    def add_line(self, line: OrderLineInput) -> None:
        """Add one line (with its schedule and distribution) through the line drawer."""
        w, f = self.widgets, self.profile.po.line
        w.click(self.page, self.texts.add_line_button)
        d = w.drawer(f.drawer)
        w.choose(d, f.line_type, line.line_type)
        if line.item:
            w.choose(d, f.item, line.item)
        if line.description:
            w.fill_text(d, f.description, line.description)
        if line.category:
            w.choose(d, f.category, line.category)
        w.fill_text(d, f.quantity, _number(line.quantity))
        if line.uom:
            w.choose(d, f.uom, line.uom)
        w.fill_text(d, f.price, _number(line.unit_price))
        w.fill_date(d, f.need_by_date, line.need_by_date)
        if line.ship_to_location:
            w.choose(d, f.ship_to_location, line.ship_to_location)
        w.fill_text(d, f.charge_account, line.charge_account)
        if line.deliver_to_location:
            w.choose(d, f.deliver_to_location, line.deliver_to_location)
        if line.requester:
            w.choose(d, f.requester, line.requester)
        w.click(d, self.profile.messages.ok_button)
        w.refuse_unless_closed(d, "line")

    def submit(self) -> str:
        """Submit the order and return the number from Oracle's confirmation message.

        If no confirmation and no error come back (the connection dropped), the submission may
        or may not have happened: the caller must look the order up before doing anything else.
        """
        w = self.widgets
        w.control(self.page, self.texts.submit_button).click()
        pattern = self.texts.confirmation_pattern
        confirmation = self.page.get_by_role("status").filter(has_text=pattern.for_browser)
        try:
            confirmation.or_(w.error_dialog()).first.wait_for(timeout=self.timeouts.navigation_ms)
        except Exception as exc:
            raise OutcomeUnknownError(
                "no confirmation after Submit", screen=SCREEN, url=self.page.url
            ) from exc
        w.ready()
        match = pattern.search(confirmation.first.inner_text())
        if not match:
            raise OutcomeUnknownError(
                "the confirmation carried no order number", screen=SCREEN, url=self.page.url
            )
        return match.group("number")
