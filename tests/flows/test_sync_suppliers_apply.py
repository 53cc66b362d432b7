"""Applying a supplier file through the sandbox's pages, checked through its REST API.

One file covers every kind of change: a new supplier (address, site, assignment, contact), an
update of every managed field, a deactivation, an unchanged supplier, a conflict and a bad row.
It is applied once for the module (browser time is the expensive part); each test checks one
outcome. The suppliers are this module's own, with unique names.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from flows.sync_suppliers.book import FLOW
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.run import run_sync
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.ledger.schema import audit_events
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import RunStatus, get_run, new_run_id
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import (
    CHILDRENS,
    CORPORATE,
    HIGHWAYS,
    address_body,
    children,
    contact_body,
    create_in_oracle,
    find_in_oracle,
    flow_settings,
    read_from_oracle,
    site_body,
    supplier_row,
    taxpayer,
    unique_tag,
    write_supplier_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TODAY = datetime.now(UTC).date()


@dataclass
class Applied:
    tag: str
    n: str
    home: Path
    oracle: dict[str, dict[str, Any]]  # before the run, by scenario
    result: SyncResult
    run_id: str
    file: Path


@pytest.fixture(scope="module")
def oracle_rest(sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sandbox_server.rest_base,
        trust_env=False,
        timeout=30.0,
        auth=(sandbox_server.username, sandbox_server.password),
    ) as client:
        yield client


def _run(home: Path, sandbox: SandboxProcess, path: Path) -> tuple[SyncResult, str]:
    run_id = new_run_id()
    settings = flow_settings(home, sandbox)
    options = SyncOptions(input_path=path, plan_only=False, today=TODAY)
    result, _ = run_sync(
        settings,
        options,
        trigger=detect_trigger(operator="tester"),
        run_id=run_id,
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result, run_id


@pytest.fixture(scope="module")
def applied(
    tmp_path_factory: pytest.TempPathFactory,
    sandbox_server: SandboxProcess,
    oracle_rest: httpx.Client,
) -> Applied:
    tag = unique_tag()
    n = f"T{tag}"
    head = address_body("Head Office", "1 Mill Lane", "Norwich", "NR1 1AA")
    oracle = {
        "profile": create_in_oracle(
            oracle_rest,
            f"{n} Profile Ltd",
            TaxpayerId=taxpayer(tag, 1),
            TaxOrganizationType="Corporation",
            SupplierType="Services",
            BusinessRelationship="Spend Authorized",
            TaxpayerCountry="United Kingdom",
            DUNSNumber="200000001",
        ),
        "children": create_in_oracle(
            oracle_rest,
            f"{n} Children Ltd",
            TaxpayerId=taxpayer(tag, 2),
            addresses=[head, address_body("Branch Office", "9 Quay Side", "Cromer", "NR27 9AA")],
            sites=[site_body(f"{n}-SITE", CORPORATE, "Head Office")],
            contacts=[contact_body("Ann", "Example", "ann@children.example", "01603 100100")],
        ),
        "closing": create_in_oracle(oracle_rest, f"{n} Closing Ltd", TaxpayerId=taxpayer(tag, 3)),
        "steady": create_in_oracle(
            oracle_rest,
            f"{n} Steady Ltd",
            TaxpayerId=taxpayer(tag, 4),
            SupplierType="Services",
            addresses=[head],
            sites=[site_body(f"{n}-STEADY", CORPORATE, "Head Office")],
        ),
        "conflict": create_in_oracle(oracle_rest, f"{n} Conflict Ltd", TaxpayerId=taxpayer(tag, 5)),
    }
    blank = dict.fromkeys(supplier_row(), "")
    rows = [
        supplier_row(
            supplier_name=f"{n} Ecology Ltd",
            taxpayer_id=taxpayer(tag, 6),
            duns_number="300000006",
            address_name="Norwich Office",
            address_line1="4 Rosary Road",
            city="Norwich",
            postal_code="NR1 1SZ",
            site_name=f"{n}-NEW",
            procurement_bu=CORPORATE,
            site_purposes="purchasing;pay;primary_pay",
            bill_to_bu=CORPORATE,
            contact_first_name="Harriet",
            contact_last_name="Kett",
            contact_email="harriet.kett@ecology.example",
            contact_phone="01603 555123",
        ),
        blank
        | {
            "supplier_name": f"{n} Profile Renamed Ltd",
            "supplier_number": oracle["profile"]["SupplierNumber"],
            "taxpayer_id": taxpayer(tag, 11),
            "tax_organization_type": "Partnership",
            "supplier_type": "Contractor",
            "business_relationship": "Prospective",
            "tax_country": "IE",
            "duns_number": "200000009",
        },
        # A row without a site describes an address (and a contact) only.
        blank
        | {
            "supplier_name": f"{n} Children Ltd",
            "address_name": "Head Office",
            "address_line1": "2 King Street",
            "address_line2": "Floor 3",
            "city": "Norwich City",
            "county": "Norfolk County",
            "postal_code": "NR1 2DH",
            "contact_first_name": "Ann",
            "contact_last_name": "Example",
            "contact_email": "ann.example@children.example",
            "contact_phone": "01603 200200",
        },
        blank
        | {
            "supplier_name": f"{n} Children Ltd",
            "address_name": "Branch Office",
            "country": "IE",
            "postal_code": "D02 X285",
            "site_name": f"{n}-SITE",
            "procurement_bu": CORPORATE,
            "site_purposes": "purchasing;pay",
            "bill_to_bu": CHILDRENS,
            "contact_first_name": "Bob",
            "contact_last_name": "Example",
            "contact_email": "bob@children.example",
        },
        blank
        | {
            "supplier_name": f"{n} Children Ltd",
            "address_name": "Branch Office",
            "site_name": f"{n}-HW",
            "procurement_bu": HIGHWAYS,
            "site_purposes": "purchasing",
            "bill_to_bu": CORPORATE,
        },
        blank | {"supplier_name": f"{n} Closing Ltd", "status": "INACTIVE"},
        blank
        | {
            "supplier_name": f"{n} Steady Ltd",
            "taxpayer_id": taxpayer(tag, 4),
            "supplier_type": "Services",
            "address_name": "Head Office",
            "address_line1": "1 Mill Lane",
            "postal_code": "NR1 1AA",
            "site_name": f"{n}-STEADY",
            "procurement_bu": CORPORATE,
        },
        blank
        | {
            "supplier_name": f"{n} Conflict Ltd",
            "taxpayer_id": taxpayer(tag, 55),
            "supplier_type": "Contractor",
        },
        supplier_row(
            supplier_name=f"{n} Badrow Ltd",
            taxpayer_id=taxpayer(tag, 7),
            contact_email="not-an-address",
        ),
    ]
    home = tmp_path_factory.mktemp("sync-home")
    path = write_supplier_file(home / "suppliers.csv", rows)
    result, run_id = _run(home, sandbox_server, path)
    return Applied(tag, n, home, oracle, result, run_id, path)


def _reports(applied: Applied) -> dict[str, Any]:
    return {r.change.supplier: r for r in applied.result.reports}


def test_the_run_applies_what_it_can_and_reports_the_rest(applied: Applied) -> None:
    """Four changes applied; the conflict and the bad row are left for a person (exit 3)."""
    n, reports = applied.n, _reports(applied)
    assert applied.result.aborted is None
    assert {name: (r.change.action.value, r.status) for name, r in reports.items()} == {
        f"{n} Ecology Ltd": ("create", "applied"),
        f"{n} Profile Renamed Ltd": ("update", "applied"),
        f"{n} Children Ltd": ("update", "applied"),
        f"{n} Closing Ltd": ("deactivate", "applied"),
        f"{n} Steady Ltd": ("unchanged", "unchanged"),
        f"{n} Conflict Ltd": ("conflict", "conflict"),
        f"{n} Badrow Ltd": ("rejected", "rejected"),
    }
    assert (applied.result.status, applied.result.exit_code) == ("partial", 3)
    assert (
        "column contact_email, value 'not-an-address'" in reports[f"{n} Badrow Ltd"].change.message
    )


def test_a_new_supplier_is_created_with_address_site_assignment_and_contact(
    applied: Applied, oracle_rest: httpx.Client
) -> None:
    """The supplier exists once, with exactly the file's address, site, assignment, contact."""
    n = applied.n
    (made,) = find_in_oracle(oracle_rest, f"{n} Ecology")
    assert (made["TaxpayerId"], made["DUNSNumber"], made["SupplierType"]) == (
        taxpayer(applied.tag, 6),
        "300000006",
        "Services",
    )
    (address,) = children(made, "addresses")
    assert (
        address["AddressName"],
        address["AddressLine1"],
        address["City"],
        address["PostalCode"],
        address["CountryCode"],
    ) == (
        "Norwich Office",
        "4 Rosary Road",
        "Norwich",
        "NR1 1SZ",
        "GB",
    )
    (site,) = children(made, "sites")
    assert (site["SupplierSite"], site["ProcurementBU"], site["SupplierAddressName"]) == (
        f"{n}-NEW",
        CORPORATE,
        "Norwich Office",
    )
    assert site["SitePurposePurchasingFlag"] and site["SitePurposePayFlag"]
    assert site["SitePurposePrimaryPayFlag"]
    assert [(a["ClientBU"], a["BillToBU"]) for a in children(site, "assignments")] == [
        (CORPORATE, CORPORATE)
    ]
    (contact,) = children(made, "contacts")
    assert (
        contact["FirstName"],
        contact["LastName"],
        contact["Email"],
        contact["PhoneNumber"],
    ) == (
        "Harriet",
        "Kett",
        "harriet.kett@ecology.example",
        "01603 555123",
    )
    assert _reports(applied)[f"{n} Ecology Ltd"].supplier_number == made["SupplierNumber"]


