"""raise-purchase-orders end to end: real Chromium driving the real sandbox over HTTP."""

from __future__ import annotations

import csv
import threading
from datetime import date
from pathlib import Path

import httpx
import pytest

from config.settings import ReferenceCheckSettings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.flow import FlowResult, RaiseOptions
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import RunStatus
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import (
    decimal,
    example_rows,
    orders_for,
    run_flow,
    unique_tag,
    write_requests,
)
from tests.flows import write_xlsx
from tests.sandbox_settings import flow_settings

# Whole flow runs through real pages: allow more than the default per-test limit.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


def by_id(result: FlowResult) -> dict[str, object]:
    return {o.request_id: o for o in result.items}


def test_multi_line_orders_are_raised_and_match_the_request_field_by_field(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Two multi-line requests become two submitted orders; a rerun raises nothing more."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0001", "REQ-2026-0002"])
    source = write_requests(tmp_path / "in" / "requests.csv", rows)
    result = run_flow(flow_settings(tmp_path / "home", sandbox_server), source)

    assert result.aborted is None
    assert result.counts["raised"] == 2, [o.message for o in result.items]
    for request_id in {r["request_id"] for r in rows}:
        outcome = by_id(result)[request_id]
        [order] = orders_for(rest, request_id)
        assert order["OrderNumber"] == outcome.po_number  # type: ignore[attr-defined]
        assert order["Status"] in ("Open", "Pending Approval")
        wanted = [r for r in rows if r["request_id"] == request_id]
        header = wanted[0]
        assert order["ProcurementBU"] == header["procurement_bu"]
        assert order["Supplier"] == header["supplier"]
        assert order["SupplierSite"] == header["supplier_site"]
        assert order["Description"] == f"[{request_id}] {header['description']}"
        if header["buyer"]:
            assert order["Buyer"] == header["buyer"]
        lines = order["lines"]["items"]
        assert len(lines) == len(wanted)
        for line, row in zip(sorted(lines, key=lambda ln: ln["LineNumber"]), wanted, strict=True):
            assert decimal(line["Quantity"]) == decimal(row["quantity"])
            assert decimal(line["Price"]) == decimal(
                row["unit_price"].replace("£", "").replace(",", "")
            )
            if row["item"]:
                assert line["Item"] == row["item"]
            else:
                assert line["Description"] == row["line_description"]
                assert line["Category"] == row["category"]
                assert line["UOM"] == row["uom"]
            [schedule] = line["schedules"]["items"]
            need_by = row["need_by_date"]
            if "/" in need_by:
                d, m, y = need_by.split("/")
                need_by = f"{y}-{m}-{d}"
            assert schedule["NeedByDate"] == need_by
            assert schedule["ShipToLocationCode"] == row["ship_to_location"]
            [distribution] = schedule["distributions"]["items"]
            assert distribution["POChargeAccount"] == row["charge_account"]
            assert distribution["DeliverToLocationCode"] == row["deliver_to_location"]
            if row["requester"]:
                assert distribution["Requester"] == row["requester"]

    [results_file] = result.results_files
    with results_file.open(encoding="utf-8-sig") as stream:
        written = {r["request_id"]: r for r in csv.DictReader(stream)}
    assert {r["status"] for r in written.values()} == {"raised"}
    assert source.exists(), "an operator's own file is copied to processed/, never moved"

    # A rerun of the same file raises nothing and reports the numbers the first run got.
    again = run_flow(flow_settings(tmp_path / "home", sandbox_server), source)
    assert {o.status for o in again.items} == {ItemStatus.DUPLICATE}
    assert {o.request_id: o.po_number for o in again.items} == {
        o.request_id: o.po_number for o in result.items
    }
    for request_id in {r["request_id"] for r in rows}:
        assert len(orders_for(rest, request_id)) == 1


