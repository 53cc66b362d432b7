"""The Purchase Orders and Purchase order pages, driven in Chromium and checked through REST."""

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
    choose,
    chromium,
    close_error_dialog,
    combo_text,
    error_dialog,
    fill,
    header_id_of,
    inline_messages,
    new_page,
    offered,
    open_page,
    order_path,
    path_of,
    wait_ready,
)

pytestmark = pytest.mark.browser

HIGHWAYS_BU = "NCC Highways BU"
CHILDRENS_BU = "NCC Children's Services BU"
SUPPLIER = "Broadland Highways Maintenance Ltd"
SITE = "BHM-NORWICH"
ACCOUNT = "1000-CC123-5100-000"
DISABLED_ACCOUNT = "1000-CC150-5100-000"
CONFIRMATION = re.compile(r"^Purchase order (\d+) was submitted for approval\.$")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, sandbox_server: SandboxProcess) -> Iterator[Page]:
    with new_page(browser, sandbox_server) as signed_in:
        yield signed_in


def tag() -> str:
    return uuid.uuid4().hex[:8].upper()


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def create_draft(
    rest: httpx.Client,
    description: str,
    lines: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An Incomplete order made through REST, as test data for a page."""
    body: dict[str, Any] = {
        "ProcurementBU": HIGHWAYS_BU,
        "Supplier": SUPPLIER,
        "SupplierSite": SITE,
        "Description": description,
    }
    if lines:
        body["lines"] = lines
    response = rest.post("draftPurchaseOrders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def rest_line(price: float, quantity: float = 1) -> dict[str, Any]:
    return {
        "LineType": "Goods",
        "Description": "Traffic cone, 750 mm",
        "Category": "Highways",
        "UOMCode": "EA",
        "Quantity": quantity,
        "Price": price,
        "NeedByDate": (date.today() + timedelta(days=20)).isoformat(),
        "POChargeAccount": ACCOUNT,
    }


def read_order(rest: httpx.Client, header_id: int) -> dict[str, Any]:
    response = rest.get(
        f"purchaseOrders/{header_id}",
        params={
            "expand": "lines,lines.schedules,lines.schedules.distributions",
            "onlyData": "true",
        },
    )
    assert response.status_code == 200, response.text
    order: dict[str, Any] = response.json()
    return order


def open_order(page: Page, server: SandboxProcess, header_id: int) -> None:
    open_page(page, server, order_path(header_id), "purchase-order")


def open_new_order_drawer(page: Page) -> Locator:
    page.get_by_role("button", name="Create Purchase Order").click()
    drawer = page.get_by_role("dialog", name="New purchase order")
    drawer.wait_for()
    wait_ready(page, "purchase-orders")
    return drawer


def open_add_line(page: Page) -> Locator:
    page.get_by_role("button", name="Add Line").click()
    drawer = page.get_by_role("dialog", name="Add line")
    drawer.wait_for()
    wait_ready(page, "purchase-order")
    return drawer


def fill_line(
    page: Page,
    drawer: Locator,
    *,
    description: str = "Traffic cone, 750 mm",
    quantity: str = "12",
    price: str = "7.9",
    need_by: str | None = None,
    account: str = ACCOUNT,
) -> None:
    """Fill a description-based line (no item) in the Add line drawer."""
    fill(page, drawer, "Description", description)
    choose(page, drawer, "Category", "Highways")
    fill(page, drawer, "Quantity", quantity)
    choose(page, drawer, "UOM", "Each")
    fill(page, drawer, "Price", price)
    fill(page, drawer, "Need-by Date", need_by or uk(date.today() + timedelta(days=14)))
    choose(page, drawer, "Ship-to Location", "NCC-DEREHAM-DEPOT")
    fill(page, drawer, "PO Charge Account", account)


def subset(record: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The record's values for the keys of ``expected`` (so a comparison shows every difference)."""
    return {key: record.get(key) for key in expected}


def rows(page: Page, grid_name: str) -> list[list[str]]:
    grid = page.get_by_role("grid", name=grid_name)
    return [
        [" ".join(c.split()) for c in row.locator("td, th").all_inner_texts()]
        for row in grid.locator("tr[data-oj-key]").all()
    ]


def test_create_and_submit_an_order_with_two_lines(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """An order made only through the pages (an item line and a text line) is stored as typed."""
    description = f"Winter service stock {tag()}"
    suppliers = rest.get("suppliersLOV", params={"q": f"Supplier='{SUPPLIER}'"}).json()
    supplier_id = suppliers["items"][0]["SupplierId"]
    contacts = rest.get("supplierContactsLOV", params={"q": f"SupplierId={supplier_id}"}).json()
    contact = contacts["items"][0]["SupplierContact"]
    first_need_by = date.today() + timedelta(days=30)
    second_need_by = date.today() + timedelta(days=45)

    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    assert combo_text(drawer, "Document Style") == "Standard Purchase Order"
    assert combo_text(drawer, "Currency") == "GBP"
    choose(page, drawer, "Procurement BU", HIGHWAYS_BU)
    assert combo_text(drawer, "Requisitioning BU") == HIGHWAYS_BU
    choose(page, drawer, "Supplier", SUPPLIER)
    choose(page, drawer, "Supplier Site", SITE)
    choose(page, drawer, "Supplier Contact", contact)
    choose(page, drawer, "Default Ship-to Location", "NCC-DEREHAM-DEPOT")
    choose(page, drawer, "Buyer", "Patel, Ravi")
    fill(page, drawer, "Description", description)
    with page.expect_navigation():
        drawer.get_by_role("button", name="Create").click()
    wait_ready(page, "purchase-order")
    heading = page.get_by_role("heading", level=1).inner_text()
    number = heading.removeprefix("Purchase Order ")
    assert re.fullmatch(r"\d+", number), heading
    assert page.locator("oj-c-badge").first.inner_text() == "Incomplete"
    header_id = header_id_of(page)

    # Line 1: an item line; choosing the item fills description, category and UOM.
    drawer = open_add_line(page)
    choose(page, drawer, "Item", "NCC-HW-0002")
    assert drawer.get_by_label("Description", exact=True).input_value() == "Road salt, brown rock"
    assert combo_text(drawer, "Category") == "Highways"
    assert combo_text(drawer, "UOM") == "Tonne"
    fill(page, drawer, "Quantity", "40")
    fill(page, drawer, "Price", "61.5")
    fill(page, drawer, "Need-by Date", uk(first_need_by))
    assert combo_text(drawer, "Ship-to Location") == "NCC-DEREHAM-DEPOT"
    fill(page, drawer, "PO Charge Account", "1000-CC126-5100-000")
    choose(page, drawer, "Deliver-to Location", "NCC-AYLSHAM-DEPOT")
    choose(page, drawer, "Requester", "Thompson, Ian")
    drawer.get_by_role("button", name="OK").click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")

    # Line 2: a services line with no item, the date typed the ISO way.
    drawer = open_add_line(page)
    choose(page, drawer, "Line Type", "Services")
    fill(page, drawer, "Description", "Gully emptying, overnight crew")
    choose(page, drawer, "Category", "Highways")
    fill(page, drawer, "Quantity", "2")
    choose(page, drawer, "UOM", "Day")
    fill(page, drawer, "Price", "850")
    fill(page, drawer, "Need-by Date", second_need_by.isoformat())
    fill(page, drawer, "PO Charge Account", ACCOUNT)
    drawer.get_by_role("button", name="OK").click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")

    assert rows(page, "Lines") == [
        [
            "1",
            "Goods",
            "NCC-HW-0002",
            "Road salt, brown rock",
            "Highways",
            "40",
            "Tonne",
            "61.50",
            "2,460.00",
        ],
        [
            "2",
            "Services",
            "",
            "Gully emptying, overnight crew",
            "Highways",
            "2",
            "Day",
            "850.00",
            "1,700.00",
        ],
    ]
    page.get_by_role("tab", name="Distributions").click()
    wait_ready(page, "purchase-order")
    assert [r[4] for r in rows(page, "Distributions")] == ["1000-CC126-5100-000", ACCOUNT]

    page.get_by_role("button", name="Submit").click()
    status = page.get_by_role("status").filter(has_text=CONFIRMATION)
    status.wait_for()
    wait_ready(page, "purchase-order")
    assert status.inner_text() == f"Purchase order {number} was submitted for approval."
    assert page.locator("oj-c-badge").first.inner_text() == "Open"

    order = read_order(rest, header_id)
    expected_header = {
        "OrderNumber": number, "Status": "Open", "Description": description,
        "ProcurementBU": HIGHWAYS_BU, "RequisitioningBU": HIGHWAYS_BU, "Supplier": SUPPLIER,
        "SupplierSite": SITE, "SupplierContact": contact, "CurrencyCode": "GBP",
        "DocumentStyle": "Standard Purchase Order", "ShipToLocationCode": "NCC-DEREHAM-DEPOT",
        "Buyer": "Patel, Ravi", "Total": 4160.0,
    }  # fmt: skip
    assert subset(order, expected_header) == expected_header
    first, second = order["lines"]["items"]
    expected_lines = [
        {"LineNumber": 1, "LineType": "Goods", "Item": "NCC-HW-0002",
         "Description": "Road salt, brown rock", "Category": "Highways", "Quantity": 40,
         "UOMCode": "TNE", "UOM": "Tonne", "Price": 61.5, "Amount": 2460.0},
        {"LineNumber": 2, "LineType": "Services", "Item": None,
         "Description": "Gully emptying, overnight crew", "Category": "Highways", "Quantity": 2,
         "UOMCode": "DAY", "UOM": "Day", "Price": 850, "Amount": 1700.0},
    ]  # fmt: skip
    assert [subset(first, expected_lines[0]), subset(second, expected_lines[1])] == expected_lines
    for line, need_by, deliver_to, requester, account in (
        (first, first_need_by, "NCC-AYLSHAM-DEPOT", "Thompson, Ian", "1000-CC126-5100-000"),
        (second, second_need_by, "NCC-DEREHAM-DEPOT", None, ACCOUNT),
    ):
        [schedule] = line["schedules"]["items"]
        expected_schedule = {
            "ScheduleNumber": 1, "Quantity": line["Quantity"], "NeedByDate": need_by.isoformat(),
            "ShipToLocationCode": "NCC-DEREHAM-DEPOT", "DestinationTypeCode": "EXPENSE",
        }  # fmt: skip
        assert subset(schedule, expected_schedule) == expected_schedule
        [distribution] = schedule["distributions"]["items"]
        expected_distribution = {
            "DistributionNumber": 1, "Quantity": line["Quantity"], "POChargeAccount": account,
            "DeliverToLocationCode": deliver_to, "Requester": requester,
        }  # fmt: skip
        assert subset(distribution, expected_distribution) == expected_distribution


def test_quantity_and_price_must_be_greater_than_zero(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Quantity 0 and a negative price are refused inline; nothing reaches the server."""
    order = create_draft(rest, f"Inline checks {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    fill_line(page, drawer, quantity="0", price="-5")
    drawer.get_by_role("button", name="OK").click()
    wait_ready(page, "purchase-order")

    messages = inline_messages(drawer)
    assert any("Quantity must be greater than zero." in m for m in messages), messages
    assert any("Price must be greater than zero." in m for m in messages), messages
    assert drawer.is_visible()
    assert read_order(rest, order["POHeaderId"])["lines"]["items"] == []


def test_required_fields_are_flagged_inline(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Empty required fields are marked on the field and neither drawer saves anything."""
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    choose(page, drawer, "Procurement BU", HIGHWAYS_BU)
    drawer.get_by_role("button", name="Create").click()
    wait_ready(page, "purchase-orders")
    labels = {m.split(" Select a value.")[0] for m in inline_messages(drawer)}
    assert labels == {"Supplier", "Supplier Site"}
    assert drawer.is_visible()
    assert path_of(page) == ORDERS_PATH

    order = create_draft(rest, f"Required checks {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    fill(page, drawer, "Description", "Traffic cone, 750 mm")
    fill(page, drawer, "Quantity", "3")
    drawer.get_by_role("button", name="OK").click()
    wait_ready(page, "purchase-order")
    flagged = {
        m.split(" Select a value.")[0].split(" Enter a value.")[0] for m in inline_messages(drawer)
    }
    assert flagged == {
        "Category",
        "UOM",
        "Price",
        "Need-by Date",
        "Ship-to Location",
        "PO Charge Account",
    }
    assert read_order(rest, order["POHeaderId"])["lines"]["items"] == []


def test_invalid_charge_account_shows_oracle_message_and_keeps_the_line(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A disabled charge account is refused in the error dialog; fixing it saves the line."""
    order = create_draft(rest, f"Account check {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    fill_line(page, drawer, account=DISABLED_ACCOUNT)
    drawer.get_by_role("button", name="OK").click()

    message = close_error_dialog(page)
    assert f"The account {DISABLED_ACCOUNT} isn't a valid account combination" in message
    assert drawer.is_visible()
    assert drawer.get_by_label("PO Charge Account", exact=True).input_value() == DISABLED_ACCOUNT
    assert drawer.get_by_label("Description", exact=True).input_value() == "Traffic cone, 750 mm"
    assert read_order(rest, order["POHeaderId"])["lines"]["items"] == []

    fill(page, drawer, "PO Charge Account", ACCOUNT)
    drawer.get_by_role("button", name="OK").click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")
    [line] = read_order(rest, order["POHeaderId"])["lines"]["items"]
    assert line["schedules"]["items"][0]["distributions"]["items"][0]["POChargeAccount"] == ACCOUNT


def test_need_by_date_in_the_past_is_refused(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A need-by date before today is refused with Oracle's message in the error dialog."""
    order = create_draft(rest, f"Date check {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    yesterday = date.today() - timedelta(days=1)
    fill_line(page, drawer, need_by=uk(yesterday))
    drawer.get_by_role("button", name="OK").click()

    message = close_error_dialog(page)
    assert f"The need-by date {yesterday.isoformat()} is in the past" in message
    assert drawer.is_visible()
    assert read_order(rest, order["POHeaderId"])["lines"]["items"] == []


def usable_sites(rest: httpx.Client, supplier: str, bu: str) -> list[str]:
    """Sites an order for ``bu`` may use, worked out from the supplier's own records."""
    found = rest.get(
        "suppliers", params={"q": f"Supplier='{supplier}'", "expand": "sites", "onlyData": "true"}
    ).json()["items"][0]
    usable = []
    for site in found["sites"]["items"]:
        assignments = rest.get(
            f"suppliers/{found['SupplierId']}/child/sites/{site['SupplierSiteId']}"
            "/child/assignments",
            params={"onlyData": "true"},
        ).json()["items"]
        if (
            site["SitePurposePurchasingFlag"]
            and site["Status"] == "ACTIVE"
            and any(a["ClientBU"] == bu and a["Status"] == "ACTIVE" for a in assignments)
        ):
            usable.append(site["SupplierSite"])
    return sorted(usable)


def test_supplier_site_list_offers_only_sites_usable_for_the_bu(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Supplier Site follows Supplier and BU: no pay-only, inactive or unassigned sites offered."""
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    cases = [
        (SUPPLIER, HIGHWAYS_BU),
        (SUPPLIER, CHILDRENS_BU),  # highways suppliers serve no schools
        ("Norwich Facilities Services Ltd", "NCC Corporate BU"),  # a pay-only and a closed site
        ("Tombland Chambers LLP", "NCC Corporate BU"),  # no purchasing site at all
    ]
    for supplier, bu in cases:
        drawer = open_new_order_drawer(page)
        choose(page, drawer, "Procurement BU", bu)
        choose(page, drawer, "Supplier", supplier)
        assert offered(page, drawer, "Supplier Site", "") == usable_sites(rest, supplier, bu), (
            supplier,
            bu,
        )
        drawer.get_by_role("button", name="Cancel").click()
        drawer.wait_for(state="hidden")
    assert usable_sites(rest, SUPPLIER, CHILDRENS_BU) == []
    assert usable_sites(rest, "Norwich Facilities Services Ltd", "NCC Corporate BU") == [
        "NFS-NORWICH"
    ]


def test_inactive_supplier_is_not_offered(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """An inactive supplier cannot be chosen on a new order; active ones can."""
    inactive = rest.get("suppliers", params={"q": "Status='INACTIVE'", "onlyData": "true"}).json()
    name = inactive["items"][0]["Supplier"]
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    assert offered(page, drawer, "Supplier", name) == []
    assert offered(page, drawer, "Supplier", SUPPLIER) == [SUPPLIER]


def test_server_error_shows_dialog_and_keeps_the_drawer_input(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A 503 on OK shows the error dialog; the drawer keeps its input and OK works afterwards."""
    order = create_draft(rest, f"Outage {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    fill_line(page, drawer, description="Kerb, precast concrete", quantity="30", price="9.2")

    sandbox_server.set_faults(fault_rate=1.0, fault_statuses=[503])
    try:
        drawer.get_by_role("button", name="OK").click()
        message = close_error_dialog(page)
    finally:
        sandbox_server.restore_faults()
    assert message == "The server returned an error (HTTP 503). Try again."
    assert drawer.is_visible()
    assert drawer.get_by_label("Description", exact=True).input_value() == "Kerb, precast concrete"
    assert drawer.get_by_label("Quantity", exact=True).input_value() == "30"
    assert combo_text(drawer, "Category") == "Highways"
    assert read_order(rest, order["POHeaderId"])["lines"]["items"] == []

    drawer.get_by_role("button", name="OK").click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")
    [line] = read_order(rest, order["POHeaderId"])["lines"]["items"]
    assert (line["Description"], line["Quantity"], line["Price"]) == (
        "Kerb, precast concrete",
        30,
        9.2,
    )


def search(
    page: Page,
    *,
    order: str = "",
    supplier: str = "",
    description: str = "",
    status: str | None = None,
) -> list[list[str]]:
    """Reset, fill the given search fields, Search, and return the result rows' texts."""
    page.get_by_role("button", name="Reset").click()
    wait_ready(page, "purchase-orders")
    fill(page, page, "Order", order)
    fill(page, page, "Supplier", supplier)
    fill(page, page, "Description", description)
    if status:
        choose(page, page, "Status", status)
    page.get_by_role("button", name="Search").click()
    wait_ready(page, "purchase-orders")
    return rows(page, "Purchase orders")


def test_search_by_order_supplier_description_and_status(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Each search field narrows the results on the server; Reset shows all orders again."""
    marker = tag()
    draft = create_draft(rest, f"Search draft {marker}")
    submitted = create_draft(rest, f"Search submitted {marker}", [rest_line(price=14.8)])
    response = rest.post(
        f"draftPurchaseOrders/{submitted['POHeaderId']}/action/submit",
        json={},
        headers={"Content-Type": "application/vnd.oracle.adf.action+json"},
    )
    assert response.status_code == 200, response.text
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")

    found = search(page, description=marker.lower())
    assert sorted(r[0] for r in found) == sorted([draft["OrderNumber"], submitted["OrderNumber"]])
    assert {r[2] for r in found} == {SUPPLIER}

    found = search(page, description=marker, status="Open")
    assert [(r[0], r[5]) for r in found] == [(submitted["OrderNumber"], "Open")]

    found = search(page, order=draft["OrderNumber"])
    assert [(r[0], r[1], r[5]) for r in found] == [
        (draft["OrderNumber"], f"Search draft {marker}", "Incomplete")
    ]

    found = search(page, supplier="broadland highways", description=marker)
    assert len(found) == 2
    assert search(page, supplier="Tombland", description=marker) == []
    assert page.get_by_text("No purchase orders match the search.").is_visible()

    page.get_by_role("button", name="Reset").click()
    wait_ready(page, "purchase-orders")
    assert page.get_by_label("Description", exact=True).input_value() == ""
    assert len(rows(page, "Purchase orders")) == 25


def test_results_are_fetched_25_rows_at_a_time(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """The results table asks the server for 25 rows, and for the next 25 when scrolled."""
    total = rest.get("purchaseOrders", params={"totalResults": "true", "limit": 1}).json()
    assert total["totalResults"] > 25
    fetches: list[str] = []
    page.on("request", lambda r: fetches.append(r.url) if "/purchaseOrders?" in r.url else None)
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    assert len(fetches) == 1 and "offset=0" in fetches[0] and "limit=25" in fetches[0]
    grid = page.get_by_role("grid", name="Purchase orders")
    assert grid.locator("tr[data-oj-key]").count() == 25

    grid.locator("tr[data-oj-key]").last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('[aria-label=\"Purchase orders\"] tr[data-oj-key]')"
        ".length > 25"
    )
    wait_ready(page, "purchase-orders")
    assert any("offset=25" in url and "limit=25" in url for url in fetches), fetches


def test_save_submit_approve_and_cancel(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Save, Submit over the approval limit, Approve and Cancel Order change the stored order."""
    order = create_draft(rest, f"Resurfacing {tag()}", [rest_line(price=31_000)])
    header_id = order["POHeaderId"]
    open_order(page, sandbox_server, header_id)
    assert page.get_by_role("button", name="Approve").count() == 0

    new_description = f"Resurfacing, A47 slip road {tag()}"
    fill(page, page, "Description", new_description)
    page.get_by_role("button", name="Save").click()
    wait_ready(page, "purchase-order")
    assert read_order(rest, header_id)["Description"] == new_description

    page.get_by_role("button", name="Submit").click()
    page.get_by_role("status").filter(has_text=CONFIRMATION).wait_for()
    wait_ready(page, "purchase-order")
    assert page.locator("oj-c-badge").first.inner_text() == "Pending Approval"
    assert read_order(rest, header_id)["Status"] == "Pending Approval"

    page.get_by_role("button", name="Approve").click()
    page.get_by_role("status").filter(has_text="was approved.").wait_for()
    wait_ready(page, "purchase-order")
    assert page.locator("oj-c-badge").first.inner_text() == "Open"
    assert read_order(rest, header_id)["Status"] == "Open"
    assert page.get_by_role("button", name="Submit").is_disabled()

    page.get_by_role("button", name="Cancel Order").click()
    page.get_by_role("status").filter(has_text="was canceled.").wait_for()
    wait_ready(page, "purchase-order")
    assert page.locator("oj-c-badge").first.inner_text() == "Canceled"
    assert read_order(rest, header_id)["Status"] == "Canceled"
    assert not error_dialog(page).is_visible()


def test_submit_whose_answer_is_lost_is_confirmed_from_the_server(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """If the answer to Submit is lost after the server submitted, the page checks and confirms."""
    order = create_draft(rest, f"Dropped answer {tag()}", [rest_line(price=9.5, quantity=4)])
    open_order(page, sandbox_server, order["POHeaderId"])
    sandbox_server.set_faults(drop_next_submit=True)
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("status").filter(has_text=CONFIRMATION).or_(
        error_dialog(page)
    ).first.wait_for()
    wait_ready(page, "purchase-order")

    assert sandbox_server.faults()["drop_next_submit"] is False  # the fault did fire
    assert error_dialog(page).count() == 0
    assert page.get_by_role("status").inner_text() == (
        f"Purchase order {order['OrderNumber']} was submitted for approval."
    )
    assert page.locator("oj-c-badge").first.inner_text() == "Open"
    assert read_order(rest, order["POHeaderId"])["Status"] == "Open"