def test_every_profile_field_is_updated(applied: Applied, oracle_rest: httpx.Client) -> None:
    """Name (matched by number), taxpayer ID, tax organization type, supplier type, business
    relationship, tax country and D-U-N-S number all take the file's values."""
    now = read_from_oracle(oracle_rest, str(applied.oracle["profile"]["SupplierId"]))
    assert {
        k: now[k]
        for k in (
            "Supplier",
            "TaxpayerId",
            "TaxOrganizationType",
            "SupplierType",
            "BusinessRelationship",
            "TaxpayerCountry",
            "DUNSNumber",
        )
    } == {
        "Supplier": f"{applied.n} Profile Renamed Ltd",
        "TaxpayerId": taxpayer(applied.tag, 11),
        "TaxOrganizationType": "Partnership",
        "SupplierType": "Contractor",
        "BusinessRelationship": "Prospective",
        "TaxpayerCountry": "Ireland",
        "DUNSNumber": "200000009",
    }


def test_every_address_site_and_contact_field_is_updated(
    applied: Applied, oracle_rest: httpx.Client
) -> None:
    """Address lines, city, county, postcode and country; site purposes, address and bill-to
    BU; contact e-mail and phone; and a new site and contact on the existing supplier."""
    n = applied.n
    now = read_from_oracle(oracle_rest, str(applied.oracle["children"]["SupplierId"]))
    addresses = {a["AddressName"]: a for a in children(now, "addresses")}
    head = addresses["Head Office"]
    assert (
        head["AddressLine1"],
        head["AddressLine2"],
        head["City"],
        head["County"],
        head["PostalCode"],
    ) == ("2 King Street", "Floor 3", "Norwich City", "Norfolk County", "NR1 2DH")
    assert (
        addresses["Branch Office"]["CountryCode"],
        addresses["Branch Office"]["PostalCode"],
    ) == (
        "IE",
        "D02 X285",
    )
    sites = {s["SupplierSite"]: s for s in children(now, "sites")}
    assert set(sites) == {f"{n}-SITE", f"{n}-HW"}
    old_site = sites[f"{n}-SITE"]
    assert old_site["SupplierAddressName"] == "Branch Office"
    assert (
        old_site["SitePurposePurchasingFlag"],
        old_site["SitePurposePayFlag"],
        old_site["SitePurposePrimaryPayFlag"],
    ) == (True, True, False)
    assert [(a["ClientBU"], a["BillToBU"]) for a in children(old_site, "assignments")] == [
        (CORPORATE, CHILDRENS)
    ]
    new_site = sites[f"{n}-HW"]
    assert (new_site["ProcurementBU"], new_site["SupplierAddressName"]) == (
        HIGHWAYS,
        "Branch Office",
    )
    assert [(a["ClientBU"], a["BillToBU"]) for a in children(new_site, "assignments")] == [
        (HIGHWAYS, CORPORATE)
    ]
    contacts = {(c["FirstName"], c["LastName"]): c for c in children(now, "contacts")}
    assert set(contacts) == {("Ann", "Example"), ("Bob", "Example")}
    assert (contacts["Ann", "Example"]["Email"], contacts["Ann", "Example"]["PhoneNumber"]) == (
        "ann.example@children.example",
        "01603 200200",
    )


