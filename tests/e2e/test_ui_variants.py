"""Both flows against a second release's pages: the UI profile, not the code, carries the
difference.

The "redwood-alt" sandbox words its pages as another release and tenant do (other labels and
button names, "No matches found" without the stop, "name number" supplier options, NCC-prefixed
order numbers, another confirmation). With the matching profile both flows work unchanged; with
the default profile the first page that differs stops the run (exit 4) naming the profile key,
with every request left pending for the run after the fix.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from config.settings import ReferenceCheckSettings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import FLOW as PO_FLOW
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.run import run_sync
from rpa.exit_codes import exit_code_for
from rpa.ledger import ItemState, Ledger
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import RunStatus, new_run_id
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, orders_for, run_flow, unique_tag, write_requests
from tests.flows.test_supplier_support import (
    CORPORATE,
    children,
    create_in_oracle,
    find_in_oracle,
    read_from_oracle,
    supplier_row,
    taxpayer,
    write_supplier_file,
)
from tests.flows.test_supplier_support import flow_settings as supplier_settings
from tests.sandbox_settings import flow_settings, sandbox_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture
def alt_rest(alt_sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=alt_sandbox_server.rest_base,
        auth=(alt_sandbox_server.username, alt_sandbox_server.password),
        timeout=30.0,
        trust_env=False,
    ) as client:
        yield client


def _sync(home: Path, server: SandboxProcess, path: Path, profile: str) -> SyncResult:
    settings = supplier_settings(home, server)
    settings.oracle.ui_profile = profile
    result, _ = run_sync(
        settings,
        SyncOptions(input_path=path, plan_only=False, today=datetime.now(UTC).date()),
        trigger=detect_trigger(operator="pytest"),
        run_id=new_run_id(),
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result


def test_orders_are_raised_and_refused_through_the_other_releases_pages(
    tmp_path: Path, alt_sandbox_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0001", "REQ-2026-0003", "REQ-2026-0005"], one_line=True)
    for row in rows:
        if row["request_id"].endswith("-0005"):
            row["supplier_site"] = "NO-SUCH-SITE"  # the list says "No matches found", no stop
    source = write_requests(tmp_path / "requests.csv", rows)
    settings = flow_settings(tmp_path / "home", alt_sandbox_server)
    settings.oracle.ui_profile = "redwood-alt"
    # The site is refused by the other release's list, not by the checks before browser work.
    settings.reference_checks = ReferenceCheckSettings(enabled=False)

    result = run_flow(settings, source)

    assert result.aborted is None, result.aborted
    outcomes = {o.request_id: o for o in result.items}
    for suffix in ("0001", "0003"):
        raised = outcomes[f"T{tag}-{suffix}"]
        assert raised.status is ItemStatus.RAISED, raised.message
        assert raised.po_number is not None and raised.po_number.startswith("NCC")
        [order] = orders_for(alt_rest, raised.request_id)
        assert order["OrderNumber"] == raised.po_number
        assert order["Status"] in ("Open", "Pending Approval")
    refused = outcomes[f"T{tag}-0005"]
    assert refused.status is ItemStatus.REJECTED, refused.message
    assert refused.attempts == 1, "a value the list does not offer is Oracle's refusal"
    assert "NO-SUCH-SITE" in refused.message


def test_suppliers_are_created_and_changed_through_the_other_releases_pages(
    tmp_path: Path, alt_sandbox_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    tag = unique_tag()
    n = f"T{tag}"
    existing = create_in_oracle(
        alt_rest, f"{n} Changed Ltd", TaxpayerId=taxpayer(tag, 1), DUNSNumber="200000001"
    )
    blank = dict.fromkeys(supplier_row(), "")
    rows = [
        supplier_row(
            supplier_name=f"{n} Created Ltd",
            taxpayer_id=taxpayer(tag, 2),
            duns_number="300000002",
            postal_code="NR1 1SZ",
            site_name=f"{n}-NEW",
            procurement_bu=CORPORATE,
            bill_to_bu=CORPORATE,
        ),
        blank
        | {
            "supplier_name": f"{n} Changed Ltd",
            "supplier_number": existing["SupplierNumber"],
            "tax_organization_type": "Partnership",
            "duns_number": "200000009",
        },
    ]
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)

    result = _sync(tmp_path / "home", alt_sandbox_server, path, "redwood-alt")

    assert result.aborted is None, result.aborted
    assert result.run_status is RunStatus.SUCCEEDED, result.aborted
    [created] = find_in_oracle(alt_rest, f"{n} Created Ltd")
    created = read_from_oracle(alt_rest, str(created["SupplierId"]))
    assert created["DUNSNumber"] == "300000002"
    [address] = children(created, "addresses")
    assert address["PostalCode"] == "NR1 1SZ"  # typed into "Postcode"
    changed = read_from_oracle(alt_rest, str(existing["SupplierId"]))
    assert changed["TaxOrganizationType"] == "Partnership"  # "Tax Organisation Type"
    assert changed["DUNSNumber"] == "200000009"  # "DUNS Number"


def test_the_default_profile_stops_at_the_first_page_that_differs(
    tmp_path: Path, alt_sandbox_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    """Within one request: exit 4, the profile key named, a screenshot and an ARIA snapshot
    kept, and every request pending; with the right profile the next run raises them all."""
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0001", "REQ-2026-0003"], one_line=True)
    source = write_requests(tmp_path / "requests.csv", rows)
    home = tmp_path / "home"
    settings = flow_settings(home, alt_sandbox_server)

    stopped = run_flow(settings, source)

    assert stopped.run_status is RunStatus.ABORTED
    assert exit_code_for(stopped.run_status) == 4
    assert stopped.aborted is not None and "po.orders.create_button" in stopped.aborted
    assert not [o for o in stopped.items if o.status in (ItemStatus.REJECTED, ItemStatus.FAILED)]
    with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as ledger:
        for row in rows:
            item = ledger.get(sandbox_scope(PO_FLOW, alt_sandbox_server), row["request_id"])
            assert item is None or item.state is not ItemState.DONE
    for row in rows:
        assert orders_for(alt_rest, row["request_id"]) == []
    kept = {p.name for p in (home / "logs").rglob("*") if p.is_file()}
    assert any(name.endswith("aria.yaml") for name in kept), kept
    assert any(name.endswith("failure.png") for name in kept), kept
    assert source.exists(), "the file stays in place for the next run"

    settings.oracle.ui_profile = "redwood-alt"
    after_fix = run_flow(settings, source)
    assert after_fix.aborted is None, after_fix.aborted
    assert {o.status for o in after_fix.items} == {ItemStatus.RAISED}


def test_the_supplier_flow_stops_too_naming_the_key(
    tmp_path: Path, alt_sandbox_server: SandboxProcess, alt_rest: httpx.Client
) -> None:
    tag = unique_tag()
    existing = create_in_oracle(
        alt_rest, f"T{tag} Stopped Ltd", TaxpayerId=taxpayer(tag, 1), DUNSNumber="200000001"
    )
    blank = dict.fromkeys(supplier_row(), "")
    path = write_supplier_file(
        tmp_path / "suppliers.csv",
        [
            blank
            | {
                "supplier_name": f"T{tag} Stopped Ltd",
                "supplier_number": existing["SupplierNumber"],
                "duns_number": "200000009",
            }
        ],
    )

    result = _sync(tmp_path / "home", alt_sandbox_server, path, "redwood")

    assert result.run_status is RunStatus.ABORTED
    assert result.aborted is not None and "suppliers.page." in result.aborted
    assert read_from_oracle(alt_rest, str(existing["SupplierId"]))["DUNSNumber"] == "200000001"
