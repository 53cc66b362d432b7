"""Builders shared by the supplier-sync tests: file rows, file suppliers and Oracle suppliers.

No tests live here; the module is named ``test_supplier_*`` to sit with the tests it serves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.sync_suppliers.oracle_model import (
    OracleAddress,
    OracleAssignment,
    OracleContact,
    OracleSite,
    OracleSupplier,
)
from flows.sync_suppliers.source_model import (
    SourceAddress,
    SourceContact,
    SourceSite,
    SourceSupplier,
)

FILE = Path("suppliers.csv")


def supplier_row(**cells: str) -> dict[str, str]:
    """A valid row describing one supplier site; keyword arguments replace or add cells."""
    row = {
        "supplier_name": "Wensum Valley Ecology Ltd",
        "taxpayer_id": "09876543",
        "tax_organization_type": "Corporation",
        "supplier_type": "Services",
        "business_relationship": "Spend Authorized",
        "tax_country": "GB",
        "duns_number": "234567891",
        "status": "ACTIVE",
        "address_name": "Norwich Office",
        "address_line1": "12 Rose Lane",
        "city": "Norwich",
        "county": "Norfolk",
        "postal_code": "NR1 1PT",
        "country": "GB",
        "site_name": "WVE-NORWICH",
        "procurement_bu": "NCC Corporate BU",
        "site_purposes": "purchasing;pay",
        "bill_to_bu": "NCC Corporate BU",
        "contact_first_name": "Harriet",
        "contact_last_name": "Kett",
        "contact_email": "harriet.kett@wensumvalleyecology.co.uk",
        "contact_phone": "01603 555123",
    }
    row.update(cells)
    return row


def source(name: str = "Wensum Valley Ecology Ltd", **values: Any) -> SourceSupplier:
    """A supplier as a file describes it (profile only unless children are given)."""
    values.setdefault("source_rows", (2,))
    return SourceSupplier(name=name, source_file=FILE, **values)


def full_source(name: str = "Wensum Valley Ecology Ltd", **values: Any) -> SourceSupplier:
    """A file supplier with one address, one site and one contact."""
    values.setdefault("taxpayer_id", "09876543")
    values.setdefault("addresses", (
        SourceAddress("Norwich Office", "12 Rose Lane", None, "Norwich", "Norfolk", "NR1 1PT", "GB"),
    ))  # fmt: skip
    values.setdefault("sites", (
        SourceSite("WVE-NORWICH", "NCC Corporate BU", "Norwich Office",
                   frozenset({"purchasing", "pay"}), "NCC Corporate BU"),
    ))  # fmt: skip
    values.setdefault("contacts", (
        SourceContact("Harriet", "Kett", "harriet.kett@wensumvalleyecology.co.uk", "01603 555123"),
    ))  # fmt: skip
    return source(name, **values)


def oracle(name: str = "Wensum Valley Ecology Ltd", number: str = "30100", **values: Any
           ) -> OracleSupplier:
    """An Oracle supplier, profile only unless children are given."""
    values.setdefault("supplier_id", f"3000000520{number}")
    return OracleSupplier(name=name, number=number, **values)


def full_oracle(name: str = "Wensum Valley Ecology Ltd", number: str = "30100", **values: Any
                ) -> OracleSupplier:
    """The Oracle supplier that ``full_source`` describes, field for field."""
    values.setdefault("taxpayer_id", "09876543")
    values.setdefault("addresses", (
        OracleAddress("1", "Norwich Office", "GB", "12 Rose Lane", None, "Norwich", "Norfolk",
                      "NR1 1PT", "ACTIVE"),
    ))  # fmt: skip
    values.setdefault("sites", (
        OracleSite("2", "WVE-NORWICH", "NCC Corporate BU", "Norwich Office",
                   frozenset({"purchasing", "pay"}), "ACTIVE", None,
                   (OracleAssignment("3", "NCC Corporate BU", "NCC Corporate BU", "ACTIVE"),)),
    ))  # fmt: skip
    values.setdefault("contacts", (
        OracleContact("4", "Harriet", "Kett", "harriet.kett@wensumvalleyecology.co.uk",
                      "01603 555123", "ACTIVE"),
    ))  # fmt: skip
    return oracle(name, number, **values)
