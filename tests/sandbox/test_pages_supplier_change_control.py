"""Supplier change control through the Supplier page in headless Chromium: an edit saved on the
page becomes a pending change request (the page says so and still shows the approved supplier);
approving it through the admin endpoint applies it. A sandbox of its own, with the setting on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page

from config.settings import SandboxSettings
from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    TIMEOUT_MS,
    add_session_cookie,
    choose,
    chromium,
    fill,
    open_page,
    wait_ready,
)
from tests.sandbox.resthelpers import BOTS_VERSION, rest_client

pytestmark = pytest.mark.browser

SUPPLIERS_PATH = "/fscmUI/redwood/suppliers/"
ADMIN = "/sandbox/admin/supplier-change-requests"
CORPORATE_BU = "NCC Corporate BU"
CHILDRENS_BU = "NCC Children's Services BU"


@pytest.fixture(scope="module")
def controlled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir: Path = tmp_path_factory.mktemp("sandbox-change-control")
    settings = SandboxSettings(port=0, supplier_change_control=True)
    with SandboxProcess(data_dir, settings, reset=True) as server:
        yield server


@pytest.fixture(scope="module")
def rest(controlled_server: SandboxProcess) -> Iterator[httpx.Client]:
    with rest_client(controlled_server, BOTS_VERSION) as client:
        yield client


@pytest.fixture
def page(controlled_server: SandboxProcess) -> Iterator[Page]:
    with chromium() as browser:
        context: BrowserContext = browser.new_context(
            viewport={"width": 1400, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        add_session_cookie(context, controlled_server)
        yield context.new_page()
        context.close()


def admin(server: SandboxProcess, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=30.0) as client:
        return client.request(method, ADMIN + path, **kwargs)


def seed_supplier(rest: httpx.Client) -> dict[str, Any]:
    """A supplier an integration made (basic auth: applied at once), with a site."""
    body = {
        "Supplier": f"Acle Fencing {uuid.uuid4().hex[:6].upper()} Ltd",
        "SupplierType": "Supplier",
        "addresses": [
            {
                "AddressName": "Acle Yard",
                "CountryCode": "GB",
                "AddressLine1": "3 Bridge Road",
                "City": "Acle",
                "PostalCode": "NR13 3AS",
                "AddressPurposeOrderingFlag": True,
            }
        ],
        "sites": [
            {
                "SupplierSite": "AF-ACLE",
                "ProcurementBU": CORPORATE_BU,
                "SupplierAddressName": "Acle Yard",
                "SitePurposePurchasingFlag": True,
                "SitePurposePayFlag": True,
                "assignments": [{"ClientBU": CORPORATE_BU, "BillToBU": CORPORATE_BU}],
            }
        ],
    }
    created = rest.post("/suppliers", json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def read(rest: httpx.Client, supplier_id: int) -> dict[str, Any]:
    found = rest.get(
        f"/suppliers/{supplier_id}",
        params={"expand": "sites.assignments,changeRequests", "onlyData": "true"},
    )
    assert found.status_code == 200, found.text
    return dict(found.json())


def press(page: Page, button: str, scope: Any = None) -> None:
    (scope or page).get_by_role("button", name=button, exact=True).click()
    wait_ready(page)


def test_an_edit_through_the_page_waits_for_approval(
    page: Page, controlled_server: SandboxProcess, rest: httpx.Client
) -> None:
    supplier = seed_supplier(rest)
    sid = supplier["SupplierId"]
    open_page(page, controlled_server, f"{SUPPLIERS_PATH}{sid}", "supplier")
    assert page.get_by_text("Pending change request").count() == 0

    press(page, "Edit")
    choose(page, page, "Supplier Type", "Contractor")
    fill(page, page, "D-U-N-S Number", "276543219")
    press(page, "Save")
    page.get_by_role("status").filter(
        has_text="Change request CR-1001 was submitted for approval."
    ).wait_for()
    assert page.locator("#sbx-supplier-pending").inner_text().split() == [
        "Pending",
        "change",
        "request",
        "CR-1001",
    ]
    # The page shows the supplier as approved: the edit is not applied yet.
    assert page.get_by_label("Supplier Type", exact=True).inner_text() == "Supplier"
    assert page.get_by_role("button", name="Edit", exact=True).is_visible()

    # A site's new assignment joins the same request (two saves behind one OK).
    page.get_by_role("tab", name="Sites", exact=True).click()
    wait_ready(page, "supplier")
    press(page, "Edit AF-ACLE")
    site = page.get_by_role("dialog", name="Site", exact=True)
    choose(page, site, "Client BU", CHILDRENS_BU)
    choose(page, site, "Bill-to BU", CORPORATE_BU)
    press(page, "OK", site)
    site.wait_for(state="hidden")

    held = read(rest, sid)
    assert (held["SupplierType"], held["DUNSNumber"]) == ("Supplier", None)
    assert [a["ClientBU"] for a in held["sites"]["items"][0]["assignments"]["items"]] == [
        CORPORATE_BU
    ]
    (request,) = held["changeRequests"]["items"]
    assert (request["ChangeRequestNumber"], request["Status"]) == ("CR-1001", "PENDING")
    listed = admin(controlled_server, "GET", params={"status": "PENDING"}).json()["items"]
    (pending,) = [r for r in listed if r["SupplierId"] == sid]
    changed = {(c["ObjectType"], c["Attribute"]): c["NewValue"] for c in pending["changes"]}
    assert changed[("Supplier", "SupplierType")] == "Contractor"
    assert changed[("Supplier", "DUNSNumber")] == "276543219"
    assert changed[("Site Assignment", "ClientBU")] == CHILDRENS_BU

    approved = admin(controlled_server, "POST", "/CR-1001/approve", json={"by": "Jo Approver"})
    assert approved.status_code == 200, approved.text
    done = read(rest, sid)
    assert (done["SupplierType"], done["DUNSNumber"]) == ("Contractor", "276543219")
    assert {a["ClientBU"] for a in done["sites"]["items"][0]["assignments"]["items"]} == {
        CORPORATE_BU,
        CHILDRENS_BU,
    }
    open_page(page, controlled_server, f"{SUPPLIERS_PATH}{sid}", "supplier")
    assert page.get_by_label("Supplier Type", exact=True).inner_text() == "Contractor"
    assert page.locator("#sbx-supplier-pending").count() == 0


def test_a_supplier_created_on_the_page_is_set_up_without_requests(
    page: Page, controlled_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Creating is not under change control, nor is the creating session's setting-up."""
    name = f"Loddon Lighting {uuid.uuid4().hex[:6].upper()} Ltd"
    open_page(page, controlled_server, SUPPLIERS_PATH, "suppliers")
    press(page, "Create Supplier")
    create = page.get_by_role("dialog", name="Create Supplier", exact=True)
    fill(page, create, "Supplier", name)
    with page.expect_navigation():
        create.get_by_role("button", name="Create", exact=True).click()
    wait_ready(page, "supplier")
    page.get_by_role("tab", name="Contacts", exact=True).click()
    wait_ready(page, "supplier")
    press(page, "Create Contact")
    contact = page.get_by_role("dialog", name="Contact", exact=True)
    fill(page, contact, "First Name", "Mina")
    fill(page, contact, "Last Name", "Loddon")
    press(page, "OK", contact)
    contact.wait_for(state="hidden")
    grid = page.get_by_role("grid", name="Contacts", exact=True)
    assert "Mina Loddon" in grid.inner_text()
    assert page.get_by_role("status").inner_text() == ""
    found = rest.get("/suppliers", params={"q": f"Supplier='{name}'", "onlyData": "true"})
    (created,) = found.json()["items"]
    assert read(rest, created["SupplierId"])["changeRequests"]["items"] == []
