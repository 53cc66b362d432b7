"""Reading Oracle's suppliers through the sandbox's REST API: paging, children, candidates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from flows.sync_suppliers.rest_reader import EXPAND, FRAMEWORK_VERSION, RestSupplierReader
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_target import OracleTarget
from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import source


class CountingRest:
    """The real REST client, counting the requests and the page sizes asked for."""

    def __init__(self, inner: OracleRestReader) -> None:
        self.inner = inner
        self.calls: list[dict[str, Any]] = []

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.calls.append({"path": path, **params})
        return self.inner.get(path, **params)


@pytest.fixture
def rest_reader(sandbox_server: SandboxProcess) -> Iterator[OracleRestReader]:
    target = OracleTarget(
        sandbox_server.base_url,
        sandbox_server.username,
        SecretStr(sandbox_server.password),
        True,
        "sandbox:test",
    )
    reader = OracleRestReader(target)
    yield reader
    reader.close()


def test_snapshot_pages_through_every_supplier_with_children(rest_reader: OracleRestReader) -> None:
    """Small pages are followed to the end; addresses, sites, assignments, contacts are read."""
    counting = CountingRest(rest_reader)
    snapshot = RestSupplierReader(counting, page_size=20).snapshot()
    total = rest_reader.get("/suppliers", limit="1", totalResults="true")["totalResults"]
    assert len(snapshot.suppliers) == total >= 60
    assert len({s.supplier_id for s in snapshot.suppliers}) == total
    assert all(call["limit"] == "20" for call in counting.calls)
    assert len(counting.calls) == -(-total // 20)
    broadland = next(s for s in snapshot.suppliers if s.number == "30001")
    assert broadland.name == "Broadland Highways Maintenance Ltd"
    assert broadland.tax_country == "United Kingdom"
    site = next(s for s in broadland.sites if s.name == "BHM-NORWICH")
    assert site.procurement_bu == "NCC Highways BU"
    assert {"purchasing", "pay"} <= site.purposes
    assert {a.client_bu for a in site.assignments} >= {"NCC Corporate BU", "NCC Highways BU"}
    assert broadland.addresses[0].postal_code and broadland.contacts


def test_page_size_never_exceeds_oracles_limit(rest_reader: OracleRestReader) -> None:
    """The default page asks for 500 rows, Oracle's maximum, and one page holds the seed."""
    counting = CountingRest(rest_reader)
    RestSupplierReader(counting).snapshot()
    assert [call["limit"] for call in counting.calls] == ["500"]


def test_candidates_are_read_by_number_taxpayer_id_and_name_words(
    rest_reader: OracleRestReader,
) -> None:
    """Only suppliers that could match are re-read: same number, taxpayer ID or name words."""
    reader = RestSupplierReader(rest_reader)
    by_name = reader.candidates(source("ANGLIA CARE PARTNERSHIP LTD"))
    assert "Anglia Care Partnership Limited" in {s.name for s in by_name}
    assert all("anglia" in s.name.casefold() or "partnership" in s.name.casefold() for s in by_name)
    # Name words no supplier has (other tests create suppliers in the shared sandbox).
    by_number = reader.candidates(source("Qzvxw Kjqzt", number="30002"))
    assert [s.number for s in by_number] == ["30002"]
    assert by_number[0].addresses  # candidates come with their children


def test_site_assignments_are_read_through_the_named_expand(
    rest_reader: OracleRestReader,
) -> None:
    """Fusion's expand=all stops before the site assignments, so the reader names every child
    (sites.assignments among them), asking for REST framework version 4 as OracleRestReader
    does; the sandbox answers as version 4 and each site comes with its assignments."""
    requests: list[httpx.Request] = []
    versions: list[str | None] = []
    rest_reader._client.event_hooks = {  # the reader's real traffic, observed
        "request": [requests.append],
        "response": [lambda r: versions.append(r.headers.get("REST-Framework-Version"))],
    }
    reader = RestSupplierReader(rest_reader)
    [broadland] = reader.candidates(source("Qzvxw Kjqzt", number="30001"))

    site = next(s for s in broadland.sites if s.name == "BHM-NORWICH")
    assert {a.client_bu for a in site.assignments} >= {"NCC Corporate BU", "NCC Highways BU"}
    assert all(a.bill_to_bu for a in site.assignments)
    assert [r.url.params["expand"] for r in requests] == [EXPAND]
    assert EXPAND == "addresses,sites,sites.assignments,contacts"
    assert [r.headers["REST-Framework-Version"] for r in requests] == [FRAMEWORK_VERSION] == ["4"]
    assert versions == ["4"]
    # What expand=all would have given the planner: every site without its assignments.
    everything = rest_reader.get(
        "/suppliers", q="SupplierNumber='30001'", expand="all", onlyData="true"
    )["items"][0]
    assert everything["sites"]["items"] and all(
        "assignments" not in s for s in everything["sites"]["items"]
    )
