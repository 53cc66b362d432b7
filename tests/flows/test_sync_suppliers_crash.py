"""Exactly once across a crash: a real ``rpa run sync-suppliers`` is SIGKILLed mid-apply, then
the same file is applied again. Oracle must end with exactly the intended state: the supplier
once, each address, site, assignment and contact once, the update made once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.sync_suppliers.book import FLOW
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.run_record import RunStatus, list_runs
from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import (
    CORPORATE,
    HIGHWAYS,
    children,
    create_in_oracle,
    find_in_oracle,
    read_from_oracle,
    supplier_row,
    taxpayer,
    unique_tag,
    write_supplier_file,
)
from tests.sandbox_settings import flow_env, sandbox_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KILL_DEADLINE_S = 240.0
LATENCY_MS = 300  # every REST call the pages make waits this long: a wide window for the kill


def _state_of(ledger_path: Path, scope: ItemScope, supplier_key: str) -> ItemState | None:
    if not ledger_path.exists():
        return None
    ledger = Ledger(f"sqlite:///{ledger_path}")
    try:
        found = [i for i in ledger.items(scope) if i.item_key.startswith(supplier_key + ":")]
    finally:
        ledger.close()
    return found[0].state if found else None


def test_sigkill_mid_apply_then_rerun_leaves_exactly_the_intended_state(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Killed once the new supplier exists but before its children do, the rerun re-reads
    Oracle, adds only what is missing, finishes the same ledger item and repeats nothing."""
    tag = unique_tag()
    n = f"T{tag}"
    existing = create_in_oracle(
        rest, f"{n} Existing Ltd", TaxpayerId=taxpayer(tag, 1), SupplierType="Services"
    )
    new = f"{n} Crash Test Ltd"
    rows = [
        supplier_row(
            supplier_name=new,
            taxpayer_id=taxpayer(tag, 2),
            duns_number="",
            site_name=f"{n}-A",
            procurement_bu=CORPORATE,
            address_name="Main Office",
            contact_first_name="Ann",
            contact_last_name="Crash",
            contact_email="ann@crash.example",
        ),
        supplier_row(
            supplier_name=new,
            taxpayer_id=taxpayer(tag, 2),
            duns_number="",
            site_name=f"{n}-B",
            procurement_bu=HIGHWAYS,
            address_name="Main Office",
            site_purposes="purchasing",
            contact_first_name="Bob",
            contact_last_name="Crash",
            contact_email="bob@crash.example",
        ),
        dict.fromkeys(supplier_row(), "")
        | {
            "supplier_name": f"{n} Existing Ltd",
            "supplier_type": "Contractor",
        },
    ]
    home = tmp_path / "home"
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)
    command = [sys.executable, "-m", "app", "run", "sync-suppliers", "--input", str(path)]
    env = flow_env(home, sandbox_server)
    ledger_path = home / "state" / "ledger.sqlite3"
    key = f"{n.lower()} crash test"
    scope = sandbox_scope(FLOW, sandbox_server)

    sandbox_server.set_faults(latency_ms=LATENCY_MS)
    log = (tmp_path / "first-run.log").open("wb")
    first = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + KILL_DEADLINE_S
        # Poll the ledger the run writes: kill as soon as the supplier record exists in Oracle
        # (state created) and its address, sites and contacts are still to come.
        while _state_of(ledger_path, scope, key) is not ItemState.CREATED:
            assert first.poll() is None, (tmp_path / "first-run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the run never reached the created state"
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)  # the browser dies with it: one process group
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        log.close()
        sandbox_server.restore_faults()
    (half,) = find_in_oracle(rest, new)
    assert len(children(half, "contacts")) < 2  # the kill came before the work was done

    second = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert second.returncode == 0, second.stderr[-3000:]
    body = json.loads(second.stdout)
    assert body["status"] == "succeeded"
    (made,) = find_in_oracle(rest, new)
    assert made["SupplierId"] == half["SupplierId"]
    assert [a["AddressName"] for a in children(made, "addresses")] == ["Main Office"]
    sites = sorted(
        (
            s["SupplierSite"],
            s["ProcurementBU"],
            [(a["ClientBU"], a["BillToBU"]) for a in children(s, "assignments")],
        )
        for s in children(made, "sites")
    )
    assert sites == [
        (f"{n}-A", CORPORATE, [(CORPORATE, CORPORATE)]),
        (f"{n}-B", HIGHWAYS, [(HIGHWAYS, CORPORATE)]),
    ]
    contacts = sorted((c["FirstName"], c["LastName"]) for c in children(made, "contacts"))
    assert contacts == [("Ann", "Crash"), ("Bob", "Crash")]
    assert read_from_oracle(rest, str(existing["SupplierId"]))["SupplierType"] == "Contractor"

    ledger = Ledger(f"sqlite:///{ledger_path}")
    try:
        (item,) = [i for i in ledger.items(scope) if i.item_key.startswith(key + ":")]
        assert item.state is ItemState.DONE and item.reference == made["SupplierNumber"]
        moves = [(t.from_state, t.to_state) for t in ledger.history(scope, item.item_key)]
        assert moves[-3:] == [
            (ItemState.CREATED, ItemState.ABANDONED),
            (ItemState.ABANDONED, ItemState.IN_PROGRESS),
            (ItemState.IN_PROGRESS, ItemState.DONE),
        ]
        statuses = [r.status for r in reversed(list_runs(ledger, flow=FLOW))]
        assert statuses == [RunStatus.ABORTED, RunStatus.SUCCEEDED]
    finally:
        ledger.close()
    third = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert third.returncode == 0 and json.loads(third.stdout)["counts"]["unchanged"] == 2
