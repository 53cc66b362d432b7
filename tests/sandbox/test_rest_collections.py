"""Collection behaviour shared by every resource: envelope, paging, ordering, fields, expand."""

from __future__ import annotations

import httpx

from sandbox.process import SandboxProcess
from sandbox.rest.versions import ERROR_MEDIA_TYPE
from tests.sandbox.resthelpers import error_message

ITEM_COUNT = 216  # the seed's catalogue: 18 spend categories x 12 items; REST never adds items


def test_envelope_has_oracle_fields_and_links(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """A collection has items, count, hasMore, limit, offset and a self link; items have links."""
    body = rest.get("/purchaseOrders").json()
    assert set(body) == {"items", "count", "hasMore", "limit", "offset", "links"}
    assert body["limit"] == 25 and body["offset"] == 0 and body["count"] == len(body["items"]) == 25
    assert body["links"][0]["rel"] == "self"
    assert body["links"][0]["href"] == f"{sandbox_server.rest_base}/purchaseOrders"
    item = body["items"][0]
    rels = {link["rel"]: link["href"] for link in item["links"]}
    self_href = f"{sandbox_server.rest_base}/purchaseOrders/{item['POHeaderId']}"
    assert rels["self"] == rels["canonical"] == self_href
    child = [link for link in item["links"] if link["rel"] == "child"]
    assert [(c["name"], c["href"]) for c in child] == [("lines", self_href + "/child/lines")]


def test_paging_walks_the_whole_collection(rest: httpx.Client) -> None:
    """limit/offset pages cover every row once; hasMore is false only on the last page."""
    seen: list[str] = []
    offset = 0
    while True:
        body = rest.get(
            "/itemsV2", params={"limit": 100, "offset": offset, "onlyData": "true"}
        ).json()
        seen += [i["ItemNumber"] for i in body["items"]]
        offset += body["count"]
        if not body["hasMore"]:
            break
    assert len(seen) == len(set(seen)) == ITEM_COUNT


def test_total_results_only_when_asked(rest: httpx.Client) -> None:
    """totalResults=true adds the filtered total; without it the key is absent."""
    asked = rest.get(
        "/itemsV2", params={"totalResults": "true", "limit": 5, "q": "ItemNumber LIKE 'NCC-FIR-%'"}
    )
    assert asked.json()["totalResults"] == 12 and asked.json()["hasMore"] is True
    assert "totalResults" not in rest.get("/itemsV2").json()


def test_limit_is_capped_at_500(rest: httpx.Client) -> None:
    """A limit above 500 is served as 500 rows at most."""
    body = rest.get("/accountCombinationsLOV", params={"limit": 9999}).json()
    assert body["limit"] == 500 and body["count"] == 120 and body["hasMore"] is False
    assert rest.get("/itemsV2", params={"limit": 1000}).json()["count"] == ITEM_COUNT


def test_bad_paging_parameters_answer_400(rest: httpx.Client) -> None:
    """Non-numeric or zero limits and negative offsets are refused."""
    for params in ({"limit": "ten"}, {"limit": 0}, {"offset": -1}, {"totalResults": "maybe"}):
        assert rest.get("/itemsV2", params=params).status_code == 400


def test_order_by_sorts_and_rejects_unknown_attributes(rest: httpx.Client) -> None:
    """orderBy=A:desc,B sorts by several attributes; an unknown attribute is a 400."""
    body = rest.get(
        "/itemsV2",
        params={"orderBy": "ListPrice:desc,ItemNumber", "limit": 500, "onlyData": "true"},
    ).json()
    keys = [(-i["ListPrice"], i["ItemNumber"]) for i in body["items"]]
    assert keys == sorted(keys)
    assert rest.get("/itemsV2", params={"orderBy": "Colour:asc"}).status_code == 400


def test_fields_and_only_data_trim_items(rest: httpx.Client) -> None:
    """fields keeps just the named attributes; onlyData drops links everywhere."""
    body = rest.get(
        "/suppliers", params={"fields": "Supplier,SupplierNumber", "onlyData": "true"}
    ).json()
    assert all(set(i) == {"Supplier", "SupplierNumber"} for i in body["items"])
    assert "links" not in body
    assert rest.get("/suppliers", params={"fields": "Nope"}).status_code == 400


def test_named_nested_children_expand_lines_schedules_and_distributions(
    rest: httpx.Client,
) -> None:
    """expand=lines,lines.schedules,lines.schedules.distributions returns the whole order tree,
    each child as a collection (version 3 and later)."""
    order = rest.get(
        "/purchaseOrders",
        params={
            "q": "OrderNumber='1004504'",
            "expand": "lines,lines.schedules,lines.schedules.distributions",
        },
    ).json()["items"][0]
    line = order["lines"]["items"][0]
    schedule = line["schedules"]["items"][0]
    distribution = schedule["distributions"]["items"][0]
    assert order["lines"]["count"] == len(order["lines"]["items"])
    assert schedule["NeedByDate"] and distribution["POChargeAccount"].startswith("1000-")
    assert distribution["links"][0]["href"].endswith(
        f"/lines/{line['POLineId']}/child/schedules/{schedule['LineLocationId']}"
        f"/child/distributions/{distribution['PODistributionId']}"
    )


def test_expand_named_child_and_fields_per_level(rest: httpx.Client) -> None:
    """expand=lines expands one level; fields=A;lines:B picks attributes per level."""
    only_lines = rest.get("/purchaseOrders", params={"expand": "lines", "limit": 1}).json()[
        "items"
    ][0]
    assert "lines" in only_lines and "schedules" not in only_lines["lines"]["items"][0]
    trimmed = rest.get(
        "/purchaseOrders",
        params={"fields": "OrderNumber;lines:LineNumber,Amount", "limit": 1, "onlyData": "true"},
    ).json()["items"][0]
    assert set(trimmed) == {"OrderNumber", "lines"}
    assert all(set(line) == {"LineNumber", "Amount"} for line in trimmed["lines"]["items"])
    assert rest.get("/purchaseOrders", params={"expand": "widgets"}).status_code == 400


def test_child_collection_and_item_urls(rest: httpx.Client) -> None:
    """Children are reachable at …/{id}/child/<name> and …/child/<name>/{id}."""
    order = rest.get("/purchaseOrders", params={"limit": 1, "onlyData": "true"}).json()["items"][0]
    lines = rest.get(f"/purchaseOrders/{order['POHeaderId']}/child/lines").json()
    line_id = lines["items"][0]["POLineId"]
    one = rest.get(f"/purchaseOrders/{order['POHeaderId']}/child/lines/{line_id}")
    assert one.status_code == 200 and one.json()["POLineId"] == line_id
    schedules = rest.get(
        f"/purchaseOrders/{order['POHeaderId']}/child/lines/{line_id}/child/schedules"
    )
    assert schedules.json()["count"] >= 1


def test_missing_things_answer_404_with_a_reason(rest: httpx.Client) -> None:
    """Unknown resources, items and children answer 404 with a reason (version 4: in JSON)."""
    for path in (
        "/widgets",
        "/purchaseOrders/1",
        "/purchaseOrders/abc",
        "/purchaseOrders/300000060000001/child/nope",
    ):
        response = rest.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == ERROR_MEDIA_TYPE
        assert "doesn't exist" in error_message(response)
    other_order = rest.get("/purchaseOrders", params={"offset": 1, "limit": 1}).json()["items"][0]
    first = rest.get("/purchaseOrders", params={"limit": 1}).json()["items"][0]
    first_line = rest.get(f"/purchaseOrders/{first['POHeaderId']}/child/lines").json()["items"][0]
    # A line is only found under its own order.
    path = f"/purchaseOrders/{other_order['POHeaderId']}/child/lines/{first_line['POLineId']}"
    assert rest.get(path).status_code == 404


def test_wrong_methods_answer_405(rest: httpx.Client) -> None:
    """Writing to a read-only resource, or GET on an action, answers 405."""
    assert rest.post("/itemsV2", json={}).status_code == 405
    order = rest.get("/purchaseOrders", params={"limit": 1}).json()["items"][0]
    assert rest.patch(f"/purchaseOrders/{order['POHeaderId']}", json={}).status_code == 405
    assert rest.get(f"/purchaseOrders/{order['POHeaderId']}/action/submit").status_code == 405


def test_lovs_answer_with_their_contract_attributes(rest: httpx.Client) -> None:
    """Every LOV resource answers with the attributes the contract lists."""
    expected = {
        "suppliersLOV": {"SupplierId", "Supplier", "SupplierNumber"},
        "procurementBusinessUnitsLOV": {"BusinessUnitId", "BusinessUnitName"},
        "itemsV2": {
            "ItemId",
            "ItemNumber",
            "ItemDescription",
            "ItemCategory",
            "PrimaryUOMValue",
            "ListPrice",
        },
        "purchasingCategoriesLOV": {"CategoryId", "CategoryName", "CategoryCode"},
        "unitsOfMeasureLOV": {"UOMCode", "UnitOfMeasure"},
        "locationsLOV": {
            "LocationId",
            "LocationCode",
            "LocationName",
            "AddressLine1",
            "PostalCode",
        },
        "accountCombinationsLOV": {
            "CodeCombinationId",
            "ConcatenatedSegments",
            "Description",
            "EnabledFlag",
        },
        "procurementPersonsLOV": {"PersonId", "DisplayName", "Email", "BuyerFlag"},
        "documentStylesLOV": {"DocumentStyleId", "DocumentStyle"},
        "currenciesLOV": {"CurrencyCode", "Name"},
        "supplierContactsLOV": {"SupplierContactId", "SupplierId"},
        "supplierSitesLOV": {"SupplierSiteId", "SupplierSite", "SupplierId", "ProcurementBUId"},
    }
    for name, attributes in expected.items():
        body = rest.get(f"/{name}", params={"onlyData": "true"}).json()
        assert body["items"], name
        assert attributes <= set(body["items"][0]), name


def test_suppliers_lov_lists_active_suppliers_only(rest: httpx.Client) -> None:
    """Inactive suppliers are left out of suppliersLOV but stay in suppliers."""
    lov = rest.get("/suppliersLOV", params={"q": "Supplier='Marsh Lane Plant Hire Ltd'"}).json()
    assert lov["count"] == 0
    full = rest.get("/suppliers", params={"q": "Supplier='Marsh Lane Plant Hire Ltd'"}).json()
    assert full["items"][0]["Status"] == "INACTIVE"


def test_site_lov_filtered_by_bu_lists_only_usable_sites(rest: httpx.Client) -> None:
    """With ProcurementBUId in q, supplierSitesLOV lists only sites an order for that BU can use."""
    bus = {
        b["BusinessUnitName"]: b["BusinessUnitId"]
        for b in rest.get("/procurementBusinessUnitsLOV").json()["items"]
    }
    supplier = rest.get(
        "/suppliersLOV", params={"q": "Supplier='Anglia Care Partnership Limited'"}
    ).json()
    supplier_id = supplier["items"][0]["SupplierId"]
    every = rest.get("/supplierSitesLOV", params={"q": f"SupplierId={supplier_id}"}).json()
    assert sorted(s["SupplierSite"] for s in every["items"]) == ["ACP-NORWICH", "ACP-REMIT"]
    usable = rest.get(
        "/supplierSitesLOV",
        params={"q": f"SupplierId={supplier_id} and ProcurementBUId={bus['NCC Corporate BU']}"},
    ).json()
    assert [s["SupplierSite"] for s in usable["items"]] == ["ACP-NORWICH"]
    highways_only = rest.get(
        "/suppliersLOV", params={"q": "Supplier='Broadland Highways Maintenance Ltd'"}
    )
    bhm = highways_only.json()["items"][0]["SupplierId"]
    childrens = bus["NCC Children's Services BU"]
    q = f"SupplierId={bhm} and ProcurementBUId={childrens}"
    assert rest.get("/supplierSitesLOV", params={"q": q}).json()["count"] == 0
