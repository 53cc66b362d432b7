"""Where REST may not be used for reads, Oracle's suppliers are read through the pages: the plan
is the same as through REST, and changes are applied and read back through the pages too."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from config.settings import OracleSettings
from flows.sync_suppliers.flow import SyncOptions
from flows.sync_suppliers.run import plan_only, run_sync
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import new_run_id
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import (
    CORPORATE,
    address_body,
    children,
    contact_body,
    create_in_oracle,
    flow_settings,
    read_from_oracle,
    site_body,
    supplier_row,
    taxpayer,
    unique_tag,
    write_supplier_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pages_give_the_same_plan_as_rest_and_apply_it(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Profile, address, site, assignment and contact values read from the pages match REST's,
    so both plans agree; applying with page reads lands and is read back through the pages."""
    tag = unique_tag()
    n = f"T{tag}"
    made = create_in_oracle(
        rest,
        f"{n} Pages Ltd",
        TaxpayerId=taxpayer(tag, 1),
        SupplierType="Services",
        DUNSNumber="400000001",
        addresses=[address_body("Head Office", "1 Mill Lane", "Norwich", "NR1 1AA")],
        sites=[site_body(f"{n}-P", CORPORATE, "Head Office")],
        contacts=[contact_body("Ann", "Pages", "ann@pages.example", "01603 300300")],
    )
    rows = [
        supplier_row(
            supplier_name=f"{n} Pages Ltd",
            taxpayer_id=taxpayer(tag, 1),
            duns_number="400000001",
            supplier_type="Contractor",
            address_name="Head Office",
            address_line1="1 Mill Lane",
            city="Norwich",
            county="Norfolk",
            postal_code="NR1 1AA",
            site_name=f"{n}-P",
            procurement_bu=CORPORATE,
            site_purposes="purchasing;pay;primary_pay",
            bill_to_bu=CORPORATE,
            contact_first_name="Ann",
            contact_last_name="Pages",
            contact_email="ann@pages.example",
            contact_phone="01603 999999",
        ),
    ]
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)
    options = SyncOptions(input_path=path, plan_only=True, today=datetime.now(UTC).date())
    through_pages = OracleSettings(
        base_url=sandbox_server.base_url,
        username=sandbox_server.username,
        password=SecretStr(sandbox_server.password),
        rest_reads=False,
    )
    ui_settings = flow_settings(tmp_path / "home", sandbox_server, oracle=through_pages)
    rest_settings = flow_settings(tmp_path / "home", sandbox_server)

    by_pages = plan_only(ui_settings, options, target=ConfiguredOracle(ui_settings.oracle))
    by_rest = plan_only(rest_settings, options, target=ConfiguredOracle(rest_settings.oracle))
    assert (by_pages.oracle_read_through, by_rest.oracle_read_through) == ("ui", "rest")
    assert by_pages.browser_version and not by_rest.browser_version
    (change,) = [r.change for r in by_pages.reports]
    assert [(r.change.action, r.change.fields) for r in by_rest.reports] == [
        (change.action, change.fields)
    ]
    assert change.fields_json() == {
        "supplier_type": ["Services", "Contractor"],
        "contact[Ann Pages].contact_phone": ["01603 300300", "01603 999999"],
    }

    result, _ = run_sync(
        ui_settings,
        SyncOptions(path, False, options.today),
        trigger=detect_trigger(operator="tester"),
        run_id=new_run_id(),
        target=ConfiguredOracle(ui_settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    assert [r.status for r in result.reports] == ["applied"]
    assert result.applied[0].after["contact[Ann Pages].contact_phone"] == "01603 999999"
    now = read_from_oracle(rest, str(made["SupplierId"]))
    assert now["SupplierType"] == "Contractor"
    assert [c["PhoneNumber"] for c in children(now, "contacts")] == ["01603 999999"]
