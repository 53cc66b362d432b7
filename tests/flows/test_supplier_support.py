"""Builders shared by the supplier-sync tests: file rows, file suppliers and Oracle suppliers.

No tests live here; the module is named ``test_supplier_*`` to sit with the tests it serves.
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import Any

import httpx

from config.settings import Settings
from flows.sync_suppliers.input_model import (
    SourceAddress,
    SourceContact,
    SourceSite,
    SourceSupplier,
)
from flows.sync_suppliers.input_reader import COLUMNS
from flows.sync_suppliers.oracle_model import (
    OracleAddress,
    OracleAssignment,
    OracleContact,
    OracleSite,
    OracleSupplier,
)
from sandbox.process import SandboxProcess
from tests.sandbox_settings import flow_settings as sandbox_flow_settings

FILE = Path("suppliers.csv")
# Oracle's REST is read as the bots read it: framework version 4 (row-match q, children as
# collections), every child named (Fusion's expand=all stops before the site assignments).
REST_HEADERS = {"REST-Framework-Version": "4"}
SUPPLIER_EXPAND = "addresses,sites,sites.assignments,contacts"


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
    values.setdefault(
        "addresses",
        (
            SourceAddress(
                "Norwich Office", "12 Rose Lane", None, "Norwich", "Norfolk", "NR1 1PT", "GB"
            ),
        ),
    )
    values.setdefault(
        "sites",
        (
            SourceSite(
                "WVE-NORWICH",
                "NCC Corporate BU",
                "Norwich Office",
                frozenset({"purchasing", "pay"}),
                "NCC Corporate BU",
            ),
        ),
    )
    values.setdefault(
        "contacts",
        (
            SourceContact(
                "Harriet", "Kett", "harriet.kett@wensumvalleyecology.co.uk", "01603 555123"
            ),
        ),
    )
    return source(name, **values)


def oracle(
    name: str = "Wensum Valley Ecology Ltd", number: str = "30100", **values: Any
) -> OracleSupplier:
    """An Oracle supplier, profile only unless children are given."""
    values.setdefault("supplier_id", f"3000000520{number}")
    return OracleSupplier(name=name, number=number, **values)


def full_oracle(
    name: str = "Wensum Valley Ecology Ltd", number: str = "30100", **values: Any
) -> OracleSupplier:
    """The Oracle supplier that ``full_source`` describes, field for field."""
    values.setdefault("taxpayer_id", "09876543")
    values.setdefault(
        "addresses",
        (
            OracleAddress(
                "1",
                "Norwich Office",
                "GB",
                "12 Rose Lane",
                None,
                "Norwich",
                "Norfolk",
                "NR1 1PT",
                "ACTIVE",
            ),
        ),
    )
    values.setdefault(
        "sites",
        (
            OracleSite(
                "2",
                "WVE-NORWICH",
                "NCC Corporate BU",
                "Norwich Office",
                frozenset({"purchasing", "pay"}),
                "ACTIVE",
                None,
                (OracleAssignment("3", "NCC Corporate BU", "NCC Corporate BU", "ACTIVE"),),
            ),
        ),
    )
    values.setdefault(
        "contacts",
        (
            OracleContact(
                "4",
                "Harriet",
                "Kett",
                "harriet.kett@wensumvalleyecology.co.uk",
                "01603 555123",
                "ACTIVE",
            ),
        ),
    )
    return oracle(name, number, **values)


# --- Oracle-side data for the tests against the sandbox ------------------------------------

REPO = Path(__file__).resolve().parents[2]
CORPORATE, CHILDRENS, HIGHWAYS = "NCC Corporate BU", "NCC Children's Services BU", "NCC Highways BU"


def unique_tag() -> str:
    """Letters and digits that make this test's suppliers unique in the shared sandbox."""
    return uuid.uuid4().hex[:6].upper()


def taxpayer(tag: str, n: int) -> str:
    return f"T{tag}{n:02d}"


def create_in_oracle(rest: httpx.Client, name: str, **values: Any) -> dict[str, Any]:
    """POST a supplier (with nested ``addresses``, ``sites`` + ``assignments``, ``contacts``)
    the way an integration would, and return it as REST reads it back (children expanded)."""
    body = {"Supplier": name, **values}
    created = rest.post("/suppliers", json=body, headers=REST_HEADERS)
    assert created.status_code == 201, created.text
    return read_from_oracle(rest, str(created.json()["SupplierId"]))


def read_from_oracle(rest: httpx.Client, supplier_id: str) -> dict[str, Any]:
    found = rest.get(
        f"/suppliers/{supplier_id}",
        params={"expand": SUPPLIER_EXPAND, "onlyData": "true"},
        headers=REST_HEADERS,
    )
    found.raise_for_status()
    item: dict[str, Any] = found.json()
    return item


def find_in_oracle(rest: httpx.Client, name_like: str) -> list[dict[str, Any]]:
    """Every supplier whose name contains ``name_like``, children expanded."""
    quoted = name_like.replace("'", "''")
    found = rest.get(
        "/suppliers",
        params={
            "q": f"Supplier LIKE '%{quoted}%'",
            "expand": SUPPLIER_EXPAND,
            "onlyData": "true",
            "limit": "500",
        },
        headers=REST_HEADERS,
    )
    found.raise_for_status()
    items: list[dict[str, Any]] = found.json()["items"]
    return items


def children(item: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = item.get(name) or {}
    rows: list[dict[str, Any]] = value.get("items", []) if isinstance(value, dict) else value
    return rows


def address_body(name: str, line1: str, city: str, postcode: str, **more: Any) -> dict[str, Any]:
    return {
        "AddressName": name,
        "CountryCode": "GB",
        "AddressLine1": line1,
        "City": city,
        "County": "Norfolk",
        "PostalCode": postcode,
        "AddressPurposeOrderingFlag": True,
        "AddressPurposeRemitToFlag": True,
        **more,
    }


def site_body(
    name: str, bu: str, address: str, *, bill_to: str = CORPORATE, primary_pay: bool = True
) -> dict[str, Any]:
    return {
        "SupplierSite": name,
        "ProcurementBU": bu,
        "SupplierAddressName": address,
        "SitePurposePurchasingFlag": True,
        "SitePurposePayFlag": True,
        "SitePurposePrimaryPayFlag": primary_pay,
        "assignments": [{"ClientBU": bu, "BillToBU": bill_to}],
    }


def contact_body(first: str, last: str, email: str, phone: str) -> dict[str, Any]:
    return {"FirstName": first, "LastName": last, "Email": email, "PhoneNumber": phone}


def write_supplier_file(path: Path, rows: list[dict[str, str]]) -> Path:
    """The rows as a CSV supplier file with every column, in the documented order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def flow_settings(home: Path, sandbox: SandboxProcess, **overrides: Any) -> Settings:
    """Settings pointing the sync at the test session's sandbox (four attempts an item)."""
    return sandbox_flow_settings(home, sandbox, attempts=4, **overrides)
