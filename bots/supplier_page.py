"""One supplier: its profile (with Edit), and its addresses, sites and contacts (texts:
``suppliers.page``, ``suppliers.profile``, ``suppliers.address``, ``suppliers.site`` and
``suppliers.contact`` in the UI profile)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from bots.dates import iso_date
from bots.errors import BusinessRuleError, PageTimeoutError
from bots.list_of_values import choose_by_keyboard
from bots.playwright_errors import translates_playwright_errors
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
from config.ui_profile import ProfileText, UiProfile, value_in_path

SCREEN = "supplier"
# The profile fields read back from the profile tab, by their names in the profile.
PROFILE_FIELDS = (
    "supplier",
    "supplier_number",
    "status",
    "tax_organization_type",
    "supplier_type",
    "business_relationship",
    "tax_country",
    "taxpayer_id",
    "duns_number",
    "inactive_date",
)


def supplier_widgets(page: Page, profile: UiProfile, timeouts: Timeouts, screen: str) -> Widgets:
    """The widgets of the Suppliers and Supplier pages: their lists, most of them in drawers,
    are chosen from the keyboard (:func:`bots.list_of_values.choose_by_keyboard` says why)."""
    return Widgets(page, profile, timeouts, screen=screen, chooser=choose_by_keyboard)


def supplier_id_in(url: str, profile: UiProfile) -> str | None:
    """The supplier id in a supplier page's address, read by the profile's path template."""
    return value_in_path(profile.suppliers.page.path, "supplier_id", url)


def fill_profile_fields(
    widgets: Widgets, scope: Page | Locator, profile: SupplierProfileInput
) -> None:
    """Key the profile fields that are given, in the order of the Create drawer and the profile
    tab (both have the same fields); blank ones are left as they are."""
    f = widgets.profile.suppliers.profile
    if profile.supplier:
        widgets.fill_text(scope, f.supplier, profile.supplier)
    for label, value in (
        (f.tax_organization_type, profile.tax_organization_type),
        (f.supplier_type, profile.supplier_type),
        (f.business_relationship, profile.business_relationship),
        (f.tax_country, profile.tax_country),
    ):
        if value:
            widgets.choose(scope, label, value)
    for label, value in (
        (f.taxpayer_id, profile.taxpayer_id),
        (f.duns_number, profile.duns_number),
    ):
        if value:
            widgets.fill_text(scope, label, value)


@translates_playwright_errors
class SupplierPage:
    """The supplier page, reached from the search results or after creating a supplier."""

    screen = SCREEN

    def __init__(self, page: Page, base_url: str, profile: UiProfile, timeouts: Timeouts) -> None:
        self.page = page
        self.base_url = base_url
        self.profile = profile
        self.timeouts = timeouts
        self.texts = profile.suppliers.page
        self.widgets = supplier_widgets(page, profile, timeouts, SCREEN)

    def open(self, supplier_id: str) -> SupplierPage:
        path = self.texts.path.format(supplier_id=supplier_id)
        self.widgets.goto(f"{self.base_url}{path}")
        return self.opened()

    def opened(self) -> SupplierPage:
        """Check that the page in the browser is a supplier's, as the profile describes it."""
        self.widgets.ready()
        self.widgets.expect_page(self.texts.heading_pattern, self.texts.profile_tab)
        return self

    @property
    def supplier_id(self) -> str:
        found = supplier_id_in(self.page.url, self.profile)
        if found is None:
            raise PageTimeoutError(
                "the supplier page's address names no supplier", screen=SCREEN, url=self.page.url
            )
        return found

    # --- tabs and rows ----------------------------------------------------------------------

    def _tab(self, name: ProfileText) -> None:
        self.widgets.click(self.page, name)

    def _save_drawer(self, drawer: Locator, what: str) -> None:
        """Press OK; Oracle's error dialog or the drawer's inline messages become errors."""
        self.widgets.click(drawer, self.profile.messages.ok_button)
        self.widgets.refuse_unless_closed(drawer, what)

    def _row_button(self, name: str) -> Locator:
        label = self.texts.row_edit_button.format(name=name)
        button = self.page.get_by_role("button", name=label, exact=True)
        if button.count() == 0:
            raise BusinessRuleError(f"no row offers '{label}'", screen=SCREEN, url=self.page.url)
        return button.first

    # --- profile ------------------------------------------------------------------------------

    def edit_profile(self, profile: SupplierProfileInput) -> None:
        """Edit the profile fields that are given, then Save."""
        w, p, f = self.widgets, self.page, self.profile.suppliers.profile
        self._tab(self.texts.profile_tab)
        w.click(p, self.texts.edit_button)
        fill_profile_fields(w, p, profile)
        if profile.inactive_date is not None:
            w.fill_date(p, f.inactive_date, profile.inactive_date)
        elif profile.clear_inactive_date:
            w.fill_text(p, f.inactive_date, "")
        w.click(p, self.texts.save_button)
        save = p.get_by_role("button", name=self.texts.save_button, exact=True)
        if save.count() > 0 and save.first.is_visible():
            messages = w.inline_errors(p)
            raise BusinessRuleError(
                "; ".join(messages) or "the profile was not saved", screen=SCREEN, url=p.url
            )

    # --- addresses ----------------------------------------------------------------------------

    def create_address(self, address: AddressInput) -> None:
        texts = self.profile.suppliers.address
        self._tab(self.texts.addresses_tab)
        self.widgets.control(self.page, texts.create_button).click()
        self._fill_address(address, creating=True)

    def edit_address(self, current_name: str, address: AddressInput) -> None:
        self._tab(self.texts.addresses_tab)
        self._row_button(current_name).click()
        self._fill_address(address, creating=False)

    def _fill_address(self, address: AddressInput, *, creating: bool) -> None:
        w, f = self.widgets, self.profile.suppliers.address
        d = w.drawer(f.drawer)
        if creating:
            w.fill_text(d, f.address_name, address.address_name)
        if address.country:
            w.choose(d, f.country, address.country)
        for label, value in (
            (f.line1, address.line1),
            (f.line2, address.line2),
            (f.city, address.city),
            (f.county, address.county),
            (f.postal_code, address.postal_code),
        ):
            if value is not None:
                w.fill_text(d, label, value)
        w.check(d, f.ordering, address.ordering)
        w.check(d, f.remit_to, address.remit_to)
        w.check(d, f.rfq, address.rfq)
        self._save_drawer(d, "address")

    # --- sites ---------------------------------------------------------------------------------

    def _purpose_label(self, purpose: str) -> ProfileText:
        label: ProfileText = getattr(self.profile.suppliers.site, purpose)
        return label

    def create_site(self, site: SiteInput) -> None:
        w, f = self.widgets, self.profile.suppliers.site
        self._tab(self.texts.sites_tab)
        w.control(self.page, f.create_button).click()
        d = w.drawer(f.drawer)
        w.choose(d, f.procurement_bu, site.procurement_bu)
        w.fill_text(d, f.site, site.site)
        self._fill_site(d, site)

    def edit_site(self, current_name: str, site: SiteInput) -> None:
        self._tab(self.texts.sites_tab)
        self._row_button(current_name).click()
        self._fill_site(self.widgets.drawer(self.profile.suppliers.site.drawer), site)

    def _fill_site(self, d: Locator, site: SiteInput) -> None:
        w, f = self.widgets, self.profile.suppliers.site
        if site.address_name:
            w.choose(d, f.address_name, site.address_name)
        if site.purposes is not None:
            for purpose in SITE_PURPOSES:
                w.check(d, self._purpose_label(purpose.name), purpose.name in site.purposes)
        if site.client_bu:
            w.choose(d, f.client_bu, site.client_bu)
        if site.bill_to_bu:
            w.choose(d, f.bill_to_bu, site.bill_to_bu)
        self._save_drawer(d, "site")

    # --- contacts ------------------------------------------------------------------------------

    def create_contact(self, contact: ContactInput) -> None:
        self._tab(self.texts.contacts_tab)
        self.widgets.control(self.page, self.profile.suppliers.contact.create_button).click()
        self._fill_contact(contact)

    def edit_contact(self, current_name: str, contact: ContactInput) -> None:
        self._tab(self.texts.contacts_tab)
        self._row_button(current_name).click()
        self._fill_contact(contact)

    def _fill_contact(self, contact: ContactInput) -> None:
        w, f = self.widgets, self.profile.suppliers.contact
        d = w.drawer(f.drawer)
        w.fill_text(d, f.first_name, contact.first_name)
        w.fill_text(d, f.last_name, contact.last_name)
        if contact.email is not None:
            w.fill_text(d, f.email, contact.email)
        if contact.phone is not None:
            w.fill_text(d, f.phone, contact.phone)
        self._save_drawer(d, "contact")

    # --- reading --------------------------------------------------------------------------------

    def read_profile(self) -> dict[str, str]:
        """The profile tab's values by field name (``PROFILE_FIELDS``); a blank field is ''.
        Dates are given in ISO form where they read as dates."""
        self._tab(self.texts.profile_tab)
        fields = self.profile.suppliers.profile
        values = {}
        for name in PROFILE_FIELDS:
            field = self.widgets.field(self.page, getattr(fields, name))
            text = field.input_value() if _is_input(field) else field.inner_text()
            values[name] = " ".join(text.split())
        values["inactive_date"] = iso_date(values["inactive_date"], self.profile.date_format) or ""
        return values

    def _rows(self, grid_name: ProfileText) -> list[list[str]]:
        rows = self.page.get_by_role("grid", name=grid_name).locator("tr[data-oj-key]")
        return [
            [" ".join(cell.split()) for cell in rows.nth(i).locator("td, th").all_inner_texts()]
            for i in range(rows.count())
        ]

    def _open_row(self, name: str, drawer: ProfileText) -> Locator:
        self._row_button(name).click()
        return self.widgets.drawer(drawer)

    def _close(self, drawer: Locator) -> None:
        self.widgets.click(drawer, self.profile.messages.cancel_button)

    def _value(self, scope: Locator, label: ProfileText) -> str | None:
        """A drawer field's value (text box or list), blank as None."""
        field = self.widgets.field(scope, label)
        text = field.input_value() if _is_input(field) else field.inner_text()
        return " ".join(text.split()) or None

    def _checked(self, scope: Locator, label: ProfileText) -> bool:
        return self.widgets.checkbox(scope, label).is_checked()

    def read_addresses(self) -> list[AddressInput]:
        """Every address, as its edit drawer shows it (the table joins the lines)."""
        f = self.profile.suppliers.address
        self._tab(self.texts.addresses_tab)
        found = []
        for cells in self._rows(f.grid):
            d = self._open_row(cells[0], f.drawer)
            found.append(
                AddressInput(
                    address_name=self._value(d, f.address_name) or cells[0],
                    country=self._value(d, f.country),
                    line1=self._value(d, f.line1),
                    line2=self._value(d, f.line2),
                    city=self._value(d, f.city),
                    county=self._value(d, f.county),
                    postal_code=self._value(d, f.postal_code),
                    ordering=self._checked(d, f.ordering),
                    remit_to=self._checked(d, f.remit_to),
                    rfq=self._checked(d, f.rfq),
                )
            )
            self._close(d)
        return found

    def read_sites(self) -> list[SiteView]:
        """Every site with its purposes and its assignments' client and bill-to BUs."""
        f = self.profile.suppliers.site
        self._tab(self.texts.sites_tab)
        found = []
        for cells in self._rows(f.grid):
            name, bu, address, _purposes, _clients, status, inactive = cells[:7]
            d = self._open_row(name, f.drawer)
            purposes = frozenset(
                p.name for p in SITE_PURPOSES if self._checked(d, self._purpose_label(p.name))
            )
            listed = d.get_by_role("list", name=f.assignments_list).get_by_role("listitem")
            assignments = tuple(
                (m.group("client_bu"), m.group("bill_to_bu"))
                for m in (
                    f.assignment_pattern.search(" ".join(t.split()))
                    for t in listed.all_inner_texts()
                )
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
                    iso_date(inactive, self.profile.date_format),
                    assignments,
                )
            )
        return found

    def read_contacts(self) -> list[ContactInput]:
        """Every contact, as its edit drawer shows it (the table joins the names)."""
        f = self.profile.suppliers.contact
        self._tab(self.texts.contacts_tab)
        found = []
        for cells in self._rows(f.grid):
            d = self._open_row(cells[0], f.drawer)
            found.append(
                ContactInput(
                    first_name=self._value(d, f.first_name) or "",
                    last_name=self._value(d, f.last_name) or "",
                    email=self._value(d, f.email),
                    phone=self._value(d, f.phone),
                )
            )
            self._close(d)
        return found

    def supplier_number(self) -> str:
        """The supplier number shown on the profile tab."""
        self._tab(self.texts.profile_tab)
        value = self.widgets.field(self.page, self.profile.suppliers.profile.supplier_number)
        return " ".join(value.inner_text().split())  # a read-only field is a text box


def _is_input(field: Locator) -> bool:
    return bool(field.evaluate("e => ['INPUT', 'TEXTAREA'].includes(e.tagName)"))
