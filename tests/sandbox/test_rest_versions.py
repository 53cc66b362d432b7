"""REST-Framework-Version: Fusion's default (1) without the header, what each version changes,
and ``expand`` as Fusion reads it (``all`` is one level; nested children are named)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.process import SandboxProcess
from sandbox.rest.versions import ERROR_MEDIA_TYPE
from tests.sandbox.resthelpers import VERSION_HEADER, rest_client

BROADLAND = "30001"  # Broadland Highways Maintenance Ltd: site BHM-NORWICH, two assignments
SUPPLIER_EXPAND = "addresses,sites,sites.assignments,contacts"


@pytest.fixture(scope="module")
def clients(sandbox_server: SandboxProcess) -> Iterator[dict[str | None, httpx.Client]]:
    """One client per version asked for; None sends no header."""
    made = {v: rest_client(sandbox_server, v) for v in (None, "1", "2", "3", "4")}
    yield made
    for client in made.values():
        client.close()


def broadland(client: httpx.Client, expand: str, q: str | None = None) -> dict[str, Any]:
    response = client.get(
        "/suppliers",
        params={"q": q or f"SupplierNumber='{BROADLAND}'", "expand": expand, "onlyData": "true"},
    )
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    return dict(item)


def site_of(supplier: dict[str, Any], name: str = "BHM-NORWICH") -> dict[str, Any]:
    sites = supplier["sites"]
    rows = sites["items"] if isinstance(sites, dict) else sites
    return dict(next(s for s in rows if s["SupplierSite"] == name))


# --- which version ---------------------------------------------------------------------------


def test_no_header_is_version_1_and_every_answer_names_its_version(
    clients: dict[str | None, httpx.Client],
) -> None:
    """Without the header the answer is version 1's; each answer echoes the version used."""
    for asked, expected in ((None, "1"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")):
        response = clients[asked].get("/currenciesLOV", params={"limit": 1})
        assert response.status_code == 200
        assert response.headers[VERSION_HEADER] == expected, asked
    missing = clients[None].get("/widgets")
    assert missing.status_code == 404 and missing.headers[VERSION_HEADER] == "1"


@pytest.mark.parametrize("version", ["0", "5", "9", "two", "4.0"])
def test_a_version_the_sandbox_does_not_imitate_answers_400(
    sandbox_server: SandboxProcess, version: str
) -> None:
    """Only 1 to 4 are served; anything else is refused in plain text, naming the version."""
    with rest_client(sandbox_server, version) as client:
        response = client.get("/currenciesLOV")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert f"version {version} isn't supported" in response.text


# --- q by version ----------------------------------------------------------------------------


def test_version_1_filters_by_example(clients: dict[str | None, httpx.Client]) -> None:
    """Without the header, q=Attr=value;Attr2=value selects rows (no quotes needed)."""
    bare = clients[None]
    found = bare.get(
        "/suppliers",
        params={"q": f"SupplierNumber={BROADLAND};Status=ACTIVE", "onlyData": "true"},
    ).json()["items"]
    assert [s["Supplier"] for s in found] == ["Broadland Highways Maintenance Ltd"]
    named = bare.get(
        "/suppliers", params={"q": "Supplier=Broadland Highways Maintenance Ltd"}
    ).json()
    assert named["count"] == 1
    wildcard = bare.get("/itemsV2", params={"q": "ItemNumber=NCC-FIR-%", "limit": 50}).json()
    assert wildcard["count"] == 12
    quoted = bare.get("/purchaseOrders", params={"q": "OrderNumber='1004504'"}).json()
    assert [o["OrderNumber"] for o in quoted["items"]] == ["1004504"]


def test_version_1_refuses_a_row_match_expression(
    clients: dict[str | None, httpx.Client],
) -> None:
    """What query-by-example cannot parse answers 400 (plain text) pointing at version 2."""
    for q in (
        "Description LIKE '[REQ-%'",
        "SupplierNumber='30001' or TaxpayerId='x'",
        "Status IS NULL",
    ):
        response = clients[None].get("/suppliers", params={"q": q})
        assert response.status_code == 400, q
        assert response.headers["content-type"].startswith("text/plain")
        assert "REST-Framework-Version: 2 or later" in response.text


def test_version_2_takes_row_match_expressions_and_refuses_semicolons(
    clients: dict[str | None, httpx.Client],
) -> None:
    """From version 2, q is an expression (and, or, LIKE…); the v1 ';' form is a 400."""
    v2 = clients["2"]
    found = v2.get(
        "/suppliers",
        params={
            "q": "SupplierNumber='30001' or (SupplierNumber LIKE '3000_' and Status='INACTIVE')"
        },
    ).json()
    numbers = [s["SupplierNumber"] for s in found["items"]]
    assert "30001" in numbers and "30006" in numbers  # Marsh Lane Plant Hire Ltd is inactive
    refused = v2.get("/suppliers", params={"q": f"SupplierNumber={BROADLAND};Status=ACTIVE"})
    assert refused.status_code == 400 and "version 1" in refused.text


# --- expanded children by version ------------------------------------------------------------


@pytest.mark.parametrize(("version", "collections"), [(None, False), ("1", False), ("2", False)])
def test_versions_1_and_2_expand_children_as_arrays(
    clients: dict[str | None, httpx.Client], version: str | None, collections: bool
) -> None:
    """Before version 3 an expanded child is a plain JSON array of items, at every level."""
    supplier = broadland(clients[version], SUPPLIER_EXPAND, q=f"SupplierNumber={BROADLAND}")
    for name in ("addresses", "sites", "contacts"):
        assert isinstance(supplier[name], list) and supplier[name], name
    assignments = site_of(supplier)["assignments"]
    assert isinstance(assignments, list)
    assert {a["ClientBU"] for a in assignments} >= {"NCC Corporate BU", "NCC Highways BU"}


@pytest.mark.parametrize("version", ["3", "4"])
def test_versions_3_and_later_expand_children_as_collections(
    clients: dict[str | None, httpx.Client], version: str
) -> None:
    """From version 3 an expanded child is a collection object, at every level."""
    supplier = broadland(clients[version], SUPPLIER_EXPAND)
    for name in ("addresses", "sites", "contacts"):
        child = supplier[name]
        assert {"items", "count", "hasMore", "limit", "offset"} <= set(child), name
        assert child["count"] == len(child["items"]) >= 1 and child["hasMore"] is False
    assignments = site_of(supplier)["assignments"]
    assert {a["ClientBU"] for a in assignments["items"]} >= {"NCC Corporate BU", "NCC Highways BU"}


def test_a_created_item_comes_back_in_the_versions_shape(
    clients: dict[str | None, httpx.Client],
) -> None:
    """POST answers with the created item's children as the version shapes them."""
    order = {
        "ProcurementBU": "NCC Highways BU",
        "Supplier": "Broadland Highways Maintenance Ltd",
        "SupplierSite": "BHM-NORWICH",
        "Description": "Framework version check",
    }
    as_v1 = clients[None].post("/draftPurchaseOrders", json=order)
    as_v4 = clients["4"].post("/draftPurchaseOrders", json=order)
    assert as_v1.status_code == as_v4.status_code == 201
    assert as_v1.json()["lines"] == []
    assert as_v4.json()["lines"]["items"] == [] and as_v4.json()["lines"]["count"] == 0


# --- errors by version -----------------------------------------------------------------------


def test_versions_1_to_3_answer_errors_in_plain_text(
    clients: dict[str | None, httpx.Client],
) -> None:
    """A 400 and a 404 are Oracle's message as text/plain up to version 3."""
    for version in (None, "1", "2", "3"):
        bad = clients[version].get("/suppliers", params={"q": "Colour='red'"})
        assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/plain")
        assert "Colour" in bad.text
        missing = clients[version].get("/suppliers/1")
        assert missing.status_code == 404 and missing.text == "The suppliers item 1 doesn't exist."


def test_version_4_answers_errors_as_a_json_payload(
    clients: dict[str | None, httpx.Client],
) -> None:
    """Version 4's errors: title, status and o:errorDetails with the message (and its code)."""
    v4 = clients["4"]
    missing = v4.get("/suppliers/1")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == ERROR_MEDIA_TYPE
    assert missing.json() == {
        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
        "title": "Not Found",
        "status": "404",
        "o:errorDetails": [{"detail": "The suppliers item 1 doesn't exist."}],
    }
    supplier = broadland(v4, "sites")
    site = site_of(supplier)
    path = (
        f"/suppliers/{supplier['SupplierId']}/child/sites/{site['SupplierSiteId']}"
        "/child/assignments"
    )
    no_bill_to = v4.post(path, json={"ClientBU": "NCC Children's Services BU"})
    assert no_bill_to.status_code == 400 and no_bill_to.headers[VERSION_HEADER] == "4"
    body = no_bill_to.json()
    assert body["title"] == "Bad Request" and body["status"] == "400"
    [detail] = body["o:errorDetails"]
    assert detail["o:errorCode"] == "POZ-2130496"
    assert detail["detail"].startswith("POZ-2130496: You must provide a value for the Bill-to BU")
    not_allowed = v4.patch("/itemsV2", json={})
    assert not_allowed.status_code == 405 and not_allowed.headers["allow"] == "GET"
    assert not_allowed.json()["title"] == "Method Not Allowed"


def test_the_sign_in_challenge_stays_plain_text_in_version_4(
    sandbox_server: SandboxProcess,
) -> None:
    """401 comes before the REST framework: plain text with the Basic challenge."""
    response = httpx.get(
        sandbox_server.rest_base + "/suppliers",
        headers={VERSION_HEADER: "4"},
        trust_env=False,
    )
    assert response.status_code == 401 and response.text == "Unauthorized"
    assert response.headers["www-authenticate"].startswith("Basic")


# --- expand ----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [None, "4"])
def test_expand_all_expands_the_first_level_only(
    clients: dict[str | None, httpx.Client], version: str | None
) -> None:
    """expand=all gives every child of the item, but not their children (site assignments,
    an order line's schedules)."""
    client = clients[version]
    supplier = broadland(client, "all", q=f"SupplierNumber={BROADLAND}")
    assert {"addresses", "sites", "contacts"} <= set(supplier)
    assert "assignments" not in site_of(supplier)
    order = client.get(
        "/purchaseOrders", params={"q": "OrderNumber=1004504", "expand": "all"}
    ).json()["items"][0]
    lines = order["lines"]["items"] if isinstance(order["lines"], dict) else order["lines"]
    assert lines and all("schedules" not in line for line in lines)


def test_nested_children_are_expanded_by_name(clients: dict[str | None, httpx.Client]) -> None:
    """Child.NestedChild expands a grandchild; naming it alone expands its parent too."""
    v4 = clients["4"]
    named = broadland(v4, SUPPLIER_EXPAND)
    assert {"addresses", "sites", "contacts"} <= set(named)
    assert site_of(named)["assignments"]["count"] >= 2
    only_nested = broadland(v4, "sites.assignments")
    assert "addresses" not in only_nested and "contacts" not in only_nested
    assert site_of(only_nested)["assignments"]["count"] >= 2
    order = v4.get(
        "/purchaseOrders",
        params={"q": "OrderNumber='1004504'", "expand": "lines.schedules.distributions"},
    ).json()["items"][0]
    schedule = order["lines"]["items"][0]["schedules"]["items"][0]
    assert schedule["distributions"]["items"][0]["POChargeAccount"].startswith("1000-")


@pytest.mark.parametrize(
    ("expand", "named"),
    [
        ("sites,widgets", "widgets"),
        ("sites.widgets", "widgets"),
        ("assignments", "assignments"),  # a grandchild is named through its parent
        ("Sites", "Sites"),
    ],
)
def test_an_unknown_child_answers_400_naming_it(
    clients: dict[str | None, httpx.Client], expand: str, named: str
) -> None:
    """expand naming a child the resource does not have is a 400 that names the child."""
    for version in (None, "4"):
        response = clients[version].get("/suppliers", params={"expand": expand})
        assert response.status_code == 400, (version, expand)
        text = response.text if version is None else response.json()["o:errorDetails"][0]["detail"]
        assert f"The child resource {named} isn't valid" in text
