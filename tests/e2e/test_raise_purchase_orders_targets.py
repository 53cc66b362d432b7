"""The ledger's target rule end to end: what was raised in one Oracle is raised again in another.

Real Chromium, two real sandbox processes. Each sandbox listens on its own port, so its target
id (``http://127.0.0.1:<port>``) differs: to the ledger they are two Oracles, like a test pod
and production.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from config.settings import Settings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import FLOW
from flows.raise_purchase_orders.flow import FlowResult
from flows.raise_purchase_orders.outcomes import ItemOutcome
from rpa.ledger import ItemState, Ledger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, orders_for, run_flow, unique_tag, write_requests
from tests.sandbox_settings import flow_settings, sandbox_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]


def _run(settings: Settings, source: Path) -> FlowResult:
    result = run_flow(settings, source)
    assert result.aborted is None, result.aborted
    return result


def _only(result: FlowResult) -> ItemOutcome:
    (outcome,) = result.items
    return outcome


def test_a_request_raised_in_one_sandbox_is_raised_again_in_another(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """One home, one file, two sandboxes: raised in the first, raised again (not duplicate) in
    the second with the second's own order, and duplicate when it comes back to the first."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0003"], one_line=True)
    request_id = rows[0]["request_id"]
    source = write_requests(tmp_path / "in" / "requests.csv", rows)
    home = tmp_path / "home"

    first = _only(_run(flow_settings(home, sandbox_server), source))
    assert first.status is ItemStatus.RAISED, first.message
    [order] = orders_for(rest, request_id)
    assert order["OrderNumber"] == first.po_number

    with SandboxProcess(tmp_path / "second-sandbox", port=0, reset=True) as second:
        second_scope = sandbox_scope(FLOW, second)
        assert second_scope != sandbox_scope(FLOW, sandbox_server)  # another port: another id
        elsewhere = _only(_run(flow_settings(home, second), source))
        assert elsewhere.status is ItemStatus.RAISED, elsewhere.message
        with httpx.Client(
            base_url=second.rest_base,
            auth=(second.username, second.password),
            timeout=30.0,
            trust_env=False,
        ) as second_rest:
            [second_order] = orders_for(second_rest, request_id)
        assert second_order["OrderNumber"] == elsewhere.po_number
        assert second_order["Status"] in ("Open", "Pending Approval")

    back = _only(_run(flow_settings(home, sandbox_server), source))
    assert back.status is ItemStatus.DUPLICATE, back.message
    assert back.po_number == first.po_number
    assert len(orders_for(rest, request_id)) == 1, "still exactly one order in the first sandbox"

    with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as ledger:
        here = ledger.get(sandbox_scope(FLOW, sandbox_server), request_id)
        there = ledger.get(second_scope, request_id)
    assert here is not None and there is not None
    assert (here.state, here.reference) == (ItemState.DONE, first.po_number)
    assert (there.state, there.reference) == (ItemState.DONE, elsewhere.po_number)
