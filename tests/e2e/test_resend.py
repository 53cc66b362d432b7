"""Sending a request again (docs/request-files.md, "Sending a request again"), end to end: real
Chromium, the real sandbox, the real ledger."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from flows.common.outcomes import ItemStatus
from rpa.exit_codes import exit_code_for
from rpa.ledger import ItemState, Ledger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import (
    example_rows,
    orders_for,
    run_flow,
    run_flow_on_inbox,
    unique_tag,
    write_requests,
)
from tests.sandbox_settings import flow_settings, sandbox_scope

FLOW = "raise-purchase-orders"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_a_rejected_request_sent_again_after_the_fix_is_raised(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Rejected for a supplier site Oracle does not have; the buyer fixes the file and sends the
    same request id again: it is raised, and the ledger's history keeps the rejection."""
    tag = unique_tag()
    good = example_rows(tag, ["REQ-2026-0005"])
    request_id = good[0]["request_id"]
    broken = [{**row, "supplier_site": "NO-SUCH-SITE"} for row in good]
    settings = flow_settings(tmp_path / "home", sandbox_server)

    first = run_flow(settings, write_requests(tmp_path / "in" / "first.csv", broken))
    [rejected] = first.items
    assert rejected.status is ItemStatus.REJECTED, rejected.message

    second = run_flow(settings, write_requests(tmp_path / "in" / "fixed.csv", good))
    [raised] = second.items
    assert raised.status is ItemStatus.RAISED, raised.message
    [order] = orders_for(rest, request_id)
    assert order["OrderNumber"] == raised.po_number
    assert order["SupplierSite"] == good[0]["supplier_site"]

    with Ledger(settings.effective_ledger_url) as ledger:
        scope = sandbox_scope(FLOW, sandbox_server)
        states = [t.to_state for t in ledger.history(scope, request_id)]
    assert ItemState.REJECTED in states and states[-1] is ItemState.DONE
    assert states[states.index(ItemState.REJECTED) + 1] is ItemState.PENDING  # the resend


def test_a_raised_request_sent_again_changed_is_a_conflict(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """The same request id with 60 where 50 were raised: nothing is changed in Oracle, the run
    ends partial (exit 3), and the message names the order and the column that differs."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0005"])
    request_id = rows[0]["request_id"]
    settings = flow_settings(tmp_path / "home", sandbox_server)
    first = run_flow(settings, write_requests(tmp_path / "in" / "orders.csv", rows))
    [raised] = first.items
    assert raised.status is ItemStatus.RAISED, raised.message

    changed = [{**rows[0], "quantity": str(int(float(rows[0]["quantity"])) + 10)}, *rows[1:]]
    again = run_flow(settings, write_requests(tmp_path / "in" / "orders-changed.csv", changed))
    [conflict] = again.items
    assert conflict.status is ItemStatus.CONFLICT
    assert conflict.po_number == raised.po_number
    assert str(raised.po_number) in conflict.message
    assert "line 1: quantity" in conflict.message
    assert exit_code_for(again.run_status) == 3
    [order] = orders_for(rest, request_id)
    assert len(order["lines"]["items"]) == len(rows)  # Oracle is as it was

    same = run_flow(settings, write_requests(tmp_path / "in" / "orders-again.csv", rows))
    assert [o.status for o in same.items] == [ItemStatus.DUPLICATE]
    assert exit_code_for(same.run_status) == 0


def test_a_failed_input_request_is_raised_by_the_next_plain_run(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A request from an --input file fails (the create drawer's defaults answer 500, one attempt
    allowed). The file is not in the inbox, yet the next run without --input takes the request
    up from the ledger, with the content it kept, and raises it."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0005"])
    request_id = rows[0]["request_id"]
    source = write_requests(tmp_path / "elsewhere" / "orders.csv", rows)
    home = tmp_path / "home"
    sandbox_server.set_faults(
        fail_next=[{"path_contains": "/documentStylesLOV", "times": 1, "status": 500}]
    )
    failed = run_flow(flow_settings(home, sandbox_server, attempts=1), source)
    sandbox_server.restore_faults()
    [outcome] = failed.items
    assert outcome.status is ItemStatus.FAILED, outcome.message

    plain = run_flow_on_inbox(flow_settings(home, sandbox_server))
    [again] = plain.items
    assert (again.request_id, again.status) == (request_id, ItemStatus.RAISED), again.message
    [order] = orders_for(rest, request_id)
    assert order["OrderNumber"] == again.po_number
    assert len(order["lines"]["items"]) == len(rows)

    nothing_left = run_flow_on_inbox(flow_settings(home, sandbox_server))
    assert nothing_left.items == []
