"""Before-and-after values of applied changes, as read from Oracle.

``observed`` reads the value a plan's field name (``city``, ``address[Norwich Office].city``,
``site[NCC Corporate BU/BHM-NORWICH].bill_to_bu``, ``contact[James Turner].contact_email``)
has in an Oracle supplier, so an applied change can be recorded with the values Oracle showed
before acting and the values read back afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flows.sync_suppliers.oracle_model import OracleSupplier

_CHILD = re.compile(r"(address|site|contact)\[(.*)\]\.(\w+)")


def _profile(supplier: OracleSupplier, column: str) -> str | None:
    values = {
        "supplier_name": supplier.name,
        "taxpayer_id": supplier.taxpayer_id,
        "tax_organization_type": supplier.tax_organization_type,
        "supplier_type": supplier.supplier_type,
        "business_relationship": supplier.business_relationship,
        "tax_country": supplier.tax_country,
        "duns_number": supplier.duns_number,
        "status": supplier.status,
        "inactive_date": supplier.inactive_date,
    }
    return values.get(column)


def _address(supplier: OracleSupplier, name: str, column: str) -> str | None:
    found = next((a for a in supplier.addresses if a.name.casefold() == name.casefold()), None)
    if found is None:
        return None
    values = {
        "address_line1": found.line1,
        "address_line2": found.line2,
        "city": found.city,
        "county": found.county,
        "postal_code": found.postal_code,
        "country": found.country_code,
    }
    return values.get(column)


def _site(supplier: OracleSupplier, label: str, column: str) -> str | None:
    wanted = label.casefold()
    found = next(
        (s for s in supplier.sites if f"{s.procurement_bu}/{s.name}".casefold() == wanted), None
    )
    if found is None:
        return None
    if column == "address_name":
        return found.address_name
    if column == "site_purposes":
        return ";".join(sorted(found.purposes))
    own = found.procurement_bu.casefold()
    assignment = next((a for a in found.assignments if a.client_bu.casefold() == own), None)
    return assignment.bill_to_bu if assignment and column == "bill_to_bu" else None


def _contact(supplier: OracleSupplier, name: str, column: str) -> str | None:
    found = next((c for c in supplier.contacts if c.full_name.casefold() == name.casefold()), None)
    if found is None:
        return None
    values = {
        "contact_first_name": found.first_name,
        "contact_last_name": found.last_name,
        "contact_email": found.email,
        "contact_phone": found.phone,
    }
    return values.get(column)


def observed(supplier: OracleSupplier | None, name: str) -> str | None:
    """The value of the plan's field ``name`` in ``supplier`` (None when absent)."""
    if supplier is None:
        return None
    child = _CHILD.fullmatch(name)
    if child is None:
        return _profile(supplier, name)
    kind, label, column = child.groups()
    if kind == "address":
        return _address(supplier, label, column)
    if kind == "site":
        return _site(supplier, label, column)
    return _contact(supplier, label, column)


@dataclass
class AppliedChange:
    """One applied change for the audit trail: each field before acting and as read back."""

    item_key: str
    action: str
    supplier: str
    supplier_number: str | None
    before: dict[str, str | None] = field(default_factory=dict)
    after: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def between(
        cls,
        item_key: str,
        action: str,
        supplier: str,
        names: Iterable[str],
        before: OracleSupplier | None,
        after: OracleSupplier | None,
    ) -> AppliedChange:
        names = list(names)
        return cls(
            item_key=item_key,
            action=action,
            supplier=supplier,
            supplier_number=after.number if after else None,
            before={n: observed(before, n) for n in names},
            after={n: observed(after, n) for n in names},
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "item_key": self.item_key,
            "action": self.action,
            "supplier": self.supplier,
            "supplier_number": self.supplier_number,
            "before": self.before,
            "after": self.after,
        }
