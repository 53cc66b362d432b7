"""The "redwood-alt" UI variant in Chromium: what its pages' scripts and JET show.

The texts the server puts into the pages are checked over HTTP (test_server_variants.py); here
are the ones only a browser shows: JET's "no matches" wording, the Supplier list's option texts,
the NCC order number in the heading and the submit confirmation, and the supplier page's
heading and tab. The alt server is the session's ``alt_sandbox_server`` (tests/conftest.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page

from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    ORDERS_PATH,
    answer,
    choose,
    chromium,
    combo_text,
    field_names,
    fill,
    header_id_of,
    new_page,
    offered,
    open_page,
    order_path,
    wait_ready,
)

pytestmark = pytest.mark.browser

HIGHWAYS_BU = "NCC Highways BU"
SUPPLIERS_PATH = "/fscmUI/redwood/suppliers/"


@pytest.fixture
def alt_server(alt_sandbox_server: SandboxProcess) -> SandboxProcess:
    """The session's redwood-alt sandbox (tests/conftest.py)."""
    return alt_sandbox_server


@pytest.fixture
def alt_rest(alt_server: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=alt_server.rest_base,
        auth=(alt_server.username, alt_server.password),
        timeout=30.0,
        trust_env=False,
    ) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, alt_server: SandboxProcess) -> Iterator[Page]:
    with new_page(browser, alt_server) as signed_in:
        yield signed_in


def open_create_order(page: Page, server: SandboxProcess, *, variant: str) -> Locator:
    """The work area's create drawer, by the variant's button and drawer names."""
    button, name = {
        "redwood": ("Create Purchase Order", "New purchase order"),
        "redwood-alt": ("Create Order", "Create Order"),
    }[variant]
    open_page(page, server, ORDERS_PATH, "purchase-orders")
    page.get_by_role("button", name=button, exact=True).click()
    drawer = page.get_by_role("dialog", name=name, exact=True)
    drawer.wait_for()
    wait_ready(page, "purchase-orders")
    return drawer


def no_matches_text(page: Page, scope: Locator, label: str, text: str) -> str:
    """Type ``text`` (which nothing matches) into the list ``label``; return what its dropdown
    (the element the combobox names in aria-controls) says, whitespace collapsed."""
    combo = scope.get_by_role("combobox", name=label, exact=True)
    combo.click()
    combo.fill(text)
    wait_ready(page)
    dropdown = page.locator(f'[id="{combo.get_attribute("aria-controls")}"]')
    shown = " ".join(dropdown.inner_text().split())
    combo.press("Escape")
    wait_ready(page)
    return shown


def test_alt_lists_say_no_matches_found_without_a_full_stop(
    page: Page, alt_server: SandboxProcess
) -> None:
    """Every list of values in redwood-alt says legacy JET's "No matches found" (no stop)."""
    drawer = open_create_order(page, alt_server, variant="redwood-alt")
    for label in ("Supplier", "Procurement Business Unit", "Document Style"):
        assert no_matches_text(page, drawer, label, "Nothing like this zq") == "No matches found"


def test_redwood_lists_keep_jets_own_no_matches_text(
    browser: Browser, sandbox_server: SandboxProcess
) -> None:
    """The default variant shows JET's Core Pack text unchanged: "No matches found."."""
    with new_page(browser, sandbox_server) as page:
        drawer = open_create_order(page, sandbox_server, variant="redwood")
        assert no_matches_text(page, drawer, "Supplier", "Nothing like this zq") == (
            "No matches found."
        )


def test_alt_supplier_options_read_name_and_number(page: Page, alt_server: SandboxProcess) -> None:
    """The Supplier list's options are "<name> <number>"; typing the name, the number or the
    whole option text finds them. The other lists keep their bare names."""
    drawer = open_create_order(page, alt_server, variant="redwood-alt")
    anglia = offered(page, drawer, "Supplier", "Anglia")
    assert "Anglia Care Partnership Limited 30007" in anglia
    assert "Anglia Office Supplies Ltd 30063" in anglia
    assert all(re.fullmatch(r".+ \d+", option) for option in anglia), anglia
    assert offered(page, drawer, "Supplier", "30007") == ["Anglia Care Partnership Limited 30007"]
    assert offered(page, drawer, "Supplier", "anglia care partnership limited 30007") == [
        "Anglia Care Partnership Limited 30007"
    ]
    assert offered(page, drawer, "Procurement Business Unit", "Highways") == [HIGHWAYS_BU]
    assert offered(page, drawer, "Ship-to Location", "DEREHAM") == ["NCC-DEREHAM-DEPOT"]

    choose(page, drawer, "Supplier", "Anglia Care Partnership Limited 30007")
    assert combo_text(drawer, "Supplier") == "Anglia Care Partnership Limited 30007"