def test_oracle_rules_reject_requests_with_oracles_message_and_others_go_through(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """A disabled charge account and an unknown supplier site are business rejections when
    Oracle refuses them in the pages (the reference checks off: they narrow the window, and
    the bot must still handle what Oracle refuses at the last moment)."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0004", "REQ-2026-0005", "REQ-2026-0003"], one_line=True)
    for row in rows:
        if row["request_id"].endswith("-0004"):
            row["charge_account"] = "1000-CC150-5100-000"  # a disabled combination in the seed
        if row["request_id"].endswith("-0005"):
            row["supplier_site"] = "NO-SUCH-SITE"
    source = write_requests(tmp_path / "requests.csv", rows)
    settings = flow_settings(
        tmp_path / "home",
        sandbox_server,
        reference_checks=ReferenceCheckSettings(enabled=False),
    )
    result = run_flow(settings, source)
    assert result.reference_check == "not checked: reference_checks.enabled is off"
    outcomes = by_id(result)
    bad_account = outcomes[f"T{tag}-0004"]
    bad_site = outcomes[f"T{tag}-0005"]
    good = outcomes[f"T{tag}-0003"]
    assert bad_account.status is ItemStatus.REJECTED  # type: ignore[attr-defined]
    # Oracle's refusal, told with the cell it concerns.
    assert (
        "requests.csv row 3, column charge_account, value '1000-CC150-5100-000': Oracle refused "
        "it: " in bad_account.message  # type: ignore[attr-defined]
    )
    assert bad_site.status is ItemStatus.REJECTED  # type: ignore[attr-defined]
    assert (
        "requests.csv row 4, column supplier_site, value 'NO-SUCH-SITE': Oracle refused it: "
        in bad_site.message  # type: ignore[attr-defined]
    )
    assert good.status is ItemStatus.RAISED  # type: ignore[attr-defined]
    assert bad_account.attempts == 1, "business failures are never retried"  # type: ignore[attr-defined]
    # No hidden drafts: the order the refused charge account left Incomplete was deleted (the
    # rejection says so), and the refused site stopped the drawer before any order existed.
    for request_id in (f"T{tag}-0004", f"T{tag}-0005"):
        assert orders_for(rest, request_id) == []
    assert "Incomplete draft" in bad_account.message  # type: ignore[attr-defined]
    assert "was deleted from Oracle" in bad_account.message  # type: ignore[attr-defined]
    assert bad_account.po_number is None  # type: ignore[attr-defined]


def test_server_errors_are_retried_where_they_happen_and_the_request_is_raised_once(
    tmp_path: Path,
    sandbox_server: SandboxProcess,
    rest: httpx.Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Failed reads are tried again on the spot; a failure the page shows costs one attempt.

    The REST look-up fails twice and the supplier search fails twice: both are reads, tried
    again where they failed. The drawer's defaults fail once: the error dialog is read at once
    (not after a click timed out behind it) and the attempt starts again. One order results.
    """
    tag = unique_tag()
    source = write_requests(tmp_path / "requests.csv", example_rows(tag, ["REQ-2026-0005"]))
    sandbox_server.set_faults(
        latency_ms=50,
        latency_jitter_ms=50,
        fail_next=[
            {"path_contains": "/purchaseOrders", "times": 2, "status": 503},
            {"path_contains": "/documentStylesLOV", "times": 1, "status": 500},
            {"path_contains": "/suppliersLOV", "times": 2, "status": 500},
        ],
    )
    result = run_flow(flow_settings(tmp_path / "home", sandbox_server), source)
    left = [rule["times"] for rule in sandbox_server.faults()["fail_next"]]
    sandbox_server.restore_faults()
    assert left == [0, 0, 0], "every injected failure was met"
    outcome = result.items[0]
    assert outcome.status is ItemStatus.RAISED, outcome.message
    assert outcome.attempts == 2, "only the failure the page showed cost an attempt"
    failures = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg["event"] == "attempt failed"
    ]
    assert [f["failure_class"] for f in failures] == ["ServerError"]
    assert "HTTP 500" in failures[0]["error"]
    assert len(orders_for(rest, outcome.request_id)) == 1


def test_connection_dropped_on_submit_is_resolved_without_a_second_order(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """The submit goes through but its answer is lost: the flow finds the order and records it."""
    tag = unique_tag()
    source = write_requests(tmp_path / "requests.csv", example_rows(tag, ["REQ-2026-0005"]))
    sandbox_server.set_faults(drop_next_submit=True)
    result = run_flow(flow_settings(tmp_path / "home", sandbox_server), source)
    [outcome] = result.items
    assert outcome.status is ItemStatus.RAISED, outcome.message
    [order] = orders_for(rest, outcome.request_id)
    assert order["OrderNumber"] == outcome.po_number
    assert order["Status"] in ("Open", "Pending Approval")


def test_session_expiry_mid_run_signs_in_again_and_finishes(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Sessions expired while a request is worked on: the bot signs in again and raises it once."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0004", "REQ-2026-0005"], one_line=True)
    source = write_requests(tmp_path / "requests.csv", rows)
    settings = flow_settings(tmp_path / "home", sandbox_server)
    expired = threading.Event()

    def expire_after_first(outcome: object) -> None:
        if not expired.is_set():
            expired.set()
            sandbox_server.expire_sessions()

    options = RaiseOptions(input_path=source, dry_run=False, workers=1, today=date.today())
    result, _ = run_raise_purchase_orders(
        settings,
        options,
        trigger=detect_trigger(operator="pytest"),
        run_id=f"test-{tag}",
        target=ConfiguredOracle(settings.oracle),
        on_outcome=expire_after_first,
        console_logging=False,
    )
    assert expired.is_set()
    assert result.counts["raised"] == 2, [(o.request_id, o.message) for o in result.items]
    for outcome in result.items:
        assert len(orders_for(rest, outcome.request_id)) == 1


