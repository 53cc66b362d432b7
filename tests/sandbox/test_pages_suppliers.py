"""The Suppliers and Supplier pages: search, Create Supplier, and the Profile, Addresses, Sites and
Contacts tabs, driven through headless Chromium and checked through the REST API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Locator, Page

from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    TIMEOUT_MS,
    add_session_cookie,
    choose,
    chromium,
    close_error_dialog,
    error_dialog,
    fill,
    inline_messages,
    open_page,
    path_of,
    wait_ready,
)

pytestmark = pytest.mark.browser

SUPPLIERS_PATH = "/fscmUI/redwood/suppliers/"
CORPORATE_BU = "NCC Corporate BU"
CHILDRENS_BU = "NCC Children's Services BU"
POZ_BILL_TO = "POZ-2130496"


@pytest.fixture(scope="module")
def signed_in(sandbox_server: SandboxProcess) -> Iterator[BrowserContext]:
    """One signed-in browser context for the module: its HTTP cache keeps JET's ~700 modules
    after the first page, which makes every later page load several times faster."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        add_session_cookie(context, sandbox_server)
        yield context
        context.close()


@pytest.fixture
def page(signed_in: BrowserContext) -> Iterator[Page]:
    fresh = signed_in.new_page()
    yield fresh
    fresh.close()


def unique(text: str) -> str:
    """A name no other test uses (the server is shared by the whole session)."""
    return f"{text} {uuid.uuid4().hex[:6].upper()}"


def taxpayer_id() -> str:
    return f"TX{uuid.uuid4().int % 10**8:08d}"


