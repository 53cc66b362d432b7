"""sync-suppliers against a sandbox with supplier change control on (Fusion 26A's Redwood
supplier pages): the apply ends ``awaiting_approval`` with the change request's number, is never
retried into a second request, a second run plans nothing for that supplier, and once the
request is approved through the admin endpoint the supplier is unchanged. A new supplier in the
same file is created and set up at once (creating is not under change control).

A sandbox of its own (the setting is the server's); the supplier is made through REST, as an
integration would (applied at once), so the pages' edits of it are under change control.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from config.settings import SandboxSettings
from flows.common.outcomes import ItemStatus
from flows.sync_suppliers.book import FLOW
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.plan_model import Action
from flows.sync_suppliers.report import result_json
from flows.sync_suppliers.run import CHANGES_JSON, run_sync
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import RunStatus, get_run, new_run_id
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import (
    REST_HEADERS,
    address_body,
    create_in_oracle,
    flow_settings,
    read_from_oracle,
    supplier_row,
    taxpayer,
    unique_tag,
    write_supplier_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TODAY = datetime.now(UTC).date()
ADMIN = "/sandbox/admin/supplier-change-requests"


@pytest.fixture(scope="module")
def controlled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir = tmp_path_factory.mktemp("sandbox-change-control")
    settings = SandboxSettings(port=0, supplier_change_control=True)
    with SandboxProcess(data_dir, settings, reset=True) as server:
        yield server


@pytest.fixture(scope="module")
def oracle_rest(controlled: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=controlled.rest_base,
        trust_env=False,
        timeout=30.0,
        auth=(controlled.username, controlled.password),
    ) as client:
        yield client


def _admin(server: SandboxProcess, method: str, path: str = "", **kw: Any) -> httpx.Response:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=30.0) as client:
        return client.request(method, ADMIN + path, **kw)


def _requests_of(server: SandboxProcess, number: str) -> list[dict[str, Any]]:
    listed = _admin(server, "GET", params={"supplierNumber": number})
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


def _run(home: Path, server: SandboxProcess, path: Path, *, plan: bool = False) -> SyncResult:
    settings = flow_settings(home, server)
    result, _ = run_sync(
        settings,
        SyncOptions(input_path=path, plan_only=plan, today=TODAY),
        trigger=detect_trigger(operator="tester"),
        run_id="plan" if plan else new_run_id(),
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result


def _last_run_id(home: Path) -> str:
    runs = sorted((home / "logs" / "runs").iterdir())
    return runs[-1].name


def _by_supplier(result: SyncResult) -> dict[str, Any]:
    return {r.change.supplier: r for r in result.reports}


def test_an_apply_under_change_control_awaits_approval_and_is_not_repeated(
    tmp_path: Path, controlled: SandboxProcess, oracle_rest: httpx.Client
) -> None:
    tag = unique_tag()
    name = f"T{tag} Awaiting Ltd"
    supplier = create_in_oracle(
        oracle_rest,
        name,
        TaxpayerId=taxpayer(tag, 1),
        SupplierType="Services",
        addresses=[address_body("Head Office", "1 Mill Lane", "Norwich", "NR1 1AA")],
    )
    number = supplier["SupplierNumber"]
    row = supplier_row(
        supplier_name=name,
        supplier_number=number,
        taxpayer_id=taxpayer(tag, 1),
        supplier_type="Contractor",
        address_name="Head Office",
        address_line1="1 Mill Lane",
        city="Wymondham",
        postal_code="NR1 1AA",
    )
    for column in ("duns_number", "site_name", "procurement_bu", "site_purposes", "bill_to_bu"):
        row[column] = ""
    for column in ("contact_first_name", "contact_last_name", "contact_email", "contact_phone"):
        row[column] = ""
    # A new supplier in the same file: creating is not under change control, nor is setting
    # up its address, site and contact in the session that created it.
    new_name = f"T{tag} Brand New Ltd"
    new_row = supplier_row(
        supplier_name=new_name,
        taxpayer_id=taxpayer(tag, 2),
        site_name=f"T{tag}-NEW",
        contact_email=f"buyer.{tag.lower()}@new.example",
    )
    path = write_supplier_file(tmp_path / "suppliers.csv", [row, new_row])
    home = tmp_path / "home"

    # 1. The apply: the pages save, Oracle holds the edits in one change request.
    first = _run(home, controlled, path)
    report, created = _by_supplier(first)[name], _by_supplier(first)[new_name]
    assert created.status is ItemStatus.APPLIED, created.message
    assert _requests_of(controlled, created.supplier_number) == []
    assert report.status is ItemStatus.AWAITING_APPROVAL, report.message
    (request,) = _requests_of(controlled, number)
    cr = request["ChangeRequestNumber"]
    assert request["Status"] == "PENDING" and report.change_request_number == cr
    assert f"change request {cr}" in report.message
    assert (first.run_status, first.exit_code) == (RunStatus.SUCCEEDED, 0)
    changed = {(c["ObjectName"], c["Attribute"]): c["NewValue"] for c in request["changes"]}
    assert changed == {(name, "SupplierType"): "Contractor", ("Head Office", "City"): "Wymondham"}
    held = read_from_oracle(oracle_rest, supplier["SupplierId"])
    assert held["SupplierType"] == "Services"  # REST reads the approved state only
    document = result_json(first, "run")
    item = next(i for i in document["items"] if i["subject"] == name)
    assert (item["status"], item["details"]["change_request"]) == ("awaiting_approval", cr)
    assert document["counts"]["awaiting_approval"] == 1 and document["exit_code"] == 0
    assert document["counts"]["applied"] == 1

    run_id = _last_run_id(home)
    run_dir = home / "logs" / "runs" / run_id
    changes = json.loads((run_dir / CHANGES_JSON).read_text(encoding="utf-8"))
    statuses = {c["subject"]: c["status"] for c in changes["changes"]}
    assert statuses == {name: "awaiting_approval", new_name: "applied"}
    with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as ledger:
        record = get_run(ledger, run_id)
        assert record is not None and record.status is RunStatus.SUCCEEDED
        assert record.counts["awaiting_approval"] == 1 and record.target_url
        items = ledger.items(ItemScope(FLOW, record.target_url))
    (ledger_item,) = [i for i in items if i.reference == number]
    assert ledger_item.state is ItemState.DONE
    assert (ledger_item.message or "").startswith("awaiting approval: submitted to Oracle as")

    # 2. While it is pending: the plan shows the supplier in flight, an apply types nothing.
    planned = _run(home, controlled, path, plan=True)
    in_flight = _by_supplier(planned)[name]
    assert _by_supplier(planned)[new_name].status is ItemStatus.UNCHANGED
    assert in_flight.status is ItemStatus.AWAITING_APPROVAL
    assert in_flight.change.action is Action.AWAITING_APPROVAL
    assert in_flight.change_request_number == cr and planned.exit_code == 0
    second = _run(home, controlled, path)
    assert _by_supplier(second)[name].status is ItemStatus.AWAITING_APPROVAL
    assert second.exit_code == 0
    (still,) = _requests_of(controlled, number)
    assert still["LastUpdateDate"] == request["LastUpdateDate"]  # nothing added to it
    assert still["changes"] == request["changes"]

    # 3. Approved in Oracle: applied, and the file now matches.
    approved = _admin(controlled, "POST", f"/{cr}/approve", json={"by": "Jo Approver"})
    assert approved.status_code == 200, approved.text
    now = read_from_oracle(oracle_rest, supplier["SupplierId"])
    assert now["SupplierType"] == "Contractor"
    assert now["addresses"]["items"][0]["City"] == "Wymondham"
    third = _run(home, controlled, path, plan=True)
    assert [r.status for r in third.reports] == [ItemStatus.UNCHANGED] * 2
    assert (
        oracle_rest.get(
            f"/suppliers/{supplier['SupplierId']}/child/changeRequests", headers=REST_HEADERS
        ).json()["items"][0]["Status"]
        == "APPROVED"
    )
