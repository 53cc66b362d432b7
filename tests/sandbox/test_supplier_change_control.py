"""Supplier change control (``sandbox.supplier_change_control``) over HTTP, in-process.

With the setting on, a page's save of an existing supplier (the page session cookie) becomes a
pending change request; a REST integration's write (basic auth) applies at once; the admin
endpoint lists, approves and rejects requests. The browser test of the same is in
``test_pages_supplier_change_control.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import SandboxSettings
from tests.conftest import AsgiClient

REST = "/fscmRestApi/resources/11.13.18.05"
ADMIN = "/sandbox/admin/supplier-change-requests"
USER = SandboxSettings().username
PASSWORD = SandboxSettings().password.get_secret_value()
V4 = {"REST-Framework-Version": "4"}
PAGE = {**V4, "X-Requested-With": "XMLHttpRequest"}  # what the pages' REST client sends
BROADLAND = "30001"  # Broadland Highways Maintenance Ltd, seeded with type Services


class Sandbox:
    """One in-process sandbox: a signed-in page session, basic auth and the admin endpoint."""

    def __init__(self, app: Starlette) -> None:
        self.page = AsgiClient(app)
        signed_in = self.page.post("/signin", data={"username": USER, "password": PASSWORD})
        assert signed_in.status_code == 303, signed_in.text
        self.integration = AsgiClient(app)
        self.admin = AsgiClient(app)

    def page_call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.page.request(method, f"{REST}/{path}", headers=PAGE, **kwargs)

    def rest(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.integration.request(
            method, f"{REST}/{path}", headers=V4, auth=(USER, PASSWORD), **kwargs
        )

    def supplier(self, number: str = BROADLAND) -> dict[str, Any]:
        found = self.rest(
            "GET",
            "suppliers",
            params={
                "q": f"SupplierNumber='{number}'",
                "expand": "addresses,sites.assignments,contacts,changeRequests.changes",
                "onlyData": "true",
            },
        )
        assert found.status_code == 200, found.text
        (item,) = found.json()["items"]
        return dict(item)

    def requests(self, supplier: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = supplier["changeRequests"]["items"]
        return rows


@pytest.fixture
def controlled(sandbox_app: Callable[..., Starlette]) -> Sandbox:
    return Sandbox(sandbox_app(supplier_change_control=True))


def _changes(request: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any]]:
    return {
        (c["ObjectName"], c["Attribute"]): (c["OldValue"], c["NewValue"])
        for c in request["changes"]["items"]
    }


def test_without_the_setting_a_page_save_applies_at_once(
    sandbox_app: Callable[..., Starlette],
) -> None:
    sandbox = Sandbox(sandbox_app())
    supplier = sandbox.supplier()
    saved = sandbox.page_call(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"SupplierType": "Contractor"}
    )
    assert saved.status_code == 200 and saved.json()["SupplierType"] == "Contractor"
    after = sandbox.supplier()
    assert after["SupplierType"] == "Contractor" and sandbox.requests(after) == []


def test_a_page_save_becomes_a_pending_change_request(controlled: Sandbox) -> None:
    """The supplier reads as before (REST shows the approved state only); the request says
    who asked, when, and what changes."""
    supplier = controlled.supplier()
    assert supplier["SupplierType"] == "Services"
    saved = controlled.page_call(
        "PATCH",
        f"suppliers/{supplier['SupplierId']}",
        json={"SupplierType": "Contractor", "Supplier": supplier["Supplier"]},
    )
    assert saved.status_code == 200 and saved.json()["SupplierType"] == "Services"
    after = controlled.supplier()
    assert after["SupplierType"] == "Services"
    (request,) = controlled.requests(after)
    assert request["ChangeRequestNumber"] == "CR-1001"
    assert (request["Status"], request["RequestedBy"]) == ("PENDING", USER)
    assert request["RequestDate"] and request["DecidedBy"] is None
    assert _changes(request) == {(supplier["Supplier"], "SupplierType"): ("Services", "Contractor")}
    # The admin endpoint lists it too, by status and supplier number.
    listed = controlled.admin.get(ADMIN, params={"status": "pending", "supplierNumber": BROADLAND})
    assert [r["ChangeRequestNumber"] for r in listed.json()["items"]] == ["CR-1001"]
    assert listed.json()["items"][0]["changes"][0]["Attribute"] == "SupplierType"
    assert controlled.admin.get(ADMIN, params={"status": "APPROVED"}).json()["items"] == []


def test_a_rest_integration_write_applies_at_once(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    patched = controlled.rest(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"DUNSNumber": "123456789"}
    )
    assert patched.status_code == 200 and patched.json()["DUNSNumber"] == "123456789"
    assert controlled.requests(controlled.supplier()) == []


def test_later_page_edits_join_the_pending_request(controlled: Sandbox) -> None:
    """One pending request per supplier: an address edit and a new contact join it; the new
    contact is not created (204, nothing to read) until the request is approved."""
    supplier = controlled.supplier()
    sid = supplier["SupplierId"]
    controlled.page_call("PATCH", f"suppliers/{sid}", json={"SupplierType": "Contractor"})
    address = supplier["addresses"]["items"][0]
    edited = controlled.page_call(
        "PATCH",
        f"suppliers/{sid}/child/addresses/{address['SupplierAddressId']}",
        json={"City": "Wymondham"},
    )
    assert edited.status_code == 200 and edited.json()["City"] == address["City"]
    added = controlled.page_call(
        "POST",
        f"suppliers/{sid}/child/contacts",
        json={"FirstName": "Nell", "LastName": "Pending", "Email": "nell@example.co.uk"},
    )
    assert added.status_code == 204, added.text
    after = controlled.supplier()
    assert [c["LastName"] for c in after["contacts"]["items"]].count("Pending") == 0
    (request,) = controlled.requests(after)
    changes = _changes(request)
    assert changes[(address["AddressName"], "City")] == (address["City"], "Wymondham")
    assert changes[("Nell Pending", "Email")] == (None, "nell@example.co.uk")
    assert changes[(supplier["Supplier"], "SupplierType")] == ("Services", "Contractor")


def test_a_bad_value_is_refused_at_once_and_nothing_is_held(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    refused = controlled.page_call(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"DUNSNumber": "12"}
    )
    assert refused.status_code == 400 and "D-U-N-S" in refused.text
    assert controlled.requests(controlled.supplier()) == []


def test_a_save_that_changes_nothing_needs_no_request(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    same = controlled.page_call(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"SupplierType": "Services"}
    )
    assert same.status_code == 200
    assert controlled.requests(controlled.supplier()) == []


def test_approval_applies_every_edit_of_the_request(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    sid = supplier["SupplierId"]
    controlled.page_call("PATCH", f"suppliers/{sid}", json={"SupplierType": "Contractor"})
    controlled.page_call(
        "POST", f"suppliers/{sid}/child/contacts", json={"FirstName": "Ola", "LastName": "Later"}
    )
    approved = controlled.admin.post(
        f"{ADMIN}/CR-1001/approve", json={"by": "Jo Approver", "note": "checked"}
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert (body["Status"], body["DecidedBy"], body["DecisionNote"]) == (
        "APPROVED",
        "Jo Approver",
        "checked",
    )
    after = controlled.supplier()
    assert after["SupplierType"] == "Contractor"
    assert "Later" in [c["LastName"] for c in after["contacts"]["items"]]
    assert controlled.requests(after)[0]["Status"] == "APPROVED"
    again = controlled.admin.post(f"{ADMIN}/CR-1001/approve", json={})
    assert again.status_code == 409 and "isn't pending" in again.text
    # The next page edit starts a new request.
    controlled.page_call("PATCH", f"suppliers/{sid}", json={"SupplierType": "Supplier"})
    pending = controlled.admin.get(ADMIN, params={"status": "PENDING"}).json()["items"]
    assert [r["ChangeRequestNumber"] for r in pending] == ["CR-1002"]


def test_rejection_applies_nothing(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    controlled.page_call(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"SupplierType": "Contractor"}
    )
    rejected = controlled.admin.post(f"{ADMIN}/CR-1001/reject", json={})
    assert rejected.status_code == 200 and rejected.json()["Status"] == "REJECTED"
    assert rejected.json()["DecidedBy"] == "SANDBOX.ADMIN"
    after = controlled.supplier()
    assert after["SupplierType"] == "Services"
    assert controlled.requests(after)[0]["Status"] == "REJECTED"
    assert controlled.admin.post(f"{ADMIN}/CR-1001/approve", json={}).status_code == 409


def test_an_approval_that_no_longer_applies_leaves_the_request_pending(
    controlled: Sandbox,
) -> None:
    """The request renames the supplier; meanwhile an integration gives the name to another
    supplier: approving now would break the unique name, so it is refused (409)."""
    supplier = controlled.supplier()
    controlled.page_call(
        "PATCH", f"suppliers/{supplier['SupplierId']}", json={"Supplier": "Taken Name Ltd"}
    )
    created = controlled.rest("POST", "suppliers", json={"Supplier": "Taken Name Ltd"})
    assert created.status_code == 201
    refused = controlled.admin.post(f"{ADMIN}/CR-1001/approve", json={})
    assert refused.status_code == 409 and "no longer applies" in refused.text
    assert controlled.admin.get(f"{ADMIN}/CR-1001").json()["Status"] == "PENDING"
    assert controlled.supplier()["Supplier"] == supplier["Supplier"]


def test_creating_a_supplier_is_not_under_change_control(controlled: Sandbox) -> None:
    """A new supplier from the pages exists at once, and the session that created it sets it
    up (an address) without a request; another page session's edit of it is held."""
    created = controlled.page_call(
        "POST", "suppliers", json={"Supplier": "Brand New Ltd", "SupplierType": "Contractor"}
    )
    assert created.status_code == 201, created.text
    sid = created.json()["SupplierId"]
    address = {
        "AddressName": "Office",
        "AddressLine1": "1 New Road",
        "CountryCode": "GB",
        "AddressPurposeOrderingFlag": True,
    }
    added = controlled.page_call("POST", f"suppliers/{sid}/child/addresses", json=address)
    assert added.status_code == 201, added.text
    number = created.json()["SupplierNumber"]
    assert controlled.requests(controlled.supplier(number)) == []

    other = Sandbox(controlled.page.app)
    held = other.page_call("PATCH", f"suppliers/{sid}", json={"SupplierType": "Services"})
    assert held.status_code == 200 and held.json()["SupplierType"] == "Contractor"
    (request,) = controlled.requests(controlled.supplier(number))
    assert request["Status"] == "PENDING"


def test_change_requests_are_read_only_over_rest(controlled: Sandbox) -> None:
    supplier = controlled.supplier()
    path = f"suppliers/{supplier['SupplierId']}/child/changeRequests"
    assert controlled.rest("POST", path, json={"Status": "APPROVED"}).status_code == 405


def test_the_admin_endpoint_is_loopback_only_and_names_unknown_requests(
    controlled: Sandbox,
) -> None:
    remote = AsgiClient(controlled.page.app, client=("10.1.2.3", 1234))
    assert remote.get(ADMIN).status_code == 403
    assert remote.post(f"{ADMIN}/CR-1001/approve", json={}).status_code == 403
    unknown = controlled.admin.post(f"{ADMIN}/CR-9999/reject", json={})
    assert unknown.status_code == 404 and "CR-9999" in unknown.text
    assert controlled.admin.get(f"{ADMIN}/CR-9999").status_code == 404