def test_alt_order_is_numbered_ncc_from_create_to_submit(
    page: Page, alt_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    """An order made in redwood-alt's pages: the drawer's eight fields with the alt labels, the
    order page at the pod URL with the heading "Purchase Order: NCC…", Description saved in its
    header, Add Row / Create Line with the alt line labels, the schedule and the distribution
    ("Charge Account") edited on their tabs, and the confirmation "Purchase order NCC… has been
    submitted."."""
    description = f"Alt variant order {uuid.uuid4().hex[:8].upper()}"
    drawer = open_create_order(page, alt_server, variant="redwood-alt")
    assert field_names(drawer) == [
        "Document Style",
        "Procurement Business Unit",
        "Requisitioning Business Unit",
        "Supplier",
        "Supplier Site",
        "Supplier Contact",
        "Currency",
        "Ship-to Location",
    ]
    choose(page, drawer, "Procurement Business Unit", HIGHWAYS_BU)
    assert combo_text(drawer, "Requisitioning Business Unit") == HIGHWAYS_BU
    choose(page, drawer, "Supplier", "Broadland Highways Maintenance Ltd 30001")
    choose(page, drawer, "Supplier Site", "BHM-NORWICH")
    choose(page, drawer, "Ship-to Location", "NCC-DEREHAM-DEPOT")
    with page.expect_navigation():
        drawer.get_by_role("button", name="Create", exact=True).click()
    wait_ready(page, "purchase-order")

    header_id = header_id_of(page)
    assert page.url == alt_server.base_url + order_path(header_id)
    order: dict[str, Any] = alt_rest.get(f"purchaseOrders/{header_id}").json()
    number = order["OrderNumber"]
    assert re.fullmatch(r"NCC\d{7}", number), number
    assert page.get_by_role("heading", level=1).inner_text() == f"Purchase Order: {number}"

    fill(page, page, "Description", description)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="was saved.").wait_for()
    wait_ready(page, "purchase-order")
    assert alt_rest.get(f"purchaseOrders/{header_id}").json()["Description"] == description

    page.get_by_role("button", name="Add Row", exact=True).click()
    line = page.get_by_role("dialog", name="Create Line", exact=True)
    line.wait_for()
    wait_ready(page, "purchase-order")
    assert field_names(line) == [
        "Line Type", "Item", "Description", "Category", "Quantity", "UOM Name", "Unit Price"
    ]  # fmt: skip
    fill(page, line, "Description", "Traffic cone, 750 mm")
    choose(page, line, "Category", "Highways")
    fill(page, line, "Quantity", "12")
    choose(page, line, "UOM Name", "Each")
    fill(page, line, "Unit Price", "7.9")
    line.get_by_role("button", name="OK", exact=True).click()
    line.wait_for(state="hidden")
    wait_ready(page, "purchase-order")

    page.get_by_role("tab", name="Schedules", exact=True).click()
    wait_ready(page, "purchase-order")
    page.get_by_role("button", name="Edit schedule 1-1", exact=True).click()
    schedule = page.get_by_role("dialog", name="Edit Schedule", exact=True)
    schedule.wait_for()
    wait_ready(page, "purchase-order")
    assert combo_text(schedule, "Ship-to Location") == "NCC-DEREHAM-DEPOT"
    fill(page, schedule, "Need-by Date", (date.today() + timedelta(days=14)).strftime("%d/%m/%Y"))
    schedule.get_by_role("button", name="OK", exact=True).click()
    schedule.wait_for(state="hidden")
    wait_ready(page, "purchase-order")

    page.get_by_role("tab", name="Distributions", exact=True).click()
    wait_ready(page, "purchase-order")
    page.get_by_role("button", name="Edit distribution 1-1-1", exact=True).click()
    distribution = page.get_by_role("dialog", name="Edit Distribution", exact=True)
    distribution.wait_for()
    wait_ready(page, "purchase-order")
    assert field_names(distribution) == ["Charge Account", "Deliver-to Location", "Requester"]
    fill(page, distribution, "Charge Account", "1000-CC123-5100-000")
    distribution.get_by_role("button", name="OK", exact=True).click()
    distribution.wait_for(state="hidden")
    wait_ready(page, "purchase-order")

    page.get_by_role("button", name="Submit", exact=True).click()
    confirmation = f"Purchase order {number} has been submitted."
    page.get_by_role("status").filter(has_text=confirmation).wait_for()
    wait_ready(page, "purchase-order")
    assert page.get_by_role("status").inner_text() == confirmation
    submitted = alt_rest.get(f"purchaseOrders/{header_id}").json()
    assert (submitted["OrderNumber"], submitted["Status"]) == (number, "Open")

    # The work area lists it by the same number, linked to the pod-shaped order page.
    open_page(page, alt_server, ORDERS_PATH, "purchase-orders")
    fill(page, page.locator("#sbx-po-search"), "Order", number)
    page.get_by_role("button", name="Search", exact=True).click()
    wait_ready(page, "purchase-orders")
    link = page.get_by_role("grid", name="Purchase orders").get_by_role("link", name=number)
    assert link.get_attribute("href") == order_path(header_id)


