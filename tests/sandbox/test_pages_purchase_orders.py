"""The Purchase Orders and Purchase order pages, driven in Chromium and checked through REST.

The order page is laid out as Oracle documents Fusion's Redwood one: Description and Buyer in
the header region (Save), Submit and Delete, and the tabs Lines, Schedules and Distributions,
where the Lines tab's drawer holds only line fields and each schedule and distribution has its
own row edit button and drawer.
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
    close_error_dialog,
    combo_text,
    error_dialog,
    field_names,
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
ADULT_SOCIAL_BU = "NCC Adult Social Services BU"
SUPPLIER = "Broadland Highways Maintenance Ltd"
SITE = "BHM-NORWICH"
ACCOUNT = "1000-CC123-5100-000"
DISABLED_ACCOUNT = "1000-CC150-5100-000"
UNKNOWN_ACCOUNT = "1000-CC999-5100-000"
SERVICE_BUYER = "RPA Procurement Service"
CONFIRMATION = re.compile(r"^Purchase order (\d+) was submitted for approval\.$")
# Oracle's eight fields of the "New purchase order" drawer, in order (25A what's new).
CREATE_FIELDS = [
    "Document Style",
    "Procurement BU",
    "Requisitioning BU",
    "Supplier",
    "Supplier Site",
    "Supplier Contact",
    "Currency",
    "Default Ship-to Location",
]
LINE_FIELDS = ["Line Type", "Item", "Description", "Category", "Quantity", "UOM", "Price"]


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


def rest_line(price: float, quantity: float = 1, **fields: Any) -> dict[str, Any]:
    """A submittable line (its schedule's need-by date and its distribution's account given)."""
    return {
        "LineType": "Goods",
        "Description": "Traffic cone, 750 mm",
        "Category": "Highways",
        "UOMCode": "EA",
        "Quantity": quantity,
        "Price": price,
        "NeedByDate": (date.today() + timedelta(days=20)).isoformat(),
        "POChargeAccount": ACCOUNT,
    } | fields


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
    page.get_by_role("tab", name="Lines", exact=True).click()
    wait_ready(page, "purchase-order")
    page.get_by_role("button", name="Add Line").click()
    drawer = page.get_by_role("dialog", name="Add line")
    drawer.wait_for()
    wait_ready(page, "purchase-order")
    return drawer


def press(page: Page, drawer: Locator, button: str = "OK") -> None:
    """Press a drawer's button and wait until it has closed and the page is idle."""
    drawer.get_by_role("button", name=button, exact=True).click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")


def open_row_drawer(page: Page, tab: str, button: str, drawer_name: str) -> Locator:
    """Go to ``tab``, press the row's edit ``button`` and return the drawer it opens."""
    page.get_by_role("tab", name=tab, exact=True).click()
    wait_ready(page, "purchase-order")
    page.get_by_role("grid", name=tab).get_by_role("button", name=button, exact=True).click()
    drawer = page.get_by_role("dialog", name=drawer_name, exact=True)
    drawer.wait_for()
    wait_ready(page, "purchase-order")
    return drawer


def edit_schedule(page: Page, line: int, schedule: int = 1) -> Locator:
    return open_row_drawer(page, "Schedules", f"Edit schedule {line}-{schedule}", "Edit Schedule")


def edit_distribution(page: Page, line: int, schedule: int = 1, distribution: int = 1) -> Locator:
    name = f"Edit distribution {line}-{schedule}-{distribution}"
    return open_row_drawer(page, "Distributions", name, "Edit Distribution")


def fill_line(
    page: Page,
    drawer: Locator,
    *,
    description: str = "Traffic cone, 750 mm",
    quantity: str = "12",
    price: str = "7.9",
) -> None:
    """Fill a description-based line (no item) in the Add line drawer."""
    fill(page, drawer, "Description", description)
    choose(page, drawer, "Category", "Highways")
    fill(page, drawer, "Quantity", quantity)
    choose(page, drawer, "UOM", "Each")
    fill(page, drawer, "Price", price)