def test_inactive_in_the_file_deactivates_with_an_inactive_date(
    applied: Applied, oracle_rest: httpx.Client
) -> None:
    """The supplier is not deleted: its inactive date is today and its status INACTIVE."""
    now = read_from_oracle(oracle_rest, str(applied.oracle["closing"]["SupplierId"]))
    assert (now["Status"], now["InactiveDate"]) == ("INACTIVE", TODAY.isoformat())


def test_unchanged_conflicting_and_rejected_suppliers_are_left_alone(
    applied: Applied, oracle_rest: httpx.Client
) -> None:
    """Nothing is typed for an unchanged supplier or a conflict; a bad row creates nothing."""
    for scenario in ("steady", "conflict"):
        now = read_from_oracle(oracle_rest, str(applied.oracle[scenario]["SupplierId"]))
        assert now == applied.oracle[scenario]
    assert find_in_oracle(oracle_rest, f"{applied.n} Badrow") == []


def test_applied_changes_are_recorded_before_and_after(applied: Applied) -> None:
    """changes.json, the run's JSON log and the run record carry what changed, old and new."""
    run_dir = applied.home / "logs" / "runs" / applied.run_id
    record = json.loads((run_dir / "changes.json").read_text(encoding="utf-8"))
    by_supplier = {a["supplier"]: a for a in record["applied"]}
    profile = by_supplier[f"{applied.n} Profile Renamed Ltd"]
    assert profile["before"]["supplier_type"] == "Services"
    assert profile["after"]["supplier_type"] == "Contractor"
    assert profile["before"]["tax_country"] == "United Kingdom"
    assert profile["after"]["tax_country"] == "Ireland"
    closing = by_supplier[f"{applied.n} Closing Ltd"]
    assert closing["after"] == {"status": "INACTIVE", "inactive_date": TODAY.isoformat()}
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    logged = [e for e in events if e["event"] == "supplier change applied"]
    assert len(logged) == 4
    assert all(e["run_id"] == applied.run_id and e["before"] and e["after"] for e in logged)
    ledger = Ledger(f"sqlite:///{applied.home / 'state' / 'ledger.sqlite3'}")
    try:
        run = get_run(ledger, applied.run_id)
        assert run is not None and run.status is RunStatus.PARTIAL
        assert run.counts["applied"] == 4 and run.counts["conflict"] == 1
        # Every change's outcome is on the audit trail, the applied ones with before and after.
        with ledger.engine.connect() as conn:
            recorded = conn.execute(
                select(audit_events.c.subject, audit_events.c.payload).where(
                    audit_events.c.run_id == applied.run_id,
                    audit_events.c.kind == "item.result",
                )
            ).all()
        outcomes = {subject: json.loads(payload) for subject, payload in recorded}
        done = {s: p for s, p in outcomes.items() if p["status"] == "applied"}
        assert len(done) == 4 and all(p["details"]["after"] for p in done.values())
        assert any(p["status"] == "conflict" for p in outcomes.values())
        assert run.target_url  # the run records its target id: the ledger keys items by it
        items = ledger.items(ItemScope(FLOW, run.target_url))
        assert sorted(i.state for i in items) == [ItemState.DONE] * 4
        numbers = {i.item_key.split(":")[1]: i.reference for i in items}
        assert numbers["deactivate"] == applied.oracle["closing"]["SupplierNumber"]
    finally:
        ledger.close()


def test_a_second_apply_of_the_same_file_changes_nothing(
    applied: Applied, sandbox_server: SandboxProcess, oracle_rest: httpx.Client
) -> None:
    """Re-run: every supplier is unchanged (or still needs a person); no browser is started."""
    before = {s["SupplierId"]: s for s in find_in_oracle(oracle_rest, applied.n)}
    result, _ = _run(applied.home, sandbox_server, applied.file)
    actions = sorted(r.change.action.value for r in result.reports)
    assert actions == ["conflict", "rejected"] + ["unchanged"] * 5
    assert result.browser_version == ""  # nothing to apply: the pages were never opened
    after = {s["SupplierId"]: s for s in find_in_oracle(oracle_rest, applied.n)}
    assert after == before
