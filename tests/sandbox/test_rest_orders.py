"""Purchase orders through REST: the draft -> submit -> approve life cycle and every PO rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from sandbox.process import SandboxProcess
from sandbox.rest.versions import ERROR_MEDIA_TYPE
from tests.conftest import AsgiClient
from tests.sandbox.resthelpers import error_message

ACTION = {"Content-Type": "application/vnd.oracle.adf.action+json"}
REST = "/fscmRestApi/resources/11.13.18.05"
FUTURE = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
YESTERDAY = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


def line(**overrides: Any) -> dict[str, Any]:
    """A valid services line with one schedule and one distribution."""
    body: dict[str, Any] = {
        "LineType": "Services",
        "Description": "Home care visit, 60 minutes",
        "Category": "Adult social care",
        "Quantity": 10,
        "UOM": "Hour",
        "Price": 22.40,
        "schedules": [
            {
                "NeedByDate": FUTURE,
                "ShipToLocationCode": "NCC-COUNTY-HALL",
                "distributions": [
                    {"POChargeAccount": "1000-CC160-5400-000", "Requester": "Hughes, Sarah"}
                ],
            }
        ],
    }
    return body | overrides


def order(**overrides: Any) -> dict[str, Any]:
    """A valid draft order (header by names, one line)."""
    body: dict[str, Any] = {
        "ProcurementBU": "NCC Corporate BU",
        "Supplier": "Anglia Care Partnership Limited",
        "SupplierSite": "ACP-NORWICH",
        "Description": "Home care, Norwich",
        "CurrencyCode": "GBP",
        "ShipToLocationCode": "NCC-COUNTY-HALL",
        "lines": [line()],
    }
    return body | overrides


def create(rest: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = rest.post("/draftPurchaseOrders", json=order(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def refused(response: httpx.Response, *fragments: str) -> None:
    """A 400 whose message (version 4's JSON error payload) holds every fragment."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == ERROR_MEDIA_TYPE
    for fragment in fragments:
        assert fragment in error_message(response)


def submit(
    rest: httpx.Client, header_id: int, resource: str = "draftPurchaseOrders"
) -> httpx.Response:
    return rest.post(f"/{resource}/{header_id}/action/submit", headers=ACTION, content=b"{}")


def status(rest: httpx.Client, header_id: int) -> str:
    item: dict[str, Any] = rest.get(f"/purchaseOrders/{header_id}").json()
    return str(item["Status"])


# --- life cycle --------------------------------------------------------------------------------


def test_draft_create_assigns_next_order_number_with_location(rest: httpx.Client) -> None:
    """POST creates an Incomplete order numbered next in sequence, with its tree and Location."""
    highest = rest.get("/purchaseOrders", params={"orderBy": "OrderNumber:desc", "limit": 1}).json()
    response = rest.post("/draftPurchaseOrders", json=order())
    assert response.status_code == 201
    created = response.json()
    assert created["Status"] == "Incomplete" and created["StatusCode"] == "INCOMPLETE"
    assert int(created["OrderNumber"]) == int(highest["items"][0]["OrderNumber"]) + 1
    assert response.headers["location"].endswith(f"/draftPurchaseOrders/{created['POHeaderId']}")
    assert created["Buyer"] == "RPA Procurement Service"
    assert (
        created["BillToBU"] == "NCC Corporate BU"
        and created["SoldToLegalEntity"] == "Norfolk County Council"
    )
    assert created["Total"] == 224.0
    distribution = created["lines"]["items"][0]["schedules"]["items"][0]["distributions"]["items"][
        0
    ]
    assert distribution["POChargeAccount"] == "1000-CC160-5400-000"
    assert distribution["DeliverToLocationCode"] == "NCC-COUNTY-HALL"


def test_ids_work_as_well_as_names(rest: httpx.Client) -> None:
    """Header references may be ids instead of names."""
    by_name = create(rest)
    by_id = create(
        rest,
        ProcurementBU=None,
        Supplier=None,
        SupplierSite=None,
        ProcurementBUId=by_name["ProcurementBUId"],
        SupplierId=by_name["SupplierId"],
        SupplierSiteId=by_name["SupplierSiteId"],
    )
    assert by_id["SupplierSite"] == "ACP-NORWICH"


def test_small_order_submits_to_open(rest: httpx.Client) -> None:
    """An order at or under the auto-approve limit is Open straight after submit."""
    created = create(rest)
    response = submit(rest, created["POHeaderId"])
    assert response.status_code == 200 and response.json() == {"result": "SUCCESS"}
    item = rest.get(f"/purchaseOrders/{created['POHeaderId']}").json()
    assert item["Status"] == "Open" and item["SubmittedDate"]
    # A submitted order is no longer a draft.
    assert rest.get(f"/draftPurchaseOrders/{created['POHeaderId']}").status_code == 404


def test_large_order_waits_for_approval_then_approve_opens_it(rest: httpx.Client) -> None:
    """Over the limit: Pending Approval; the approve action then makes it Open."""
    created = create(rest, lines=[line(Quantity=1000, Price=30)])
    assert submit(rest, created["POHeaderId"], "purchaseOrders").status_code == 200
    assert status(rest, created["POHeaderId"]) == "Pending Approval"
    approved = rest.post(f"/purchaseOrders/{created['POHeaderId']}/action/approve", headers=ACTION)
    assert approved.status_code == 200
    assert status(rest, created["POHeaderId"]) == "Open"
    again = rest.post(f"/purchaseOrders/{created['POHeaderId']}/action/approve", headers=ACTION)
    refused(again, "because its status is Open")


def test_bypass_approvals_flag_opens_a_large_order(rest: httpx.Client) -> None:
    """bypassApprovalsFlag=true on submit skips approval."""
    created = create(rest, lines=[line(Quantity=1000, Price=30)])
    response = rest.post(
        f"/draftPurchaseOrders/{created['POHeaderId']}/action/submit",
        headers=ACTION,
        json={"bypassApprovalsFlag": True},
    )
    assert response.status_code == 200 and status(rest, created["POHeaderId"]) == "Open"


def test_cancel_then_cancel_again_is_refused(rest: httpx.Client) -> None:
    """cancel makes an order Canceled; a second cancel is a 400."""
    created = create(rest)
    assert (
        rest.post(
            f"/purchaseOrders/{created['POHeaderId']}/action/cancel", headers=ACTION
        ).status_code
        == 200
    )
    assert status(rest, created["POHeaderId"]) == "Canceled"
    refused(
        rest.post(f"/purchaseOrders/{created['POHeaderId']}/action/cancel", headers=ACTION),
        "already canceled",
    )


def test_actions_accept_plain_json_and_refuse_other_media(rest: httpx.Client) -> None:
    """Actions take the ADF action media type or application/json; other types answer 415."""
    created = create(rest)
    path = f"/draftPurchaseOrders/{created['POHeaderId']}/action/submit"
    wrong = rest.post(
        path, content=b"x=1", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert wrong.status_code == 415
    assert rest.post(path, json={}).status_code == 200


def test_lines_can_be_added_patched_and_deleted_while_incomplete(rest: httpx.Client) -> None:
    """Line POST (flat schedule fields), PATCH (quantity follows) and DELETE on a draft."""
    created = create(rest)
    lines_path = f"/draftPurchaseOrders/{created['POHeaderId']}/child/lines"
    added = rest.post(
        lines_path,
        json={
            "Item": "NCC-ASC-0006",
            "Quantity": 4,
            "NeedByDate": FUTURE,
            "POChargeAccount": "1000-CC160-5400-000",
        },
    )
    assert added.status_code == 201, added.text
    new_line = added.json()
    assert new_line["LineNumber"] == 2 and new_line["Description"] == "Day centre session"
    assert new_line["UOM"] == "Day" and new_line["Price"] == 58.0
    patched = rest.patch(f"{lines_path}/{new_line['POLineId']}", json={"Quantity": 6})
    assert patched.status_code == 200 and patched.json()["Amount"] == 348.0
    schedule = rest.get(f"{lines_path}/{new_line['POLineId']}/child/schedules").json()["items"][0]
    assert schedule["Quantity"] == 6.0 and schedule["NeedByDate"] == FUTURE
    assert rest.delete(f"{lines_path}/{new_line['POLineId']}").status_code == 204
    assert rest.get(lines_path).json()["count"] == 1


def test_header_patch_changes_description_while_incomplete(rest: httpx.Client) -> None:
    """PATCH on a draft header updates editable attributes."""
    created = create(rest)
    response = rest.patch(
        f"/draftPurchaseOrders/{created['POHeaderId']}", json={"Description": "Changed"}
    )
    assert response.status_code == 200 and response.json()["Description"] == "Changed"
    refused(
        rest.patch(
            f"/draftPurchaseOrders/{created['POHeaderId']}",
            json={"Supplier": "Wensum Home Care Ltd"},
        ),
        "can't change the attribute Supplier",
    )


# --- rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "attribute"),
    [
        ("ProcurementBU", "ProcurementBU"),
        ("Supplier", "Supplier"),
        ("SupplierSite", "SupplierSite"),
    ],
)
def test_required_header_fields(rest: httpx.Client, missing: str, attribute: str) -> None:
    """Procurement BU, supplier and supplier site are required."""
    refused(rest.post("/draftPurchaseOrders", json=order(**{missing: None})), attribute, "required")


@pytest.mark.parametrize("missing", ["Description", "Category", "UOM", "Price", "Quantity"])
def test_required_line_fields_without_item(rest: httpx.Client, missing: str) -> None:
    """A line without an item needs description, category, UOM, price and quantity."""
    refused(rest.post("/draftPurchaseOrders", json=order(lines=[line(**{missing: None})])), missing)


def test_unknown_names_and_attributes_are_refused(rest: httpx.Client) -> None:
    """An unknown supplier name or an attribute the resource lacks answers 400 naming it."""
    refused(rest.post("/draftPurchaseOrders", json=order(Supplier="Nobody Ltd")), "Nobody Ltd")
    refused(rest.post("/draftPurchaseOrders", json=order(Colour="red")), "Colour")


def test_site_needs_assignment_for_the_procurement_bu(rest: httpx.Client) -> None:
    """A site without an assignment for the order's BU is refused with Oracle's message."""
    response = rest.post(
        "/draftPurchaseOrders",
        json=order(
            ProcurementBU="NCC Children's Services BU",
            Supplier="Broadland Highways Maintenance Ltd",
            SupplierSite="BHM-NORWICH",
        ),
    )
    refused(
        response,
        "The supplier site BHM-NORWICH isn't valid for procurement BU NCC Children's Services BU. "
        "It needs a purchasing purpose and a site assignment for that BU.",
    )


def test_site_needs_purchasing_purpose(rest: httpx.Client) -> None:
    """A pay-only site can't be used on an order."""
    refused(
        rest.post("/draftPurchaseOrders", json=order(SupplierSite="ACP-REMIT")),
        "ACP-REMIT isn't valid",
    )


def test_inactive_supplier_and_site_are_refused(rest: httpx.Client) -> None:
    """Inactive suppliers and inactive sites can't be ordered from."""
    refused(
        rest.post(
            "/draftPurchaseOrders",
            json=order(Supplier="Marsh Lane Plant Hire Ltd", SupplierSite="MLPH-WYMONDHAM"),
        ),
        "The supplier Marsh Lane Plant Hire Ltd is inactive.",
    )
    refused(
        rest.post(
            "/draftPurchaseOrders",
            json=order(Supplier="Norwich Facilities Services Ltd", SupplierSite="NFS-DEREHAM"),
        ),
        "The supplier site NFS-DEREHAM is inactive.",
    )


def test_charge_account_must_be_valid_and_enabled(rest: httpx.Client) -> None:
    """Unknown and disabled account combinations are refused."""

    def with_account(account: str) -> dict[str, Any]:
        return order(
            lines=[
                line(
                    schedules=[
                        {"NeedByDate": FUTURE, "distributions": [{"POChargeAccount": account}]}
                    ]
                )
            ]
        )

    refused(
        rest.post("/draftPurchaseOrders", json=with_account("1000-CC999-5100-000")),
        "The account 1000-CC999-5100-000 isn't a valid account combination.",
    )
    refused(rest.post("/draftPurchaseOrders", json=with_account("1000-CC150-5100-000")), "disabled")


@pytest.mark.parametrize(("attribute", "value"), [("Quantity", 0), ("Quantity", -2), ("Price", 0)])
def test_quantity_and_price_must_be_positive(
    rest: httpx.Client, attribute: str, value: float
) -> None:
    """Zero or negative quantities and prices are refused."""
    refused(
        rest.post("/draftPurchaseOrders", json=order(lines=[line(**{attribute: value})])),
        attribute,
        "greater than zero",
    )


def test_non_numeric_quantity_is_refused(rest: httpx.Client) -> None:
    """A quantity that is not a number is a 400 naming the value."""
    refused(
        rest.post("/draftPurchaseOrders", json=order(lines=[line(Quantity="ten")])),
        "ten",
        "Quantity",
    )


def test_need_by_date_not_in_the_past(rest: httpx.Client) -> None:
    """A need-by date before today is refused; a malformed one too."""
    past = order(lines=[line(schedules=[{"NeedByDate": YESTERDAY}])])
    refused(rest.post("/draftPurchaseOrders", json=past), YESTERDAY, "in the past")
    bad = order(lines=[line(schedules=[{"NeedByDate": "31/02/2027"}])])
    refused(rest.post("/draftPurchaseOrders", json=bad), "31/02/2027", "YYYY-MM-DD")


def test_submitted_orders_are_not_editable(rest: httpx.Client) -> None:
    """Lines can't be added to an Open order."""
    created = create(rest)
    submit(rest, created["POHeaderId"])
    response = rest.post(f"/purchaseOrders/{created['POHeaderId']}/child/lines", json=line())
    refused(
        response,
        f"You can't edit purchase order {created['OrderNumber']} because its status is Open.",
    )


def test_submit_requires_a_line(rest: httpx.Client) -> None:
    """An order without lines can't be submitted."""
    created = create(rest, lines=[])
    refused(submit(rest, created["POHeaderId"]), "at least one line")
    assert status(rest, created["POHeaderId"]) == "Incomplete"


def test_submit_requires_need_by_dates_and_charge_accounts(rest: httpx.Client) -> None:
    """Submit refuses a schedule without need-by date and a distribution without account."""
    no_date = create(
        rest,
        lines=[line(schedules=[{"distributions": [{"POChargeAccount": "1000-CC160-5400-000"}]}])],
    )
    refused(submit(rest, no_date["POHeaderId"]), "need-by date")
    no_account = create(rest, lines=[line(schedules=[{"NeedByDate": FUTURE}])])
    refused(submit(rest, no_account["POHeaderId"]), "PO charge account")
    # Fixing the distribution through PATCH makes the order submittable.
    tree = rest.get(
        f"/draftPurchaseOrders/{no_account['POHeaderId']}",
        params={"expand": "lines,lines.schedules,lines.schedules.distributions"},
    ).json()
    line_item = tree["lines"]["items"][0]
    schedule = line_item["schedules"]["items"][0]
    distribution = schedule["distributions"]["items"][0]
    path = (
        f"/draftPurchaseOrders/{no_account['POHeaderId']}/child/lines/{line_item['POLineId']}"
        f"/child/schedules/{schedule['LineLocationId']}/child/distributions/{distribution['PODistributionId']}"
    )
    assert rest.patch(path, json={"POChargeAccount": "1000-CC160-5400-000"}).status_code == 200
    assert submit(rest, no_account["POHeaderId"]).status_code == 200


def test_failed_create_leaves_nothing_behind(rest: httpx.Client) -> None:
    """A create refused on its second line rolls back the whole order (one transaction)."""
    before = rest.get("/purchaseOrders", params={"totalResults": "true", "limit": 1}).json()[
        "totalResults"
    ]
    refused(rest.post("/draftPurchaseOrders", json=order(lines=[line(), line(Price=-1)])), "Price")
    after = rest.get("/purchaseOrders", params={"totalResults": "true", "limit": 1}).json()[
        "totalResults"
    ]
    assert after == before


# --- defaults: buyer and ship-to -----------------------------------------------------------------


def test_default_ship_to_is_the_requisitioning_bus_then_the_procurement_bus(
    rest: httpx.Client,
) -> None:
    """Without a ship-to location a draft ships to its requisitioning BU's default location;
    without a requisitioning BU, that is the procurement BU (and so its default)."""
    bus = rest.get("requisitioningBusinessUnitsLOV", params={"onlyData": "true"}).json()["items"]
    default = {bu["BusinessUnitName"]: bu["DefaultShipToLocationCode"] for bu in bus}
    assert all(default.values()), default  # every BU has one
    assert len(set(default.values())) == len(default)

    requisitioned = create(
        rest, ShipToLocationCode=None, RequisitioningBU="NCC Adult Social Services BU"
    )
    assert requisitioned["ShipToLocationCode"] == default["NCC Adult Social Services BU"]
    plain = create(rest, ShipToLocationCode=None)
    assert plain["RequisitioningBU"] == "NCC Corporate BU"
    assert plain["ShipToLocationCode"] == default["NCC Corporate BU"]
    given = create(rest, RequisitioningBU="NCC Adult Social Services BU")
    assert given["ShipToLocationCode"] == "NCC-COUNTY-HALL"
    # Schedules default from the order's ship-to, distributions from the schedule's.
    line_item = create(rest, ShipToLocationCode=None, lines=[line(schedules=None)])
    schedule = line_item["lines"]["items"][0]["schedules"]["items"][0]
    assert schedule["ShipToLocationCode"] == default["NCC Corporate BU"]
    distribution = schedule["distributions"]["items"][0]
    assert distribution["DeliverToLocationCode"] == default["NCC Corporate BU"]


def test_a_line_alone_gets_one_schedule_and_one_distribution_to_fill_in(
    rest: httpx.Client,
) -> None:
    """A line posted with only line fields (as the page's Add line drawer posts it) gets one
    schedule to the order's ship-to with no need-by date, and one distribution delivering there
    with no account and no requester."""
    created = create(rest, lines=[])
    added = rest.post(
        f"/draftPurchaseOrders/{created['POHeaderId']}/child/lines",
        json={
            "LineType": "Goods",
            "Description": "Box files",
            "Category": "Office supplies",
            "Quantity": 5,
            "UOMCode": "EA",
            "Price": 3.2,
        },
    )
    assert added.status_code == 201, added.text
    [schedule] = added.json()["schedules"]["items"]
    assert (schedule["ScheduleNumber"], schedule["Quantity"], schedule["NeedByDate"]) == (
        1,
        5,
        None,
    )
    assert schedule["ShipToLocationCode"] == "NCC-COUNTY-HALL"
    [distribution] = schedule["distributions"]["items"]
    assert {
        key: distribution[key]
        for key in ("DistributionNumber", "Quantity", "POChargeAccount", "DeliverToLocationCode")
    } == {
        "DistributionNumber": 1,
        "Quantity": 5,
        "POChargeAccount": None,
        "DeliverToLocationCode": "NCC-COUNTY-HALL",
    }
    assert distribution["Requester"] is None


def test_schedule_ship_to_change_moves_deliver_to_that_followed_it(rest: httpx.Client) -> None:
    """A distribution still delivering to its schedule's ship-to follows a new ship-to; one
    given a deliver-to of its own keeps it."""
    created = create(
        rest,
        lines=[
            line(schedules=None, NeedByDate=FUTURE, POChargeAccount="1000-CC160-5400-000"),
            line(schedules=None, DeliverToLocationCode="NCC-CROMER"),
        ],
    )
    for index, expected in ((0, "NCC-THETFORD"), (1, "NCC-CROMER")):
        line_item = created["lines"]["items"][index]
        schedule = line_item["schedules"]["items"][0]
        path = (
            f"/draftPurchaseOrders/{created['POHeaderId']}/child/lines/{line_item['POLineId']}"
            f"/child/schedules/{schedule['LineLocationId']}"
        )
        patched = rest.patch(path, json={"ShipToLocationCode": "NCC-THETFORD"})
        assert patched.status_code == 200, patched.text
        [distribution] = rest.get(f"{path}/child/distributions").json()["items"]
        assert distribution["DeliverToLocationCode"] == expected


def test_buyer_must_be_a_procurement_agent_of_the_bu(rest: httpx.Client) -> None:
    """A buyer is refused for a BU they aren't an agent of (and a person who isn't a buyer at
    all); on PATCH too. Blanking the buyer is allowed, but such an order can't be submitted."""
    refused(
        rest.post("/draftPurchaseOrders", json=order(Buyer="Okafor, Grace")),
        "The buyer Okafor, Grace isn't a procurement agent for procurement BU NCC Corporate BU.",
    )
    refused(
        rest.post("/draftPurchaseOrders", json=order(Buyer="Thompson, Ian")),
        "The buyer Thompson, Ian isn't a procurement agent",
    )
    refused(rest.post("/draftPurchaseOrders", json=order(Buyer="Nobody, At All")), "Nobody, At All")
    childrens = create(
        rest,
        ProcurementBU="NCC Children's Services BU",
        Supplier="Anglia Care Partnership Limited",
        Buyer="Okafor, Grace",
    )
    assert childrens["Buyer"] == "Okafor, Grace"

    created = create(rest)
    path = f"/draftPurchaseOrders/{created['POHeaderId']}"
    refused(rest.patch(path, json={"Buyer": "Okafor, Grace"}), "isn't a procurement agent")
    patched = rest.patch(path, json={"Buyer": "Patel, Ravi", "Description": "New buyer"})
    assert patched.status_code == 200 and patched.json()["Buyer"] == "Patel, Ravi"
    blanked = rest.patch(path, json={"BuyerId": None})
    assert blanked.status_code == 200 and blanked.json()["Buyer"] is None
    refused(submit(rest, created["POHeaderId"]), "Enter a buyer for purchase order")
    assert status(rest, created["POHeaderId"]) == "Incomplete"


def test_buyer_defaults_to_nobody_when_the_user_is_no_buyer(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """The signed-in user's person is the default buyer only while it is a buyer."""
    app = sandbox_app()
    client = AsgiClient(app)
    auth = ("RPA.PROCUREMENT", "Sandbox-Welcome1")
    body = order()
    first = client.post(f"{REST}/draftPurchaseOrders", json=body, auth=auth)
    assert first.status_code == 201 and first.json()["Buyer"] == "RPA Procurement Service"
    with app.state.db.write() as conn:
        conn.execute(
            "UPDATE persons SET buyer = 0 WHERE id = "
            "(SELECT person_id FROM users WHERE username = 'RPA.PROCUREMENT')"
        )
    second = client.post(f"{REST}/draftPurchaseOrders", json=body, auth=auth)
    assert second.status_code == 201 and second.json()["Buyer"] is None


# --- delete ------------------------------------------------------------------------------------


def test_delete_removes_an_incomplete_draft_and_its_children(rest: httpx.Client) -> None:
    """DELETE on a draft answers 204 and removes the order with its lines; the order and its
    children are then 404 everywhere."""
    created = create(rest)
    header_id = created["POHeaderId"]
    line_id = created["lines"]["items"][0]["POLineId"]
    response = rest.delete(f"/draftPurchaseOrders/{header_id}")
    assert response.status_code == 204, response.text
    assert rest.get(f"/purchaseOrders/{header_id}").status_code == 404
    assert rest.get(f"/draftPurchaseOrders/{header_id}").status_code == 404
    assert rest.get(f"/purchaseOrders/{header_id}/child/lines/{line_id}").status_code == 404
    assert rest.delete(f"/draftPurchaseOrders/{header_id}").status_code == 404


def test_delete_refuses_an_order_that_is_not_incomplete(rest: httpx.Client) -> None:
    """A submitted order can't be deleted (400, Oracle's wording), and purchaseOrders has no
    DELETE at all."""
    created = create(rest)
    header_id = created["POHeaderId"]
    assert submit(rest, header_id).status_code == 200
    refused(
        rest.delete(f"/draftPurchaseOrders/{header_id}"),
        f"You can't delete purchase order {created['OrderNumber']} because its status is Open.",
    )
    assert rest.delete(f"/purchaseOrders/{header_id}").status_code == 405
    assert status(rest, header_id) == "Open"


# --- statuses ----------------------------------------------------------------------------------

STATUSES = (
    "Canceled",
    "Closed",
    "Closed for Receiving",
    "Closed for Invoicing",
    "Finally Closed",
    "Incomplete",
    "On Hold",
    "Open",
    "Pending Approval",
    "Pending Change Approval",
    "Pending Funds Reservation",
    "Pending Signature Preparation",
    "Pending Supplier Acknowledgment",
    "Rejected",
    "Sent for Signature",
    "Withdrawn",
)


def test_every_fusion_status_reads_back_and_filters(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """The admin endpoint puts an order in each of Fusion's sixteen statuses; REST reads it as
    Status (and StatusCode), q filters on it, and only Incomplete orders are drafts."""
    created = create(rest)
    header_id = created["POHeaderId"]
    for name in STATUSES:
        assert sandbox_server.set_order_status(header_id, name.upper()) == name
        item = rest.get(f"/purchaseOrders/{header_id}").json()
        assert (item["Status"], item["StatusCode"]) == (name, name.upper())
        found = rest.get(
            "/purchaseOrders",
            params={"q": f"Status='{name}' and POHeaderId={header_id}", "onlyData": "true"},
        ).json()["items"]
        assert [o["POHeaderId"] for o in found] == [header_id], name
        is_draft = rest.get(f"/draftPurchaseOrders/{header_id}").status_code == 200
        assert is_draft == (name == "Incomplete"), name

    sandbox_server.set_order_status(header_id, "On Hold")
    line_id = created["lines"]["items"][0]["POLineId"]
    refused(
        rest.patch(f"/purchaseOrders/{header_id}/child/lines/{line_id}", json={"Quantity": 2}),
        f"You can't edit purchase order {created['OrderNumber']} because its status is On Hold.",
    )
    sandbox_server.set_order_status(header_id, "Finally Closed")
    refused(
        rest.post(f"/purchaseOrders/{header_id}/action/cancel", headers=ACTION),
        "because its status is Finally Closed",
    )


def test_admin_status_endpoint_refuses_unknown_statuses_and_orders(
    sandbox_server: SandboxProcess,
) -> None:
    """400 for a status Fusion doesn't have (the message lists them), 404 for no such order."""
    url = f"{sandbox_server.base_url}/sandbox/admin/orders/%s/status"
    with httpx.Client(trust_env=False, timeout=30.0) as client:
        unknown = client.post(url % 300000060000001, json={"status": "Approved"})
        assert unknown.status_code == 400
        assert unknown.text.startswith("The status Approved isn't valid. Use one of: Canceled,")
        assert client.post(url % 300000060000001, json={}).status_code == 400
        assert client.post(url % 1, json={"status": "Open"}).status_code == 404
        assert client.post(url % "abc", json={"status": "Open"}).status_code == 404


def test_admin_status_endpoint_is_for_this_machine_only(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """Like every admin call, setting a status is refused (403) to a caller elsewhere."""
    remote = AsgiClient(sandbox_app(), client=("192.0.2.10", 50000))
    response = remote.post(
        "/sandbox/admin/orders/300000060000001/status", json={"status": "Withdrawn"}
    )
    assert response.status_code == 403
