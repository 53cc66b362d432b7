"""One purchase order: its header details, its Lines, Schedules and Distributions tabs, Submit
(with Oracle's Yes/No warnings) and Delete (texts: ``po.order``, ``po.line``, ``po.schedule``,
``po.distribution`` and ``warnings`` in the UI profile)."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Locator, Page

from bots.errors import BusinessRuleError, OutcomeUnknownError, WarningDeclinedError
from bots.list_of_values import choose_by_click
from bots.models import OrderHeaderDetails, OrderLineInput
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

    # --- the header ---------------------------------------------------------------------------

    def set_details(self, details: OrderHeaderDetails) -> None:
        """Type the description (and the buyer, when given) and Save; the order stays
        Incomplete. Oracle's refusal (an unknown buyer) is raised from its error dialog."""
        w = self.widgets
        w.fill_text(self.page, self.texts.description, details.description)
        if details.buyer:
            w.choose(self.page, self.texts.buyer, details.buyer)
        w.click(self.page, self.texts.save_button)

    # --- lines, schedules, distributions -----------------------------------------------------

    def line_count(self) -> int:
        self.widgets.click(self.page, self.texts.lines_tab)
        grid = self.page.get_by_role("grid", name=self.texts.lines_grid, exact=True)
        return grid.locator("tr[data-oj-key]").count()

    def add_line(self, line: OrderLineInput) -> None:
        """Add one line through the line drawer, then its schedule and distribution on their
        tabs (Oracle creates one of each with the line)."""
        w, f = self.widgets, self.profile.po.line
        w.click(self.page, self.texts.lines_tab)
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
        w.click(d, self.profile.messages.ok_button)
        w.refuse_unless_closed(d, "line")
        self.complete_line(self.line_count(), line)

    def complete_line(self, number: int, line: OrderLineInput) -> None:
        """Set line ``number``'s schedule and distribution (its first of each). Safe to repeat:
        a resumed order has its lines' details typed again, whatever an earlier attempt did."""
        w = self.widgets
        schedule, distribution = self.profile.po.schedule, self.profile.po.distribution
        w.click(self.page, self.texts.schedules_tab)
        w.click(self.page, schedule.edit_button.filled(line=number, schedule=1))
        d = w.drawer(schedule.drawer)
        w.fill_date(d, schedule.need_by_date, line.need_by_date)
        if line.ship_to_location:
            w.choose(d, schedule.ship_to_location, line.ship_to_location)
        w.click(d, self.profile.messages.ok_button)
        w.refuse_unless_closed(d, "schedule")

        w.click(self.page, self.texts.distributions_tab)
        edit = distribution.edit_button.filled(line=number, schedule=1, distribution=1)
        w.click(self.page, edit)
        d = w.drawer(distribution.drawer)
        w.fill_text(d, distribution.charge_account, line.charge_account)
        if line.deliver_to_location:
            w.choose(d, distribution.deliver_to_location, line.deliver_to_location)
        if line.requester:
            w.choose(d, distribution.requester, line.requester)
        w.click(d, self.profile.messages.ok_button)
        w.refuse_unless_closed(d, "distribution")

    # --- submit and delete --------------------------------------------------------------------

    def submit(self) -> str:
        """Submit the order and return the number from Oracle's confirmation message.

        A Yes/No warning (a funds check that passed with warnings) is answered as the profile's
        warning policy says: Yes goes on; No leaves the order Incomplete and refuses the request
        with the warning's text. With no confirmation and no error (the connection dropped), the
        submission may or may not have happened: the caller must look the order up first.
        """
        w, messages = self.widgets, self.profile.messages
        w.control(self.page, self.texts.submit_button).click()
        pattern = self.texts.confirmation_pattern
        confirmation = self.page.get_by_role("status").filter(has_text=pattern.for_browser)
        warning = self.page.get_by_role("dialog", name=messages.warning_dialog, exact=True)
        self._wait_for(confirmation.or_(w.error_dialog()).or_(warning))
        if warning.count() > 0 and warning.first.is_visible():
            self._answer_warning(warning.first)
            self._wait_for(confirmation.or_(w.error_dialog()))
        w.ready()
        match = pattern.search(confirmation.first.inner_text())
        if not match:
            raise OutcomeUnknownError(
                "the confirmation carried no order number", screen=SCREEN, url=self.page.url
            )
        return match.group("number")

    def _wait_for(self, answer: Locator) -> None:
        try:
            answer.first.wait_for(timeout=self.timeouts.navigation_ms)
        except Exception as exc:
            raise OutcomeUnknownError(
                "no confirmation after Submit", screen=SCREEN, url=self.page.url
            ) from exc

    def _answer_warning(self, dialog: Locator) -> None:
        messages = self.profile.messages
        text = " ".join(dialog.inner_text().split())
        accepted = any(p.search(text) for p in self.profile.warnings.accept)
        answer = messages.yes_button if accepted else messages.no_button
        self.widgets.control(dialog, answer).click()
        if accepted:
            return
        self.widgets.ready()
        raise WarningDeclinedError(
            f"Oracle warned: {text} The robot answered {messages.no_button}: the council's UI "
            "profile does not accept this warning, so a buyer must decide.",
            screen=SCREEN,
            url=self.page.url,
        )

    def delete(self) -> None:
        """Delete this Incomplete order (a draft that must not be left behind), answering Yes
        to Oracle's question; the browser returns to the Purchase Orders work area."""
        w, messages = self.widgets, self.profile.messages
        w.click(self.page, self.texts.delete_button)
        dialog = w.drawer(self.texts.delete_dialog)
        w.control(dialog, messages.yes_button).click()
        w.ready()
