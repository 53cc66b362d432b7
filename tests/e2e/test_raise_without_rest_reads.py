"""raise-purchase-orders with ``oracle.rest_reads = false``: orders are found again, and read
back after Submit, through the Purchase Orders work area's search instead of REST."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from config.settings import OracleSettings
from flows.common.outcomes import ItemStatus
from sandbox.process import SandboxProcess
from tests.e2e.po_support import (
    REST_HEADERS,
    example_rows,
    orders_for,
    run_flow,
    unique_tag,
    write_requests,
)
from tests.sandbox_settings import flow_settings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_without_rest_reads_an_earlier_draft_is_resumed_and_orders_are_read_back_from_the_pages(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """One request's order was created by an earlier attempt (Incomplete, no lines): it is found
    by the request id in its description through the work area's search and finished, not made
    again. Another request is raised from nothing. Both are read back after Submit from the
    search results, kept as evidence."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0003", "REQ-2026-0005"])
    resumed_id, fresh_id = rows[0]["request_id"], rows[-1]["request_id"]
    first = rows[0]
    draft = rest.post(
        "/draftPurchaseOrders",
        json={
            "ProcurementBU": first["procurement_bu"],
            "RequisitioningBU": first["requisitioning_bu"],
            "Supplier": first["supplier"],
            "SupplierSite": first["supplier_site"],
            "Description": f"[{resumed_id}] {first['description']}",
        },
        headers=REST_HEADERS,
    )
    assert draft.status_code == 201, draft.text
    draft_number = draft.json()["OrderNumber"]

    settings = flow_settings(tmp_path / "home", sandbox_server)
    settings = settings.model_copy(
        update={"oracle": OracleSettings(**{**settings.oracle.model_dump(), "rest_reads": False})}
    )
    source = write_requests(tmp_path / "in" / "requests.csv", rows)
    result = run_flow(settings, source)

    assert result.aborted is None
    outcomes = {o.request_id: o for o in result.items}
    assert {o.status for o in outcomes.values()} == {ItemStatus.RAISED}, [
        o.message for o in result.items
    ]
    assert outcomes[resumed_id].po_number == draft_number
    [resumed] = orders_for(rest, resumed_id)
    assert resumed["OrderNumber"] == draft_number
    assert resumed["Status"] in ("Open", "Pending Approval")
    assert len(resumed["lines"]["items"]) == sum(r["request_id"] == resumed_id for r in rows)
    [fresh] = orders_for(rest, fresh_id)
    assert fresh["OrderNumber"] == outcomes[fresh_id].po_number

    for outcome in outcomes.values():
        [read_back] = [p for p in outcome.evidence if p.name.endswith("order.json")]
        kept = json.loads(read_back.read_text(encoding="utf-8"))
        assert kept["OrderNumber"] == outcome.po_number
        assert kept["Status"] in ("Open", "Pending Approval")
        assert "work area" in kept["ReadFrom"]

    # The run itself made no REST call (the pages' own calls are the browser's); the log goes
    # on after the run's end with this test's own reads.
    [events] = (tmp_path / "home" / "logs" / "runs").glob("*/events.jsonl")
    during_run = events.read_text(encoding="utf-8").split('"run finished"')[0]
    assert "order read back" in during_run
    assert "fscmRestApi" not in during_run