def test_three_workers_raise_each_request_once(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Three workers share three requests: each is raised by exactly one of them, once.

    The single-worker path is what the other tests here run; this one is about the workers
    claiming requests concurrently from one ledger.
    """
    ids = ["REQ-2026-0003", "REQ-2026-0004", "REQ-2026-0005"]
    tag = unique_tag()
    source = write_requests(tmp_path / "requests.csv", example_rows(tag, ids, one_line=True))
    result = run_flow(flow_settings(tmp_path / "home", sandbox_server), source, workers=3)
    assert sorted(o.request_id.split("-")[-1] for o in result.items) == ["0003", "0004", "0005"]
    assert {o.status for o in result.items} == {ItemStatus.RAISED}, [
        (o.request_id, o.message) for o in result.items
    ]
    numbers = set()
    for outcome in result.items:
        [order] = orders_for(rest, outcome.request_id)
        assert order["OrderNumber"] == outcome.po_number
        numbers.add(outcome.po_number)
    assert len(numbers) == 3


def test_a_blank_ship_to_location_takes_the_requisitioning_bus_default(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """``ship_to_location`` is optional: left blank, the order takes Oracle's default, the
    requisitioning BU's default location, as Fusion does; the robot does not type one."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0003"], one_line=True)
    for row in rows:
        row["ship_to_location"] = ""
        row["deliver_to_location"] = ""
    source = write_requests(tmp_path / "requests.csv", rows)
    result = run_flow(flow_settings(tmp_path / "home", sandbox_server), source)
    (outcome,) = result.items
    assert outcome.status is ItemStatus.RAISED, outcome.message
    [order] = orders_for(rest, outcome.request_id)
    assert order["Status"] in ("Open", "Pending Approval")
    expected = _default_location(rest, rows[0]["requisitioning_bu"] or rows[0]["procurement_bu"])
    assert order["ShipToLocationCode"] == expected


def _default_location(rest: httpx.Client, bu_name: str) -> str:
    """The BU's default ship-to location, as Oracle's business-unit list tells it."""
    answer = rest.get(
        "/procurementBusinessUnitsLOV",
        params={"q": f"BusinessUnitName='{bu_name}'", "onlyData": "true"},
    )
    [bu] = answer.json()["items"]
    return str(bu["DefaultShipToLocationCode"])


def test_two_files_with_one_stem_keep_a_results_file_each(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    """orders.csv and orders.xlsx arrive together: each is archived with its own results file,
    listing its own requests (they used to share orders.results.csv, the second overwriting)."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0004", "REQ-2026-0005"], one_line=True)
    folder = tmp_path / "arrived"
    in_csv = [r for r in rows if r["request_id"] == f"T{tag}-0005"]
    in_xlsx = [r for r in rows if r["request_id"] == f"T{tag}-0004"]
    write_requests(folder / "orders.csv", in_csv)
    write_xlsx(folder / "orders.xlsx", [list(in_xlsx[0]), *(list(r.values()) for r in in_xlsx)])
    settings = flow_settings(tmp_path / "home", sandbox_server)

    result = run_flow(settings, folder)

    assert result.counts["raised"] == 2, [(o.request_id, o.message) for o in result.items]
    processed = settings.inbox / "processed"
    assert sorted(p.name for p in processed.iterdir()) == [
        "orders.csv",
        "orders.csv.results.csv",
        "orders.xlsx",
        "orders.xlsx.results.csv",
    ]
    for results_name, request_id in (
        ("orders.csv.results.csv", f"T{tag}-0005"),
        ("orders.xlsx.results.csv", f"T{tag}-0004"),
    ):
        with (processed / results_name).open(encoding="utf-8-sig") as stream:
            written = list(csv.DictReader(stream))
        assert [(r["request_id"], r["status"]) for r in written] == [(request_id, "raised")]


def test_a_stop_while_the_last_request_is_in_hand_leaves_the_run_succeeded(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    """A stop signal that arrives while the last request is being raised: the request is
    finished and the run, having left nothing undone, is succeeded, not aborted (exit 0)."""
    tag = unique_tag()
    source = write_requests(tmp_path / "one.csv", example_rows(tag, ["REQ-2026-0005"]))
    settings = flow_settings(tmp_path / "home", sandbox_server)
    stop = threading.Event()
    result, _ = run_raise_purchase_orders(
        settings,
        RaiseOptions(input_path=source, dry_run=False, workers=1, today=date.today()),
        trigger=detect_trigger(operator="pytest"),
        run_id=f"test-{tag}",
        target=ConfiguredOracle(settings.oracle),
        on_outcome=lambda _outcome: stop.set(),  # the signal lands as the request completes
        stop=stop,
        console_logging=False,
    )
    assert stop.is_set()
    assert [o.status for o in result.items] == [ItemStatus.RAISED]
    assert result.aborted is None and result.run_status is RunStatus.SUCCEEDED
    assert (settings.inbox / "processed" / "one.csv.results.csv").exists()
