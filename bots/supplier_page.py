"""One supplier: the Profile (with Edit), and the Addresses, Sites and Contacts tabs."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page

from bots.dates import iso_date
from bots.errors import BusinessRuleError, PageTimeoutError
from bots.list_of_values import choose_by_keyboard
from bots.playwright_errors import translates_playwright_errors
from bots.readiness import wait_until_ready
from bots.supplier_models import (
    SITE_PURPOSES,
    AddressInput,
    ContactInput,
    SiteInput,
    SiteView,
    SupplierProfileInput,
)
from bots.timeouts import Timeouts
from bots.widgets import Widgets

PATH = "/fscmUI/redwood/suppliers/"
SCREEN = "supplier"
SUPPLIER_HEADING = re.compile(r"^Supplier: ")
_ASSIGNMENT = re.compile(r"^(.*) \(bill-to (.*)\)$")
PROFILE_LABELS = (
    "Supplier",
    "Supplier Number",
    "Status",
    "Tax Organization Type",
    "Supplier Type",
    "Business Relationship",
    "Tax Country",
    "Taxpayer ID",
    "D-U-N-S Number",
    "Inactive Date",
)


def supplier_widgets(page: Page, timeouts: Timeouts, screen: str) -> Widgets:
    """The widgets of the Suppliers and Supplier pages: their lists, most of them in drawers,
    are chosen from the keyboard (:func:`bots.list_of_values.choose_by_keyboard` says why)."""
    return Widgets(
        page,
        action_timeout_ms=timeouts.action_ms,
        ready_timeout_ms=timeouts.ready_ms,
        screen=screen,
        chooser=choose_by_keyboard,
    )


def fill_profile_fields(
    widgets: Widgets, scope: Page | Locator, profile: SupplierProfileInput
) -> None:
    """Key the profile fields that are given, in the order of the Create drawer and the Profile
    tab (both have the same fields); blank ones are left as they are."""
    if profile.supplier:
        widgets.fill_text(scope, "Supplier", profile.supplier)
    for label, value in (
        ("Tax Organization Type", profile.tax_organization_type),
        ("Supplier Type", profile.supplier_type),
        ("Business Relationship", profile.business_relationship),
        ("Tax Country", profile.tax_country),
    ):
        if value:
            widgets.choose(scope, label, value)
    for label, value in (
        ("Taxpayer ID", profile.taxpayer_id),
        ("D-U-N-S Number", profile.duns_number),
    ):
        if value:
            widgets.fill_text(scope, label, value)


@translates_playwright_errors
class SupplierPage:
    """The supplier page, reached from the search results or after Create Supplier."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.timeouts = timeouts
        self.widgets = supplier_widgets(page, timeouts, SCREEN)
        self.heading = page.get_by_role("heading", name=SUPPLIER_HEADING)

    def open(self, supplier_id: str) -> SupplierPage:
        self.page.goto(f"{self.base_url}{PATH}{supplier_id}", timeout=self.timeouts.navigation_ms)
        return self.opened()

    def opened(self) -> SupplierPage:
        """Wait until the page shows its supplier (after a navigation to it)."""
        wait_until_ready(self.page, self.timeouts.ready_ms, screen=SCREEN)
        self.widgets.raise_if_error_dialog()
        self.heading.wait_for(timeout=self.timeouts.action_ms)
        return self

    @property
    def supplier_id(self) -> str:
        return urlparse(self.page.url).path.rstrip("/").rsplit("/", 1)[-1]

    # --- tabs -----------------------------------------------------------------------------

    def _tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name, exact=True).click()
        self.widgets.ready()

    def _drawer(self, name: str) -> Locator:
        drawer = self.page.get_by_role("dialog", name=name, exact=True)
        drawer.wait_for(state="visible", timeout=self.timeouts.action_ms)
        self.widgets.ready()
        return drawer

    def _save_drawer(self, drawer: Locator, what: str) -> None:
        """Press OK; Oracle's error dialog or the drawer's inline messages become errors."""
        drawer.get_by_role("button", name="OK", exact=True).click()
        self.widgets.ready()
        self.widgets.raise_if_error_dialog()
        if drawer.is_visible():
            messages = self.widgets.inline_errors(drawer)
            drawer.get_by_role("button", name="Cancel", exact=True).click()
            self.widgets.ready()
            raise BusinessRuleError(
                "; ".join(messages) or f"the {what} was not accepted",
                screen=SCREEN,
                url=self.page.url,
            )

    def _check(self, scope: Locator, label: str, checked: bool | None) -> None:
        if checked is None:
            return
        box = scope.get_by_role("checkbox", name=label, exact=True)
        if box.is_checked() != checked:
            # JET draws the box as an icon over a hidden input, and the icon takes pointer
            # clicks: toggle it from the keyboard, as an accessibility user does.
            box.focus()
            box.press("Space")
            self.widgets.ready()

    def _row_button(self, name: str) -> Locator:
        button = self.page.get_by_role("button", name=name, exact=True)
        if button.count() == 0:
            raise BusinessRuleError(f"no row offers '{name}'", screen=SCREEN, url=self.page.url)
        return button.first

    # --- profile ------------------------------------------------------------------------------

    def edit_profile(self, profile: SupplierProfileInput) -> None:
        """Edit the profile fields that are given, then Save."""
        self._tab("Profile")
        self.page.get_by_role("button", name="Edit", exact=True).click()
        self.widgets.ready()
        w, p = self.widgets, self.page
        fill_profile_fields(w, p, profile)
        if profile.inactive_date is not None:
            w.fill_date(p, "Inactive Date", profile.inactive_date)
        elif profile.clear_inactive_date:
            w.fill_text(p, "Inactive Date", "")
        p.get_by_role("button", name="Save", exact=True).click()
        w.ready()
        w.raise_if_error_dialog()
        if p.get_by_role("button", name="Save", exact=True).is_visible():
            messages = w.inline_errors(p)
            raise BusinessRuleError(
                "; ".join(messages) or "the profile was not saved", screen=SCREEN, url=p.url
            )

    # --- addresses ----------------------------------------------------------------------------

    def create_address(self, address: AddressInput) -> None:
        self._tab("Addresses")
        self.page.get_by_role("button", name="Create Address", exact=True).click()
        self._fill_address(address, creating=True)

    def edit_address(self, current_name: str, address: AddressInput) -> None:
        self._tab("Addresses")
        self._row_button(f"Edit {current_name}").click()
        self._fill_address(address, creating=False)

    def _fill_address(self, address: AddressInput, *, creating: bool) -> None:
        d, w = self._drawer("Address"), self.widgets
        if creating:
            w.fill_text(d, "Address Name", address.address_name)
        if address.country:
            w.choose(d, "Country", address.country)
        for label, value in (
            ("Address Line 1", address.line1),
            ("Address Line 2", address.line2),
            ("City", address.city),
            ("County", address.county),
            ("Postal Code", address.postal_code),
        ):
            if value is not None:
                w.fill_text(d, label, value)
        self._check(d, "Ordering", address.ordering)
        self._check(d, "Remit to", address.remit_to)
        self._check(d, "RFQ or Bidding", address.rfq)
        self._save_drawer(d, "address")

    # --- sites ---------------------------------------------------------------------------------

    def create_site(self, site: SiteInput) -> None:
        self._tab("Sites")
        self.page.get_by_role("button", name="Create Site", exact=True).click()
        d, w = self._drawer("Site"), self.widgets
        w.choose(d, "Procurement BU", site.procurement_bu)
        w.fill_text(d, "Site", site.site)
        self._fill_site(d, site)

    def edit_site(self, current_name: str, site: SiteInput) -> None:
        self._tab("Sites")
        self._row_button(f"Edit {current_name}").click()
        self._fill_site(self._drawer("Site"), site)

    def _fill_site(self, d: Locator, site: SiteInput) -> None:
        w = self.widgets
        if site.address_name:
            w.choose(d, "Address Name", site.address_name)
        if site.purposes is not None:
            for purpose in SITE_PURPOSES:
                self._check(d, purpose.label, purpose.name in site.purposes)
        if site.client_bu:
            w.choose(d, "Client BU", site.client_bu)
        if site.bill_to_bu:
            w.choose(d, "Bill-to BU", site.bill_to_bu)
        self._save_drawer(d, "site")

    # --- contacts ------------------------------------------------------------------------------

    def create_contact(self, contact: ContactInput) -> None:
        self._tab("Contacts")
        self.page.get_by_role("button", name="Create Contact", exact=True).click()
        self._fill_contact(contact)

    def edit_contact(self, current_name: str, contact: ContactInput) -> None:
        self._tab("Contacts")
        self._row_button(f"Edit {current_name}").click()
        self._fill_contact(contact)

    def _fill_contact(self, contact: ContactInput) -> None:
        d, w = self._drawer("Contact"), self.widgets
        w.fill_text(d, "First Name", contact.first_name)
        w.fill_text(d, "Last Name", contact.last_name)
        if contact.email is not None:
            w.fill_text(d, "Email", contact.email)
        if contact.phone is not None:
            w.fill_text(d, "Phone", contact.phone)
        self._save_drawer(d, "contact")

    # --- reading --------------------------------------------------------------------------------

    def read_profile(self) -> dict[str, str]:
        """The Profile tab's values by label (read-only view); a blank field is ''."""
        self._tab("Profile")
        values = {}
        for label in PROFILE_LABELS:
            field = self.page.get_by_label(label, exact=True).first
            text = field.input_value() if _is_input(field) else field.inner_text()
            values[label] = " ".join(text.split())
        return values

    def _rows(self, grid_name: str) -> list[list[str]]:
        rows = self.page.get_by_role("grid", name=grid_name).locator("tr[data-oj-key]")
        return [
            [" ".join(cell.split()) for cell in rows.nth(i).locator("td, th").all_inner_texts()]
            for i in range(rows.count())
        ]

    def _open_row(self, name: str, drawer: str) -> Locator:
        self._row_button(f"Edit {name}").click()
        return self._drawer(drawer)

    def _close(self, drawer: Locator) -> None:
        drawer.get_by_role("button", name="Cancel", exact=True).click()
        self.widgets.ready()

    def read_addresses(self) -> list[AddressInput]:
        """Every address, as its "Edit" drawer shows it (the table joins the lines)."""
        self._tab("Addresses")
        found = []
        for cells in self._rows("Addresses"):
            d = self._open_row(cells[0], "Address")
            text = {label: _value(d, label) for label in _ADDRESS_LABELS}
            found.append(
                AddressInput(
                    address_name=text["Address Name"] or cells[0],
                    country=text["Country"],
                    line1=text["Address Line 1"],
                    line2=text["Address Line 2"],
                    city=text["City"],
                    county=text["County"],
                    postal_code=text["Postal Code"],
                    ordering=_checked(d, "Ordering"),
                    remit_to=_checked(d, "Remit to"),
                    rfq=_checked(d, "RFQ or Bidding"),
                )
            )
            self._close(d)
        return found

    def read_sites(self) -> list[SiteView]:
        """Every site with its purposes and its assignments' client and bill-to BUs."""
        self._tab("Sites")
        found = []
        for cells in self._rows("Sites"):
            name, bu, address, _purposes, _clients, status, inactive = cells[:7]
            d = self._open_row(name, "Site")
            purposes = frozenset(p.name for p in SITE_PURPOSES if _checked(d, p.label))
            listed = d.get_by_role("list", name="Existing site assignments").get_by_role("listitem")
            assignments = tuple(
                (m.group(1), m.group(2))
                for m in (_ASSIGNMENT.match(" ".join(t.split())) for t in listed.all_inner_texts())
                if m
            )
            self._close(d)
            found.append(
                SiteView(
                    name,
                    bu,
                    address or None,
                    purposes,
                    status.upper() or None,
                    iso_date(inactive),
                    assignments,
                )
            )
        return found

    def read_contacts(self) -> list[ContactInput]:
        """Every contact, as its "Edit" drawer shows it (the table joins the names)."""
        self._tab("Contacts")
        found = []
        for cells in self._rows("Contacts"):
            d = self._open_row(cells[0], "Contact")
            found.append(
                ContactInput(
                    first_name=_value(d, "First Name") or "",
                    last_name=_value(d, "Last Name") or "",
                    email=_value(d, "Email"),
                    phone=_value(d, "Phone"),
                )
            )
            self._close(d)
        return found

    def supplier_number(self) -> str:
        """The supplier number shown on the Profile tab."""
        self._tab("Profile")
        value = self.page.get_by_label("Supplier Number", exact=True)
        try:
            value.first.wait_for(timeout=self.timeouts.action_ms)
        except Exception as exc:
            raise PageTimeoutError(
                "the profile shows no supplier number", screen=SCREEN, url=self.page.url
            ) from exc
        return " ".join(value.first.inner_text().split())  # a read-only field is a text box


_ADDRESS_LABELS = (
    "Address Name",
    "Country",
    "Address Line 1",
    "Address Line 2",
    "City",
    "County",
    "Postal Code",
)


def _is_input(field: Locator) -> bool:
    return bool(field.evaluate("e => ['INPUT', 'TEXTAREA'].includes(e.tagName)"))


def _value(scope: Locator, label: str) -> str | None:
    """A drawer field's value (text box or list), blank as None."""
    field = scope.get_by_label(label, exact=True).first
    text = field.input_value() if _is_input(field) else field.inner_text()
    return " ".join(text.split()) or None


def _checked(scope: Locator, label: str) -> bool:
    return scope.get_by_role("checkbox", name=label, exact=True).is_checked()