def test_alt_delete_asks_with_the_same_dialog(
    page: Page, alt_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    """redwood-alt's Delete asks in the same "Delete Order" dialog, with Yes and No."""
    created = alt_rest.post(
        "draftPurchaseOrders",
        json={
            "ProcurementBU": HIGHWAYS_BU,
            "Supplier": "Broadland Highways Maintenance Ltd",
            "SupplierSite": "BHM-NORWICH",
        },
    ).json()
    open_page(page, alt_server, order_path(created["POHeaderId"]), "purchase-order")
    page.get_by_role("button", name="Delete", exact=True).click()
    with page.expect_navigation():
        assert answer(page, "Delete Order", "Yes") == (
            f"Purchase order {created['OrderNumber']} will be deleted. Do you want to continue?"
        )
    wait_ready(page, "purchase-orders")
    assert alt_rest.get(f"purchaseOrders/{created['POHeaderId']}").status_code == 404


def test_alt_supplier_pages_use_the_alt_wording(
    page: Page, alt_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    """Heading "Supplier Profile: <name>", tab "Organization Details" with "Tax Organisation
    Type" and "DUNS Number", the Address drawer's "Postcode", and the Create Supplier drawer."""
    supplier = alt_rest.get("suppliers", params={"q": "SupplierNumber='30007'"}).json()["items"][0]
    open_page(page, alt_server, f"{SUPPLIERS_PATH}{supplier['SupplierId']}", "supplier")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Supplier Profile: {supplier['Supplier']}"
    tab = page.get_by_role("tab", name="Organization Details", exact=True)
    assert tab.get_attribute("aria-selected") == "true"
    assert page.get_by_role("tab", name="Profile", exact=True).count() == 0
    assert (
        page.get_by_label("Tax Organisation Type", exact=True).inner_text()
        == (supplier["TaxOrganizationType"])
    )
    assert page.get_by_label("DUNS Number", exact=True).count() == 1

    page.get_by_role("tab", name="Addresses", exact=True).click()
    wait_ready(page, "supplier")
    page.get_by_role("button", name="Create Address", exact=True).click()
    address = page.get_by_role("dialog", name="Address", exact=True)
    address.wait_for()
    wait_ready(page, "supplier")
    assert address.get_by_label("Postcode", exact=True).count() == 1
    assert address.get_by_label("Postal Code", exact=True).count() == 0
    address.get_by_role("button", name="Cancel", exact=True).click()

    open_page(page, alt_server, SUPPLIERS_PATH, "suppliers")
    page.get_by_role("button", name="Create Supplier", exact=True).click()
    create = page.get_by_role("dialog", name="Create Supplier", exact=True)
    create.wait_for()
    wait_ready(page, "suppliers")
    assert combo_text(create, "Tax Organisation Type") == "Corporation"
    assert create.get_by_label("DUNS Number", exact=True).count() == 1
