"""Plain values the supplier page objects take and return (no Playwright types).

In the ``*Input`` values, None means "leave this field as it is": an edit types only what is
given, so a value the council's file does not manage is never blanked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SitePurpose:
    """One purpose a supplier site can have, by each name it goes by."""

    name: str  # in the council's file, in the flows, and the key of its checkbox in the profile
    rest_flag: str  # the site's attribute in Oracle's REST API


# Every site purpose, once: the site drawer (through the UI profile's ``suppliers.site``), the
# supplier file and the REST reads all use this.
SITE_PURPOSES = (
    SitePurpose("purchasing", "SitePurposePurchasingFlag"),
    SitePurpose("pay", "SitePurposePayFlag"),
    SitePurpose("primary_pay", "SitePurposePrimaryPayFlag"),
    SitePurpose("sourcing_only", "SitePurposeSourcingOnlyFlag"),
    SitePurpose("procurement_card", "SitePurposeProcurementCardFlag"),
)


@dataclass(frozen=True)
class SupplierProfileInput:
    """The fields of Create Supplier, and of the Profile tab in edit mode."""

    supplier: str | None = None
    tax_organization_type: str | None = None
    supplier_type: str | None = None
    business_relationship: str | None = None
    tax_country: str | None = None  # as the Tax Country list shows it: "United Kingdom"
    taxpayer_id: str | None = None
    duns_number: str | None = None
    inactive_date: date | None = None  # profile edit only
    clear_inactive_date: bool = False  # profile edit only: reactivate the supplier

    def is_empty(self) -> bool:
        return self == SupplierProfileInput()


@dataclass(frozen=True)
class AddressInput:
    """The "Address" drawer. ``address_name`` names the address; on an edit it may rename it."""

    address_name: str
    country: str | None = None  # as the Country list shows it: "United Kingdom"
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    county: str | None = None
    postal_code: str | None = None
    ordering: bool | None = None
    remit_to: bool | None = None
    rfq: bool | None = None


@dataclass(frozen=True)
class SiteInput:
    """The "Site" drawer, with the site assignment's Client BU and Bill-to BU."""

    site: str
    procurement_bu: str
    address_name: str | None = None
    purposes: frozenset[str] | None = None  # names in SITE_PURPOSES; None: leave as is
    client_bu: str | None = None
    bill_to_bu: str | None = None


@dataclass(frozen=True)
class ContactInput:
    """The "Contact" drawer."""

    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SupplierSummary:
    """One row of the Suppliers search results."""

    name: str
    number: str
    taxpayer_id: str | None = None
    supplier_type: str | None = None
    status: str | None = None
    inactive_date: str | None = None
    supplier_id: str | None = None  # from the link to the supplier page


@dataclass(frozen=True)
class SiteView:
    """A site as the Sites tab and its drawer show it, with its assignments' BUs."""

    site: str
    procurement_bu: str
    address_name: str | None
    purposes: frozenset[str]
    status: str | None = None
    inactive_date: str | None = None
    assignments: tuple[tuple[str, str], ...] = ()  # (client BU, bill-to BU)
