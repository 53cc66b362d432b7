"""Oracle's suppliers as the planner sees them: plain, immutable values parsed from REST items.

``supplier_from_rest`` takes one ``suppliers`` item with its children expanded (``addresses``,
``sites`` with their ``assignments``, ``contacts``), as the REST API returns it with
``expand=addresses,sites,sites.assignments,contacts`` (``expand=all`` stops at the first level);
the UI reader builds the same values from the pages. Expanded children come as a list of items
(REST framework versions 1 and 2) or as a collection envelope (``{"items": [...]}``, version 3
and later): both are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bots.supplier_models import SITE_PURPOSES


@dataclass(frozen=True, slots=True)
class OracleAddress:
    address_id: str
    name: str
    country_code: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    county: str | None = None
    postal_code: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class OracleAssignment:
    assignment_id: str
    client_bu: str
    bill_to_bu: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class OracleSite:
    site_id: str
    name: str
    procurement_bu: str
    address_name: str | None = None
    purposes: frozenset[str] = frozenset()
    status: str | None = None
    inactive_date: str | None = None
    assignments: tuple[OracleAssignment, ...] = ()


@dataclass(frozen=True, slots=True)
class OracleContact:
    contact_id: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    status: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class OracleSupplier:
    supplier_id: str
    name: str
    number: str
    taxpayer_id: str | None = None
    tax_organization_type: str | None = None
    supplier_type: str | None = None
    business_relationship: str | None = None
    tax_country: str | None = None  # as Oracle shows it: "United Kingdom"
    duns_number: str | None = None
    status: str = "ACTIVE"
    inactive_date: str | None = None
    last_update: str | None = None
    addresses: tuple[OracleAddress, ...] = ()
    sites: tuple[OracleSite, ...] = ()
    contacts: tuple[OracleContact, ...] = ()


def _text(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _children(item: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = item.get(name)
    if isinstance(value, Mapping):
        value = value.get("items")
    return list(value) if isinstance(value, list) else []


def _flag(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "y", "yes", "1")


def address_from_rest(item: Mapping[str, Any]) -> OracleAddress:
    return OracleAddress(
        address_id=str(item["SupplierAddressId"]),
        name=str(_text(item, "AddressName")),
        country_code=_text(item, "CountryCode"),
        line1=_text(item, "AddressLine1"),
        line2=_text(item, "AddressLine2"),
        city=_text(item, "City"),
        county=_text(item, "County"),
        postal_code=_text(item, "PostalCode"),
        status=_text(item, "Status"),
    )


def assignment_from_rest(item: Mapping[str, Any]) -> OracleAssignment:
    return OracleAssignment(
        assignment_id=str(item["AssignmentId"]),
        client_bu=str(_text(item, "ClientBU")),
        bill_to_bu=_text(item, "BillToBU"),
        status=_text(item, "Status"),
    )


def site_from_rest(
    item: Mapping[str, Any], assignments: Iterable[Mapping[str, Any]] | None = None
) -> OracleSite:
    found = _children(item, "assignments") if assignments is None else list(assignments)
    return OracleSite(
        site_id=str(item["SupplierSiteId"]),
        name=str(_text(item, "SupplierSite")),
        procurement_bu=str(_text(item, "ProcurementBU")),
        address_name=_text(item, "SupplierAddressName"),
        purposes=frozenset(p.name for p in SITE_PURPOSES if _flag(item.get(p.rest_flag))),
        status=_text(item, "Status"),
        inactive_date=_text(item, "InactiveDate"),
        assignments=tuple(assignment_from_rest(a) for a in found),
    )


def contact_from_rest(item: Mapping[str, Any]) -> OracleContact:
    return OracleContact(
        contact_id=str(item["SupplierContactId"]),
        first_name=str(_text(item, "FirstName")),
        last_name=str(_text(item, "LastName")),
        email=_text(item, "Email"),
        phone=_text(item, "PhoneNumber"),
        status=_text(item, "Status"),
    )


def supplier_from_rest(item: Mapping[str, Any]) -> OracleSupplier:
    """One supplier with the children the item carries (none when it was not expanded)."""
    return OracleSupplier(
        supplier_id=str(item["SupplierId"]),
        name=str(_text(item, "Supplier")),
        number=str(_text(item, "SupplierNumber")),
        taxpayer_id=_text(item, "TaxpayerId"),
        tax_organization_type=_text(item, "TaxOrganizationType"),
        supplier_type=_text(item, "SupplierType"),
        business_relationship=_text(item, "BusinessRelationship"),
        tax_country=_text(item, "TaxpayerCountry"),
        duns_number=_text(item, "DUNSNumber"),
        status=_text(item, "Status") or "ACTIVE",
        inactive_date=_text(item, "InactiveDate"),
        last_update=_text(item, "LastUpdateDate"),
        addresses=tuple(address_from_rest(a) for a in _children(item, "addresses")),
        sites=tuple(site_from_rest(s) for s in _children(item, "sites")),
        contacts=tuple(contact_from_rest(c) for c in _children(item, "contacts")),
    )


@dataclass(frozen=True)
class OracleSnapshot:
    """Every supplier Oracle holds, as read at one moment."""

    suppliers: tuple[OracleSupplier, ...]
    source: str = "rest"  # how it was read: "rest" or "ui"

    @classmethod
    def from_rest_items(cls, items: Iterable[Mapping[str, Any]]) -> OracleSnapshot:
        return cls(tuple(supplier_from_rest(item) for item in items), "rest")