def subset(record: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The record's values for the keys of ``expected`` (so a comparison shows every difference)."""
    return {key: record.get(key) for key in expected}


def rows(page: Page, grid_name: str) -> list[list[str]]:
    grid = page.get_by_role("grid", name=grid_name)
    return [
        [" ".join(c.split()) for c in row.locator("td, th").all_inner_texts()]
        for row in grid.locator("tr[data-oj-key]").all()
    ]


def tab_rows(page: Page, tab: str) -> list[list[str]]:
    """The rows of the tab's grid (the trailing actions cell left out)."""
    page.get_by_role("tab", name=tab, exact=True).click()
    wait_ready(page, "purchase-order")
    found = rows(page, tab)
    return [row[:-1] for row in found] if tab != "Lines" else found


def the_schedule(order: dict[str, Any], line: int = 0) -> dict[str, Any]:
    schedule: dict[str, Any] = order["lines"]["items"][line]["schedules"]["items"][0]
    return schedule


def the_distribution(order: dict[str, Any], line: int = 0) -> dict[str, Any]:
    distribution: dict[str, Any] = the_schedule(order, line)["distributions"]["items"][0]
    return distribution


def shown(page: Page, label: str) -> str:
    """The text of a read-only header value (JET renders it as text, not as an input)."""
    return page.get_by_label(label, exact=True).inner_text().strip()


def status_text(page: Page) -> str:
    return page.locator("oj-c-badge").first.inner_text()


# --- creating an order -------------------------------------------------------------------------


def test_create_drawer_has_oracles_eight_fields(page: Page, sandbox_server: SandboxProcess) -> None:
    """No Description and no Buyer: Oracle's eight fields, and Create and Cancel."""
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    assert field_names(drawer) == CREATE_FIELDS
    buttons = drawer.get_by_role("button").all_inner_texts()
    assert [" ".join(b.split()) for b in buttons] == ["Create", "Cancel"]
    assert combo_text(drawer, "Document Style") == "Standard Purchase Order"
    assert combo_text(drawer, "Currency") == "GBP"


def test_create_and_submit_an_order_through_the_tabs(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """An order made only through the pages: the drawer's eight fields, Description and Buyer
    saved on the order page, two lines, their schedules and distributions edited on their tabs,
    then Submit. Every value typed is stored."""
    description = f"Winter service stock {tag()}"
    suppliers = rest.get("suppliersLOV", params={"q": f"Supplier='{SUPPLIER}'"}).json()
    supplier_id = suppliers["items"][0]["SupplierId"]
    contacts = rest.get("supplierContactsLOV", params={"q": f"SupplierId={supplier_id}"}).json()
    contact = contacts["items"][0]["SupplierContact"]
    first_need_by = date.today() + timedelta(days=30)
    second_need_by = date.today() + timedelta(days=45)

    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    choose(page, drawer, "Procurement BU", HIGHWAYS_BU)
    assert combo_text(drawer, "Requisitioning BU") == HIGHWAYS_BU
    choose(page, drawer, "Supplier", SUPPLIER)
    choose(page, drawer, "Supplier Site", SITE)
    choose(page, drawer, "Supplier Contact", contact)
    choose(page, drawer, "Default Ship-to Location", "NCC-AYLSHAM-DEPOT")
    with page.expect_navigation():
        drawer.get_by_role("button", name="Create").click()
    wait_ready(page, "purchase-order")
    heading = page.get_by_role("heading", level=1).inner_text()
    number = heading.removeprefix("Purchase Order ")
    assert re.fullmatch(r"\d+", number), heading
    assert status_text(page) == "Incomplete"
    header_id = header_id_of(page)
    # The buyer defaults to the signed-in user's person, a procurement agent of the BU.
    assert combo_text(page, "Buyer") == SERVICE_BUYER
    assert shown(page, "Default Ship-to Location") == "NCC-AYLSHAM-DEPOT"

    # The header region: Description and Buyer, saved; the order stays Incomplete.
    fill(page, page, "Description", description)
    choose(page, page, "Buyer", "Patel, Ravi")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="was saved.").wait_for()
    wait_ready(page, "purchase-order")
    saved = read_order(rest, header_id)
    assert (saved["Description"], saved["Buyer"], saved["Status"]) == (
        description,
        "Patel, Ravi",
        "Incomplete",
    )

    # Line 1: an item line; choosing the item fills description, category and UOM.
    drawer = open_add_line(page)
    assert field_names(drawer) == LINE_FIELDS
    choose(page, drawer, "Item", "NCC-HW-0002")
    assert drawer.get_by_label("Description", exact=True).input_value() == "Road salt, brown rock"
    assert combo_text(drawer, "Category") == "Highways"
    assert combo_text(drawer, "UOM") == "Tonne"
    fill(page, drawer, "Quantity", "40")
    fill(page, drawer, "Price", "61.5")
    press(page, drawer)

    # Line 2: a services line with no item.
    drawer = open_add_line(page)
    choose(page, drawer, "Line Type", "Services")
    fill(page, drawer, "Description", "Gully emptying, overnight crew")
    choose(page, drawer, "Category", "Highways")
    fill(page, drawer, "Quantity", "2")
    choose(page, drawer, "UOM", "Day")
    fill(page, drawer, "Price", "850")
    press(page, drawer)

    assert tab_rows(page, "Lines") == [
        ["1", "Goods", "NCC-HW-0002", "Road salt, brown rock", "Highways", "40", "Tonne",
         "61.50", "2,460.00"],
        ["2", "Services", "", "Gully emptying, overnight crew", "Highways", "2", "Day",
         "850.00", "1,700.00"],
    ]  # fmt: skip
    # Each line got one schedule to the order's ship-to, with no need-by date yet, and one
    # distribution delivering there, with no account and no requester.
    assert tab_rows(page, "Schedules") == [
        ["1", "1", "", "NCC-AYLSHAM-DEPOT"],
        ["2", "1", "", "NCC-AYLSHAM-DEPOT"],
    ]
    assert tab_rows(page, "Distributions") == [
        ["1", "1", "1", "", "NCC-AYLSHAM-DEPOT", ""],
        ["2", "1", "1", "", "NCC-AYLSHAM-DEPOT", ""],
    ]

    # The schedules: need-by dates (one typed the ISO way) and a ship-to for line 2.
    drawer = edit_schedule(page, 1)
    assert field_names(drawer) == ["Need-by Date", "Ship-to Location"]
    assert combo_text(drawer, "Ship-to Location") == "NCC-AYLSHAM-DEPOT"
    fill(page, drawer, "Need-by Date", uk(first_need_by))
    press(page, drawer)
    drawer = edit_schedule(page, 2)
    fill(page, drawer, "Need-by Date", second_need_by.isoformat())
    choose(page, drawer, "Ship-to Location", "NCC-DEREHAM-DEPOT")
    press(page, drawer)
    assert tab_rows(page, "Schedules") == [
        ["1", "1", uk(first_need_by), "NCC-AYLSHAM-DEPOT"],
        ["2", "1", uk(second_need_by), "NCC-DEREHAM-DEPOT"],
    ]

    # The distributions: charge accounts, a deliver-to of its own and a requester for line 1.
    drawer = edit_distribution(page, 1)
    assert field_names(drawer) == ["PO Charge Account", "Deliver-to Location", "Requester"]
    fill(page, drawer, "PO Charge Account", "1000-CC126-5100-000")
    choose(page, drawer, "Deliver-to Location", "NCC-CROMER")
    choose(page, drawer, "Requester", "Thompson, Ian")
    press(page, drawer)
    drawer = edit_distribution(page, 2)
    fill(page, drawer, "PO Charge Account", ACCOUNT)
    press(page, drawer)
    # Line 2's deliver-to followed its schedule's new ship-to.
    assert tab_rows(page, "Distributions") == [
        ["1", "1", "1", "1000-CC126-5100-000", "NCC-CROMER", "Thompson, Ian"],
        ["2", "1", "1", ACCOUNT, "NCC-DEREHAM-DEPOT", ""],
    ]

    page.get_by_role("button", name="Submit", exact=True).click()
    status = page.get_by_role("status").filter(has_text=CONFIRMATION)
    status.wait_for()
    wait_ready(page, "purchase-order")
    assert status.inner_text() == f"Purchase order {number} was submitted for approval."
    assert status_text(page) == "Open"
    assert page.get_by_role("button", name="Delete", exact=True).count() == 0

    order = read_order(rest, header_id)
    expected_header = {
        "OrderNumber": number, "Status": "Open", "Description": description,
        "ProcurementBU": HIGHWAYS_BU, "RequisitioningBU": HIGHWAYS_BU, "Supplier": SUPPLIER,
        "SupplierSite": SITE, "SupplierContact": contact, "CurrencyCode": "GBP",
        "DocumentStyle": "Standard Purchase Order", "ShipToLocationCode": "NCC-AYLSHAM-DEPOT",
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
    for index, need_by, ship_to, deliver_to, requester, account in (
        (0, first_need_by, "NCC-AYLSHAM-DEPOT", "NCC-CROMER", "Thompson, Ian",
         "1000-CC126-5100-000"),
        (1, second_need_by, "NCC-DEREHAM-DEPOT", "NCC-DEREHAM-DEPOT", None, ACCOUNT),
    ):  # fmt: skip
        line = order["lines"]["items"][index]
        expected_schedule = {
            "ScheduleNumber": 1, "Quantity": line["Quantity"], "NeedByDate": need_by.isoformat(),
            "ShipToLocationCode": ship_to, "DestinationTypeCode": "EXPENSE",
        }  # fmt: skip
        assert subset(the_schedule(order, index), expected_schedule) == expected_schedule
        expected_distribution = {
            "DistributionNumber": 1, "Quantity": line["Quantity"], "POChargeAccount": account,
            "DeliverToLocationCode": deliver_to, "Requester": requester,
        }  # fmt: skip
        assert subset(the_distribution(order, index), expected_distribution) == (
            expected_distribution
        )


def test_blank_ship_to_takes_the_requisitioning_bus_default(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Default Ship-to Location left blank: the order ships to the requisitioning BU's default
    location (not the procurement BU's), and so do its new lines' schedules and distributions."""
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    choose(page, drawer, "Procurement BU", HIGHWAYS_BU)
    choose(page, drawer, "Requisitioning BU", ADULT_SOCIAL_BU)
    choose(page, drawer, "Supplier", SUPPLIER)
    choose(page, drawer, "Supplier Site", SITE)
    assert combo_text(drawer, "Default Ship-to Location") == ""
    with page.expect_navigation():
        drawer.get_by_role("button", name="Create").click()
    wait_ready(page, "purchase-order")
    header_id = header_id_of(page)
    bus = rest.get("requisitioningBusinessUnitsLOV", params={"onlyData": "true"}).json()["items"]
    default = {bu["BusinessUnitName"]: bu["DefaultShipToLocationCode"] for bu in bus}
    assert default[ADULT_SOCIAL_BU] == "NCC-GT-YARMOUTH" != default[HIGHWAYS_BU]
    assert shown(page, "Default Ship-to Location") == "NCC-GT-YARMOUTH"

    drawer = open_add_line(page)
    fill_line(page, drawer)
    press(page, drawer)
    assert tab_rows(page, "Schedules") == [["1", "1", "", "NCC-GT-YARMOUTH"]]
    assert tab_rows(page, "Distributions") == [["1", "1", "1", "", "NCC-GT-YARMOUTH", ""]]
    order = read_order(rest, header_id)
    assert order["ShipToLocationCode"] == "NCC-GT-YARMOUTH"
    assert order["RequisitioningBU"] == ADULT_SOCIAL_BU
    assert the_schedule(order)["NeedByDate"] is None
    distribution = the_distribution(order)
    assert (distribution["DeliverToLocationCode"], distribution["POChargeAccount"]) == (
        "NCC-GT-YARMOUTH",
        None,
    )
    assert distribution["Requester"] is None


# --- the header region -------------------------------------------------------------------------


def test_buyer_who_is_not_an_agent_of_the_bu_is_refused_at_save(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """The Buyer list offers every buyer; one who isn't a procurement agent of the order's BU is
    refused by Save with the error dialog, and the order keeps its buyer and its description."""
    order = create_draft(rest, f"Buyer check {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    assert combo_text(page, "Buyer") == SERVICE_BUYER
    assert "Okafor, Grace" in offered(page, page, "Buyer", "Okafor")
    assert offered(page, page, "Buyer", "Thompson") == []  # not a buyer at all
    fill(page, page, "Description", "Changed with a wrong buyer")
    choose(page, page, "Buyer", "Okafor, Grace")
    page.get_by_role("button", name="Save", exact=True).click()

    message = close_error_dialog(page)
    assert message == (
        "The buyer Okafor, Grace isn't a procurement agent for procurement BU NCC Highways BU. "
        "Choose a buyer who is."
    )
    assert combo_text(page, "Buyer") == "Okafor, Grace"  # the page keeps what was chosen
    stored = read_order(rest, order["POHeaderId"])
    assert (stored["Buyer"], stored["Description"]) == (SERVICE_BUYER, order["Description"])

    choose(page, page, "Buyer", "Hughes, Sarah")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="was saved.").wait_for()
    wait_ready(page, "purchase-order")
    stored = read_order(rest, order["POHeaderId"])
    assert (stored["Buyer"], stored["Description"], stored["Status"]) == (
        "Hughes, Sarah",
        "Changed with a wrong buyer",
        "Incomplete",
    )


# --- checks in the drawers ---------------------------------------------------------------------


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


def flagged(drawer: Locator) -> set[str]:
    """The labels of the fields JET marks as missing a value."""
    return {
        m.split(" Select a value.")[0].split(" Enter a value.")[0] for m in inline_messages(drawer)
    }


def test_required_fields_are_flagged_inline_where_they_live(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Empty required fields are marked on the field in each drawer, and nothing is saved:
    line fields in Add line, Need-by Date in Edit Schedule, PO Charge Account in Edit
    Distribution."""
    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    drawer = open_new_order_drawer(page)
    choose(page, drawer, "Procurement BU", HIGHWAYS_BU)
    drawer.get_by_role("button", name="Create").click()
    wait_ready(page, "purchase-orders")
    assert flagged(drawer) == {"Supplier", "Supplier Site"}
    assert drawer.is_visible()
    assert path_of(page) == ORDERS_PATH

    order = create_draft(rest, f"Required checks {tag()}", [rest_line(5, NeedByDate=None)])
    header_id = order["POHeaderId"]
    open_order(page, sandbox_server, header_id)
    drawer = open_add_line(page)
    fill(page, drawer, "Description", "Traffic cone, 750 mm")
    fill(page, drawer, "Quantity", "3")
    drawer.get_by_role("button", name="OK").click()
    wait_ready(page, "purchase-order")
    assert flagged(drawer) == {"Category", "UOM", "Price"}
    press(page, drawer, "Cancel")
    assert len(read_order(rest, header_id)["lines"]["items"]) == 1

    drawer = edit_schedule(page, 1)
    drawer.get_by_role("button", name="OK").click()
    wait_ready(page, "purchase-order")
    assert flagged(drawer) == {"Need-by Date"}
    press(page, drawer, "Cancel")

    drawer = edit_distribution(page, 1)
    fill(page, drawer, "PO Charge Account", "")
    drawer.get_by_role("button", name="OK").click()
    wait_ready(page, "purchase-order")
    assert flagged(drawer) == {"PO Charge Account"}
    press(page, drawer, "Cancel")
    assert the_distribution(read_order(rest, header_id))["POChargeAccount"] == ACCOUNT


def test_unknown_or_disabled_charge_account_is_refused_at_ok(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Edit Distribution's OK refuses an unknown and a disabled account with Oracle's message in
    the error dialog; the drawer keeps what was typed, and a valid account then saves."""
    order = create_draft(rest, f"Account check {tag()}")
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = open_add_line(page)
    fill_line(page, drawer)
    press(page, drawer)

    drawer = edit_distribution(page, 1)
    choose(page, drawer, "Requester", "Walsh, Claire")
    for account, wording in (
        (UNKNOWN_ACCOUNT, f"The account {UNKNOWN_ACCOUNT} isn't a valid account combination."),
        (
            DISABLED_ACCOUNT,
            f"The account {DISABLED_ACCOUNT} isn't a valid account combination. "
            "It's disabled for posting.",
        ),
    ):
        fill(page, drawer, "PO Charge Account", account)
        drawer.get_by_role("button", name="OK").click()
        assert close_error_dialog(page) == wording
        assert drawer.is_visible()
        assert drawer.get_by_label("PO Charge Account", exact=True).input_value() == account
        assert combo_text(drawer, "Requester") == "Walsh, Claire"
        assert the_distribution(read_order(rest, order["POHeaderId"]))["POChargeAccount"] is None

    fill(page, drawer, "PO Charge Account", ACCOUNT)
    press(page, drawer)
    distribution = the_distribution(read_order(rest, order["POHeaderId"]))
    assert (distribution["POChargeAccount"], distribution["Requester"]) == (
        ACCOUNT,
        "Walsh, Claire",
    )


def test_need_by_date_in_the_past_is_refused_at_ok(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Edit Schedule's OK refuses a need-by date before today with Oracle's message."""
    order = create_draft(rest, f"Date check {tag()}", [rest_line(5, NeedByDate=None)])
    open_order(page, sandbox_server, order["POHeaderId"])
    drawer = edit_schedule(page, 1)
    yesterday = date.today() - timedelta(days=1)
    fill(page, drawer, "Need-by Date", uk(yesterday))
    drawer.get_by_role("button", name="OK").click()

    message = close_error_dialog(page)
    assert message == (
        f"The need-by date {yesterday.isoformat()} is in the past. "
        "Enter today's date or a later one."
    )
    assert drawer.is_visible()
    assert the_schedule(read_order(rest, order["POHeaderId"]))["NeedByDate"] is None


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

    press(page, drawer)
    [line] = read_order(rest, order["POHeaderId"])["lines"]["items"]
    assert (line["Description"], line["Quantity"], line["Price"]) == (
        "Kerb, precast concrete",
        30,
        9.2,
    )


# --- submit, delete, statuses ------------------------------------------------------------------


def test_submit_refuses_what_oracle_refuses_naming_the_line(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Submit shows the error dialog for an order without lines, a schedule without a need-by
    date and a distribution without a charge account; the order stays Incomplete. Fixed on its
    tabs, it submits."""
    order = create_draft(rest, f"Submit checks {tag()}")
    header_id, number = order["POHeaderId"], order["OrderNumber"]
    open_order(page, sandbox_server, header_id)
    submit = page.get_by_role("button", name="Submit", exact=True)

    submit.click()
    assert close_error_dialog(page) == (
        f"You must add at least one line to purchase order {number}."
    )
    drawer = open_add_line(page)
    fill_line(page, drawer)
    press(page, drawer)

    submit.click()
    assert close_error_dialog(page) == "Enter a need-by date for schedule 1 of line 1."
    drawer = edit_schedule(page, 1)
    fill(page, drawer, "Need-by Date", uk(date.today() + timedelta(days=7)))
    press(page, drawer)

    submit.click()
    assert close_error_dialog(page) == (
        "Enter a PO charge account for distribution 1 of schedule 1 of line 1."
    )
    assert status_text(page) == "Incomplete"
    assert read_order(rest, header_id)["Status"] == "Incomplete"
    drawer = edit_distribution(page, 1)
    fill(page, drawer, "PO Charge Account", ACCOUNT)
    press(page, drawer)

    submit.click()
    page.get_by_role("status").filter(has_text=CONFIRMATION).wait_for()
    wait_ready(page, "purchase-order")
    assert read_order(rest, header_id)["Status"] == "Open"


def test_delete_asks_then_deletes_and_returns_to_the_work_area(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Delete asks in the "Delete Order" dialog: No keeps the order, Yes deletes it (lines and
    all) and opens the Purchase Orders work area."""
    order = create_draft(rest, f"To delete {tag()}", [rest_line(3)])
    header_id, number = order["POHeaderId"], order["OrderNumber"]
    open_order(page, sandbox_server, header_id)

    page.get_by_role("button", name="Delete", exact=True).click()
    question = f"Purchase order {number} will be deleted. Do you want to continue?"
    assert answer(page, "Delete Order", "No") == question
    wait_ready(page, "purchase-order")
    assert status_text(page) == "Incomplete"
    assert read_order(rest, header_id)["Status"] == "Incomplete"

    page.get_by_role("button", name="Delete", exact=True).click()
    with page.expect_navigation():
        assert answer(page, "Delete Order", "Yes") == question
    wait_ready(page, "purchase-orders")
    assert path_of(page) == ORDERS_PATH
    assert rest.get(f"purchaseOrders/{header_id}").status_code == 404
    found = rest.get("purchaseOrders", params={"q": f"OrderNumber='{number}'"}).json()
    assert found["items"] == []


def test_only_incomplete_orders_offer_delete_and_any_status_shows(
    page: Page, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """An order put in any of Fusion's statuses (admin endpoint) shows it in its badge and is
    found by it in the work area; only an Incomplete one has Delete, Save and Submit enabled."""
    order = create_draft(rest, f"Status {tag()}", [rest_line(3)])
    header_id = order["POHeaderId"]
    assert sandbox_server.set_order_status(header_id, "Pending Supplier Acknowledgment") == (
        "Pending Supplier Acknowledgment"
    )
    open_order(page, sandbox_server, header_id)
    assert status_text(page) == "Pending Supplier Acknowledgment"
    assert page.get_by_role("button", name="Delete", exact=True).count() == 0
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()
    assert page.get_by_role("button", name="Save", exact=True).is_disabled()
    page.get_by_role("tab", name="Schedules", exact=True).click()
    wait_ready(page, "purchase-order")
    assert page.get_by_role("button", name="Edit schedule 1-1", exact=True).is_disabled()

    open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
    found = search(page, description=order["Description"], status="Pending Supplier Acknowledgment")
    assert [(r[0], r[5]) for r in found] == [
        (order["OrderNumber"], "Pending Supplier Acknowledgment")
    ]

    sandbox_server.set_order_status(header_id, "Incomplete")
    open_order(page, sandbox_server, header_id)
    assert page.get_by_role("button", name="Delete", exact=True).is_enabled()


# --- the work area -----------------------------------------------------------------------------


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
