"""Suppliers through REST: create and edit, children (addresses, sites, assignments, contacts)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.sandbox.resthelpers import error_message

_numbers = itertools.count(1)


def unique(prefix: str) -> str:
    """Names and tax ids unique within the test session (the server is shared)."""
    return f"{prefix}{next(_numbers):04d}"


def create_supplier(rest: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "Supplier": unique("Wymondham Joinery Ltd "),
        "TaxOrganizationType": "Corporation",
        "SupplierType": "Supplier",
        "BusinessRelationship": "Spend Authorized",
        "TaxpayerCountry": "United Kingdom",
        "TaxpayerId": unique("1290"),
        "DUNSNumber": "219876543",
    } | overrides
    response = rest.post("/suppliers", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def refused(response: httpx.Response, *fragments: str) -> None:
    assert response.status_code == 400, response.text
    for fragment in fragments:
        assert fragment in error_message(response)


def test_create_supplier_numbers_it_and_reads_back(rest: httpx.Client) -> None:
    """POST creates an ACTIVE supplier with the next supplier number; GET returns it."""
    created = create_supplier(rest)
    assert created["Status"] == "ACTIVE" and int(created["SupplierNumber"]) > 30001
    fetched = rest.get(f"/suppliers/{created['SupplierId']}").json()
    assert fetched["Supplier"] == created["Supplier"] and fetched["DUNSNumber"] == "219876543"
    assert {link["name"] for link in fetched["links"] if link["rel"] == "child"} == {
        "addresses",
        "sites",
        "contacts",
        "changeRequests",  # read-only: the supplier's pending change requests (change control)
    }


def test_supplier_name_and_taxpayer_id_are_unique(rest: httpx.Client) -> None:
    """A second supplier with the same name (any case) or taxpayer id is refused."""
    first = create_supplier(rest)
    refused(rest.post("/suppliers", json={"Supplier": first["Supplier"].upper()}), "already exists")
    refused(
        rest.post(
            "/suppliers",
            json={"Supplier": unique("Other Name Ltd "), "TaxpayerId": first["TaxpayerId"]},
        ),
        f"The taxpayer ID {first['TaxpayerId']} is already used by supplier {first['Supplier']}.",
    )


def test_supplier_values_are_checked(rest: httpx.Client) -> None:
    """Lookup values, D-U-N-S format and required name are enforced."""
    refused(
        rest.post("/suppliers", json={"Supplier": unique("X Ltd "), "DUNSNumber": "12345"}),
        "9 digits",
    )
    refused(
        rest.post(
            "/suppliers", json={"Supplier": unique("X Ltd "), "BusinessRelationship": "Friend"}
        ),
        "Friend",
    )
    refused(rest.post("/suppliers", json={"TaxpayerId": "1"}), "Supplier", "required")


def test_patch_supplier_and_inactivate(rest: httpx.Client) -> None:
    """PATCH changes attributes; an inactive date today or earlier makes the supplier INACTIVE."""
    created = create_supplier(rest)
    path = f"/suppliers/{created['SupplierId']}"
    patched = rest.patch(path, json={"SupplierType": "Services", "InactiveDate": "2025-01-01"})
    assert patched.status_code == 200
    assert patched.json()["SupplierType"] == "Services" and patched.json()["Status"] == "INACTIVE"
    lov = rest.get("/suppliersLOV", params={"q": f"SupplierId={created['SupplierId']}"}).json()
    assert lov["count"] == 0
    refused(
        rest.patch(path, json={"Supplier": "Anglia Care Partnership Limited"}), "already exists"
    )


def test_addresses_sites_assignments_and_contacts(rest: httpx.Client) -> None:
    """A supplier is made usable on orders by an address, a purchasing site and its assignment."""
    supplier = create_supplier(rest)
    base = f"/suppliers/{supplier['SupplierId']}/child"
    address = rest.post(
        f"{base}/addresses",
        json={
            "AddressName": "Wymondham Office",
            "Country": "United Kingdom",
            "AddressLine1": "Unit 4, Gateway 11 Business Park",
            "City": "Wymondham",
            "County": "Norfolk",
            "PostalCode": "NR18 9SH",
            "AddressPurposeOrderingFlag": True,
            "AddressPurposeRemitToFlag": True,
        },
    )
    assert address.status_code == 201 and address.json()["CountryCode"] == "GB"
    site = rest.post(
        f"{base}/sites",
        json={
            "SupplierSite": "WJ-WYMONDHAM",
            "ProcurementBU": "NCC Corporate BU",
            "SupplierAddressName": "Wymondham Office",
            "SitePurposePurchasingFlag": True,
            "SitePurposePayFlag": True,
            "SitePurposePrimaryPayFlag": True,
        },
    )
    assert site.status_code == 201, site.text
    site_id = site.json()["SupplierSiteId"]
    assignments = f"{base}/sites/{site_id}/child/assignments"
    refused(rest.post(assignments, json={"ClientBU": "NCC Corporate BU"}), "POZ-2130496")
    made = rest.post(
        assignments, json={"ClientBU": "NCC Corporate BU", "BillToBU": "NCC Corporate BU"}
    )
    assert made.status_code == 201 and made.json()["BillToBU"] == "NCC Corporate BU"
    refused(
        rest.post(
            assignments, json={"ClientBU": "NCC Corporate BU", "BillToBU": "NCC Corporate BU"}
        ),
        "already",
    )
    contact = rest.post(
        f"{base}/contacts",
        json={
            "FirstName": "Alice",
            "LastName": "Kett",
            "Email": "alice.kett@example.co.uk",
            "PhoneNumber": "01953 600100",
        },
    )
    assert contact.status_code == 201
    patched = rest.patch(
        f"{base}/contacts/{contact.json()['SupplierContactId']}",
        json={"PhoneNumber": "01953 600200"},
    )
    assert patched.json()["PhoneNumber"] == "01953 600200"
    # The site now appears among the sites usable for the BU, and an order can use it.
    bu_id = made.json()["ClientBUId"]
    usable = rest.get(
        "/supplierSitesLOV",
        params={"q": f"SupplierId={supplier['SupplierId']} and ProcurementBUId={bu_id}"},
    ).json()
    assert [s["SupplierSite"] for s in usable["items"]] == ["WJ-WYMONDHAM"]
    expanded = rest.get(
        f"/suppliers/{supplier['SupplierId']}", params={"expand": "sites.assignments,contacts"}
    ).json()
    assert expanded["sites"]["items"][0]["assignments"]["count"] == 1
    assert expanded["contacts"]["items"][0]["Email"] == "alice.kett@example.co.uk"


def test_child_rules(rest: httpx.Client) -> None:
    """Purposes are required, addresses must belong to the supplier, Email not EmailAddress."""
    supplier = create_supplier(rest)
    base = f"/suppliers/{supplier['SupplierId']}/child"
    refused(
        rest.post(
            f"{base}/addresses",
            json={"AddressName": "HQ", "CountryCode": "GB", "AddressLine1": "1 Street"},
        ),
        "address purpose",
    )
    refused(
        rest.post(
            f"{base}/sites",
            json={
                "SupplierSite": "S1",
                "ProcurementBU": "NCC Corporate BU",
                "SupplierAddressName": "Nowhere",
                "SitePurposePayFlag": True,
            },
        ),
        "Nowhere",
    )
    refused(
        rest.post(
            f"{base}/contacts", json={"FirstName": "A", "LastName": "B", "EmailAddress": "a@b"}
        ),
        "EmailAddress",
    )
    refused(
        rest.post(
            f"{base}/contacts", json={"FirstName": "A", "LastName": "B", "Email": "not-an-email"}
        ),
        "not-an-email",
    )


def test_nested_create_with_site_and_assignment(rest: httpx.Client) -> None:
    """One POST may carry addresses, sites (with assignments) and contacts."""
    created = create_supplier(
        rest,
        addresses=[
            {
                "AddressName": "Main",
                "CountryCode": "GB",
                "AddressLine1": "2 Mill Lane",
                "AddressPurposeOrderingFlag": True,
            }
        ],
        sites=[
            {
                "SupplierSite": "MAIN",
                "ProcurementBU": "NCC Highways BU",
                "SupplierAddressName": "Main",
                "SitePurposePurchasingFlag": True,
                "assignments": [{"ClientBU": "NCC Highways BU", "BillToBU": "NCC Corporate BU"}],
            }
        ],
        contacts=[{"FirstName": "Sam", "LastName": "Riches"}],
    )
    tree = rest.get(
        f"/suppliers/{created['SupplierId']}",
        params={"expand": "addresses,sites,sites.assignments,contacts", "onlyData": "true"},
    ).json()
    assert tree["sites"]["items"][0]["assignments"]["items"][0]["ClientBU"] == "NCC Highways BU"
    assert tree["contacts"]["count"] == 1 and tree["addresses"]["count"] == 1