def supplier_by_id(rest: httpx.Client, supplier_id: int | str) -> dict[str, Any]:
    response = rest.get(
        f"/suppliers/{supplier_id}",
        params={"expand": "addresses,sites.assignments,contacts", "onlyData": "true"},
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def suppliers_named(rest: httpx.Client, name: str) -> list[dict[str, Any]]:
    response = rest.get("/suppliers", params={"q": f"Supplier='{name}'", "onlyData": "true"})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def only(child: dict[str, Any]) -> dict[str, Any]:
    items: list[dict[str, Any]] = child["items"]
    assert len(items) == 1, items
    return items[0]


def tick(page: Page, scope: Locator, label: str, checked: bool = True) -> None:
    """Set a JET checkbox. Its real input lies under JET's drawn box, which takes the click, so
    Playwright is told not to wait for the input itself to be the click target."""
    scope.get_by_role("checkbox", name=label, exact=True).set_checked(checked, force=True)
    wait_ready(page)


def press(page: Page, scope: Page | Locator, button: str) -> None:
    scope.get_by_role("button", name=button, exact=True).click()
    wait_ready(page)


def open_tab(page: Page, tab: str) -> None:
    page.get_by_role("tab", name=tab, exact=True).click()
    wait_ready(page, "supplier")


def open_supplier(page: Page, server: SandboxProcess, supplier_id: int | str) -> None:
    open_page(page, server, f"{SUPPLIERS_PATH}{supplier_id}", "supplier")


def drawer(page: Page, name: str) -> Locator:
    found = page.get_by_role("dialog", name=name, exact=True)
    found.wait_for()
    return found


def table_rows(page: Page, table: str) -> list[str]:
    grid = page.get_by_role("grid", name=table, exact=True)
    return [" ".join(t.split()) for t in grid.locator("tr[data-oj-key]").all_inner_texts()]


def seed_supplier(rest: httpx.Client) -> dict[str, Any]:
    """A supplier made through REST with an address, a site assigned to the Corporate BU and a
    contact, for the tests that edit what already exists."""
    body = {
        "Supplier": unique("Hethersett Glazing Ltd"),
        "SupplierType": "Supplier",
        "TaxpayerId": taxpayer_id(),
        "addresses": [
            {
                "AddressName": "Hethersett Office",
                "CountryCode": "GB",
                "AddressLine1": "2 Mill Lane",
                "City": "Hethersett",
                "County": "Norfolk",
                "PostalCode": "NR9 3AB",
                "AddressPurposeOrderingFlag": True,
            }
        ],
        "sites": [
            {
                "SupplierSite": "HG-HETHERSETT",
                "ProcurementBU": CORPORATE_BU,
                "SupplierAddressName": "Hethersett Office",
                "SitePurposePurchasingFlag": True,
                "SitePurposePayFlag": True,
                "assignments": [{"ClientBU": CORPORATE_BU, "BillToBU": CORPORATE_BU}],
            }
        ],
        "contacts": [
            {
                "FirstName": "Sophie",
                "LastName": "Pointer",
                "Email": "sophie.pointer@hethersettglazing.co.uk",
                "PhoneNumber": "01603 811200",
            }
        ],
    }
    response = rest.post("/suppliers", json=body)
    assert response.status_code == 201, response.text
    return supplier_by_id(rest, response.json()["SupplierId"])


def test_create_supplier_with_address_site_and_contact(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A supplier made entirely through the pages holds every typed value, as REST reads it."""
    name, tax_id = unique("Wensum Valley Joinery Ltd"), taxpayer_id()
    open_page(page, sandbox_server, SUPPLIERS_PATH, "suppliers")
    press(page, page, "Create Supplier")
    create = drawer(page, "Create Supplier")
    fill(page, create, "Supplier", name)
    choose(page, create, "Tax Organization Type", "Partnership")
    choose(page, create, "Supplier Type", "Contractor")
    choose(page, create, "Business Relationship", "Prospective")
    choose(page, create, "Tax Country", "Ireland")
    fill(page, create, "Taxpayer ID", tax_id)
    fill(page, create, "D-U-N-S Number", "214365870")
    with page.expect_navigation():
        create.get_by_role("button", name="Create", exact=True).click()
    wait_ready(page, "supplier")
    assert page.get_by_role("heading", level=1).inner_text() == f"Supplier: {name}"
    supplier_id = path_of(page).rsplit("/", 1)[-1]

    open_tab(page, "Addresses")
    press(page, page, "Create Address")
    address = drawer(page, "Address")
    fill(page, address, "Address Name", "Norwich Office")
    fill(page, address, "Address Line 1", "Unit 7, Hurricane Way")
    fill(page, address, "Address Line 2", "Airport Industrial Estate")
    fill(page, address, "City", "Norwich")
    fill(page, address, "County", "Norfolk")
    fill(page, address, "Postal Code", "NR6 6EY")
    tick(page, address, "Ordering")
    tick(page, address, "RFQ or Bidding")
    press(page, address, "OK")
    assert table_rows(page, "Addresses") == [
        "Norwich Office Unit 7, Hurricane Way, Airport Industrial Estate, Norwich, Norfolk, "
        "NR6 6EY United Kingdom Ordering, RFQ or Bidding Active"
    ]

    open_tab(page, "Sites")
    press(page, page, "Create Site")
    site = drawer(page, "Site")
    choose(page, site, "Procurement BU", CORPORATE_BU)
    choose(page, site, "Address Name", "Norwich Office")
    fill(page, site, "Site", "WVJ-NORWICH")
    for purpose in ("Purchasing", "Pay", "Primary Pay"):
        tick(page, site, purpose)
    choose(page, site, "Client BU", CHILDRENS_BU)
    choose(page, site, "Bill-to BU", CORPORATE_BU)
    press(page, site, "OK")
    assert table_rows(page, "Sites") == [
        f"WVJ-NORWICH {CORPORATE_BU} Norwich Office Purchasing, Pay, Primary Pay "
        f"{CHILDRENS_BU} Active"
    ]

    open_tab(page, "Contacts")
    press(page, page, "Create Contact")
    contact = drawer(page, "Contact")
    fill(page, contact, "First Name", "Amelia")
    fill(page, contact, "Last Name", "Kett")
    fill(page, contact, "Email", "amelia.kett@wensumvalleyjoinery.co.uk")
    fill(page, contact, "Phone", "01603 421876")
    press(page, contact, "OK")
    assert page.get_by_role("button", name="Edit Amelia Kett", exact=True).is_visible()

    saved = supplier_by_id(rest, supplier_id)
    assert {
        k: saved[k]
        for k in (
            "Supplier",
            "TaxOrganizationType",
            "SupplierType",
            "BusinessRelationship",
            "TaxpayerCountry",
            "TaxpayerId",
            "DUNSNumber",
            "Status",
            "InactiveDate",
        )
    } == {
        "Supplier": name,
        "TaxOrganizationType": "Partnership",
        "SupplierType": "Contractor",
        "BusinessRelationship": "Prospective",
        "TaxpayerCountry": "Ireland",
        "TaxpayerId": tax_id,
        "DUNSNumber": "214365870",
        "Status": "ACTIVE",
        "InactiveDate": None,
    }
    saved_address = only(saved["addresses"])
    assert {k: v for k, v in saved_address.items() if k != "SupplierAddressId"} == {
        "AddressName": "Norwich Office",
        "CountryCode": "GB",
        "Country": "United Kingdom",
        "AddressLine1": "Unit 7, Hurricane Way",
        "AddressLine2": "Airport Industrial Estate",
        "City": "Norwich",
        "County": "Norfolk",
        "PostalCode": "NR6 6EY",
        "AddressPurposeOrderingFlag": True,
        "AddressPurposeRemitToFlag": False,
        "AddressPurposeRFQOrBiddingFlag": True,
        "Status": "ACTIVE",
        "InactiveDate": None,
    }
    saved_site = only(saved["sites"])
    assert {
        k: saved_site[k]
        for k in (
            "SupplierSite",
            "ProcurementBU",
            "SupplierAddressId",
            "SitePurposePurchasingFlag",
            "SitePurposePayFlag",
            "SitePurposePrimaryPayFlag",
            "SitePurposeSourcingOnlyFlag",
            "SitePurposeProcurementCardFlag",
            "Status",
            "InactiveDate",
        )
    } == {
        "SupplierSite": "WVJ-NORWICH",
        "ProcurementBU": CORPORATE_BU,
        "SupplierAddressId": saved_address["SupplierAddressId"],
        "SitePurposePurchasingFlag": True,
        "SitePurposePayFlag": True,
        "SitePurposePrimaryPayFlag": True,
        "SitePurposeSourcingOnlyFlag": False,
        "SitePurposeProcurementCardFlag": False,
        "Status": "ACTIVE",
        "InactiveDate": None,
    }
    assignment = only(saved_site["assignments"])
    assert (assignment["ClientBU"], assignment["BillToBU"]) == (CHILDRENS_BU, CORPORATE_BU)
    saved_contact = only(saved["contacts"])
    assert {k: saved_contact[k] for k in ("FirstName", "LastName", "Email", "PhoneNumber")} == {
        "FirstName": "Amelia",
        "LastName": "Kett",
        "Email": "amelia.kett@wensumvalleyjoinery.co.uk",
        "PhoneNumber": "01603 421876",
    }


def test_edits_reach_the_server(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Editing a profile field, an address, a site's purposes and assignments and a contact's
    email through the pages changes exactly those values on the server."""
    supplier = seed_supplier(rest)
    open_supplier(page, sandbox_server, supplier["SupplierId"])

    assert page.get_by_label("Supplier Type", exact=True).inner_text() == "Supplier"
    press(page, page, "Edit")
    choose(page, page, "Supplier Type", "Services")
    fill(page, page, "D-U-N-S Number", "387654321")
    press(page, page, "Save")
    assert page.get_by_role("button", name="Edit", exact=True).is_visible()
    assert page.get_by_label("Supplier Type", exact=True).inner_text() == "Services"

    open_tab(page, "Addresses")
    press(page, page, "Edit Hethersett Office")
    address = drawer(page, "Address")
    assert address.get_by_label("City", exact=True).input_value() == "Hethersett"
    fill(page, address, "Postal Code", "NR9 3DL")
    tick(page, address, "Remit to")
    press(page, address, "OK")

    open_tab(page, "Sites")
    press(page, page, "Edit HG-HETHERSETT")
    site = drawer(page, "Site")
    assert site.get_by_role("checkbox", name="Purchasing", exact=True).is_checked()
    tick(page, site, "Purchasing", checked=False)
    tick(page, site, "Sourcing only")
    choose(page, site, "Client BU", CHILDRENS_BU)
    choose(page, site, "Bill-to BU", CORPORATE_BU)
    press(page, site, "OK")
    assert table_rows(page, "Sites") == [
        f"HG-HETHERSETT {CORPORATE_BU} Hethersett Office Pay, Sourcing only "
        f"{CORPORATE_BU}, {CHILDRENS_BU} Active"
    ]

    open_tab(page, "Contacts")
    press(page, page, "Edit Sophie Pointer")
    contact = drawer(page, "Contact")
    fill(page, contact, "Email", "accounts@hethersettglazing.co.uk")
    press(page, contact, "OK")

    saved = supplier_by_id(rest, supplier["SupplierId"])
    assert (saved["SupplierType"], saved["DUNSNumber"]) == ("Services", "387654321")
    assert (saved["Supplier"], saved["TaxpayerId"]) == (
        supplier["Supplier"],
        supplier["TaxpayerId"],
    )
    saved_address = only(saved["addresses"])
    assert saved_address["PostalCode"] == "NR9 3DL" and saved_address["City"] == "Hethersett"
    assert (
        saved_address["AddressPurposeRemitToFlag"] and saved_address["AddressPurposeOrderingFlag"]
    )
    saved_site = only(saved["sites"])
    assert not saved_site["SitePurposePurchasingFlag"] and saved_site["SitePurposeSourcingOnlyFlag"]
    assert saved_site["SitePurposePayFlag"]
    assert sorted((a["ClientBU"], a["BillToBU"]) for a in saved_site["assignments"]["items"]) == [
        (CHILDRENS_BU, CORPORATE_BU),
        (CORPORATE_BU, CORPORATE_BU),
    ]
    saved_contact = only(saved["contacts"])
    assert saved_contact["Email"] == "accounts@hethersettglazing.co.uk"
    assert saved_contact["FirstName"] == "Sophie"


def test_inactive_dates(page: Page, sandbox_server: SandboxProcess, rest: httpx.Client) -> None:
    """An Inactive Date typed on the Profile (DD/MM/YYYY) or a site (ISO) is saved; a past
    date makes the supplier Inactive on the page and in REST."""
    supplier = seed_supplier(rest)
    open_supplier(page, sandbox_server, supplier["SupplierId"])

    press(page, page, "Edit")
    fill(page, page, "Inactive Date", "31/03/2031")
    press(page, page, "Save")
    saved = supplier_by_id(rest, supplier["SupplierId"])
    assert (saved["InactiveDate"], saved["Status"]) == ("2031-03-31", "ACTIVE")
    assert page.locator("oj-c-badge").first.inner_text() == "Active"

    press(page, page, "Edit")
    fill(page, page, "Inactive Date", "2025-01-31")
    press(page, page, "Save")
    saved = supplier_by_id(rest, supplier["SupplierId"])
    assert (saved["InactiveDate"], saved["Status"]) == ("2025-01-31", "INACTIVE")
    assert page.locator("oj-c-badge").first.inner_text() == "Inactive"
    assert page.get_by_label("Inactive Date", exact=True).inner_text() == "31/01/2025"

    open_tab(page, "Sites")
    press(page, page, "Edit HG-HETHERSETT")
    fill(page, drawer(page, "Site"), "Inactive Date", "2030-06-30")
    press(page, drawer(page, "Site"), "OK")
    assert (
        only(supplier_by_id(rest, supplier["SupplierId"])["sites"])["InactiveDate"] == "2030-06-30"
    )
    assert "30/06/2030" in table_rows(page, "Sites")[0]


def test_duplicate_name_and_taxpayer_id_are_refused(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Create Supplier with another supplier's name or taxpayer ID shows Oracle's message in the
    error dialog, keeps what was typed and creates nothing."""
    existing = seed_supplier(rest)
    open_page(page, sandbox_server, SUPPLIERS_PATH, "suppliers")
    press(page, page, "Create Supplier")
    create = drawer(page, "Create Supplier")
    fill(page, create, "Supplier", existing["Supplier"].upper())
    fill(page, create, "Taxpayer ID", taxpayer_id())
    create.get_by_role("button", name="Create", exact=True).click()
    message = close_error_dialog(page)
    assert message == f"A supplier named {existing['Supplier'].upper()} already exists."
    assert create.get_by_label("Supplier", exact=True).input_value() == existing["Supplier"].upper()

    new_name = unique("Salhouse Road Motors Ltd")
    fill(page, create, "Supplier", new_name)
    fill(page, create, "Taxpayer ID", existing["TaxpayerId"])
    create.get_by_role("button", name="Create", exact=True).click()
    message = close_error_dialog(page)
    assert message == (
        f"The taxpayer ID {existing['TaxpayerId']} is already used by supplier "
        f"{existing['Supplier']}."
    )
    assert create.is_visible() and path_of(page) == SUPPLIERS_PATH
    assert suppliers_named(rest, new_name) == []
    assert suppliers_named(rest, existing["Supplier"].upper()) == []


def test_missing_bill_to_bu_and_required_fields(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Empty required fields are marked inline and nothing is sent; a Client BU without a
    Bill-to BU is refused by the server (POZ-2130496) in the error dialog, with no site made."""
    supplier = seed_supplier(rest)
    open_page(page, sandbox_server, SUPPLIERS_PATH, "suppliers")
    press(page, page, "Create Supplier")
    create = drawer(page, "Create Supplier")
    press(page, create, "Create")
    assert inline_messages(create) != [] and error_dialog(page).count() == 0
    press(page, create, "Cancel")

    open_supplier(page, sandbox_server, supplier["SupplierId"])
    open_tab(page, "Sites")
    press(page, page, "Create Site")
    site = drawer(page, "Site")
    press(page, site, "OK")
    assert len(inline_messages(site)) == 3  # Procurement BU, Address Name, Site
    choose(page, site, "Procurement BU", CHILDRENS_BU)
    choose(page, site, "Address Name", "Hethersett Office")
    fill(page, site, "Site", "HG-CHILDRENS")
    tick(page, site, "Purchasing")
    choose(page, site, "Client BU", CHILDRENS_BU)
    press(page, site, "OK")
    assert close_error_dialog(page).startswith(POZ_BILL_TO)
    assert site.get_by_label("Site", exact=True).input_value() == "HG-CHILDRENS"
    assert len(supplier_by_id(rest, supplier["SupplierId"])["sites"]["items"]) == 1


def test_search_by_name_and_number(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Search finds a supplier by part of its name (any case) and by its number; the Supplier
    link opens its page."""
    supplier = seed_supplier(rest)
    open_page(page, sandbox_server, SUPPLIERS_PATH, "suppliers")
    search = page.get_by_role("region", name="Search suppliers")

    fill(page, search, "Supplier", supplier["Supplier"].split()[-1].lower())
    press(page, search, "Search")
    rows = table_rows(page, "Suppliers")
    assert len(rows) == 1
    assert rows[0].startswith(
        f"{supplier['Supplier']} {supplier['SupplierNumber']} "
        f"{supplier['TaxpayerId']} Supplier Active"
    )

    fill(page, search, "Supplier", supplier["SupplierNumber"])
    page.get_by_label("Supplier", exact=True).press("Enter")
    wait_ready(page, "suppliers")
    rows = table_rows(page, "Suppliers")
    assert len(rows) == 1 and rows[0].startswith(supplier["Supplier"])
    with page.expect_navigation():
        page.get_by_role("link", name=supplier["Supplier"], exact=True).click()
    wait_ready(page, "supplier")
    assert page.get_by_role("heading", level=1).inner_text() == f"Supplier: {supplier['Supplier']}"
