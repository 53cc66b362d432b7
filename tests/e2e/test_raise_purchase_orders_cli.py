"""The raise-purchase-orders command as operators and the scheduler run it: a real subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.oracle_target import oracle_target_id
from sandbox.process import SandboxProcess
from tests.e2e.po_support import (
    example_rows,
    orders_for,
    rpa_command,
    unique_tag,
    write_requests,
)
from tests.sandbox_settings import flow_env, sandbox_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]
FLOW = "raise-purchase-orders"


def test_json_output_exit_code_and_inbox_archiving(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """An inbox file with one good and one bad request: exit 3, JSON result, file archived."""
    tag = unique_tag()
    home = tmp_path / "home"
    rows = example_rows(tag, ["REQ-2026-0005", "REQ-2026-0004"], one_line=True)
    for row in rows:
        if row["request_id"].endswith("-0004"):
            row["unit_price"] = "-1"
    inbox_file = write_requests(home / "inbox" / "purchase-orders" / "batch.csv", rows)
    done = subprocess.run(
        rpa_command("run", FLOW, "--json"),
        env=flow_env(home, sandbox_server),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 3, done.stderr[-3000:]
    body = json.loads(done.stdout)
    assert body["flow"] == FLOW
    assert body["status"] == "partial"
    assert body["counts"]["raised"] == 1
    assert body["counts"]["rejected"] == 1
    assert body["schema_version"] == 1 and body["mode"] == "run" and body["exit_code"] == 3
    assert body["target"] == oracle_target_id(sandbox_server.base_url)
    items = {i["subject"]: i for i in body["items"]}
    assert items[f"T{tag}-0005"]["status"] == "raised"
    assert items[f"T{tag}-0005"]["reference"]
    assert "unit_price" in items[f"T{tag}-0004"]["message"]
    assert not inbox_file.exists()
    archived = home / "inbox" / "purchase-orders" / "processed" / "batch.csv"
    assert archived.exists()
    results = archived.with_name("batch.csv.results.csv")
    assert [f["results_file"] for f in body["files"]] == [str(results)]
    assert results.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "request_id,status,po_number,message,run_id"
    )
    [order] = orders_for(rest, f"T{tag}-0005")
    assert order["OrderNumber"] == items[f"T{tag}-0005"]["reference"]


def _wait_for_state(
    ledger_path: Path,
    scope: ItemScope,
    key: str,
    states: set[ItemState],
    process: subprocess.Popen[bytes],
    timeout_s: float,
) -> ItemState:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended (exit {process.returncode}) before the kill")
        if ledger_path.exists():
            with Ledger(f"sqlite:///{ledger_path}") as ledger:
                item = ledger.get(scope, key)
            if item is not None and item.state in states:
                return item.state
        time.sleep(0.05)
    raise AssertionError(f"{key} never reached {states}")


@pytest.mark.parametrize("kill_in", [ItemState.CREATED, ItemState.SUBMITTING])
def test_sigkill_mid_order_then_rerun_leaves_exactly_one_order_per_request(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client, kill_in: ItemState
) -> None:
    """kill -9 of the runner while an order is half made or submitting; the rerun finishes it.

    Killed in ``created``, the order exists but its description (which carries the request id)
    is not saved yet: Oracle's create drawer has no Description. The rerun finds it by the
    number the ledger recorded, not by the request id."""
    tag = unique_tag()
    home = tmp_path / "home"
    ids = ["REQ-2026-0001"]
    source = write_requests(tmp_path / "requests.csv", example_rows(tag, ids))
    env = flow_env(home, sandbox_server)
    sandbox_server.set_faults(latency_ms=250)  # widens the window in which the kill lands
    runner = subprocess.Popen(
        rpa_command("run", FLOW, "--input", str(source), "--json"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for_state(
            home / "state" / "ledger.sqlite3",
            sandbox_scope(FLOW, sandbox_server),
            f"T{tag}-0001",
            {kill_in},
            runner,
            timeout_s=240,
        )
    finally:
        os.killpg(runner.pid, signal.SIGKILL)  # the runner and its browser, no clean-up at all
        runner.wait(timeout=30)
    sandbox_server.restore_faults()
    if kill_in is ItemState.CREATED:
        with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as ledger:
            item = ledger.get(sandbox_scope(FLOW, sandbox_server), f"T{tag}-0001")
        assert item is not None and item.reference
        [made] = rest.get(
            "/purchaseOrders", params={"q": f"OrderNumber='{item.reference}'", "onlyData": "true"}
        ).json()["items"]
        # The kill landed between Create and the description: no request id on the order yet.
        assert not str(made.get("Description") or "").startswith(f"[T{tag}-0001]")
        assert orders_for(rest, f"T{tag}-0001") == []

    rerun = subprocess.run(
        rpa_command("run", FLOW, "--input", str(source), "--json"),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    body = json.loads(rerun.stdout)
    numbers = {}
    for item in body["items"]:
        assert item["status"] in ("raised", "duplicate"), item
        numbers[item["subject"]] = item["reference"]
    assert set(numbers) == {f"T{tag}-0001"}
    for request_id, po_number in numbers.items():
        orders = orders_for(rest, request_id)
        assert [o["OrderNumber"] for o in orders] == [po_number], "exactly one order per request"
        assert orders[0]["Status"] in ("Open", "Pending Approval")
        if request_id.endswith("-0001"):
            assert len(orders[0]["lines"]["items"]) == 2, "the half-made order was completed"
