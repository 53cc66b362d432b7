"""Showing a supplier plan as a terminal table and as the command's JSON."""

from __future__ import annotations

import json
from datetime import date

from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.planner import plan_sync
from flows.sync_suppliers.rendering import ChangeReport, as_json, initial_status, render_table
from tests.flows.test_supplier_support import full_oracle, full_source, source

TODAY = date(2026, 11, 29)


def _reports() -> list[ChangeReport]:
    plan = plan_sync(
        [
            full_source(supplier_type="Supplier"),
            source("New Co Ltd", number="39999"),
            source("Other Ltd"),
        ],
        OracleSnapshot((full_oracle(supplier_type="Services"),)),
        today=TODAY,
    )
    return [ChangeReport(c, initial_status(c)) for c in plan.changes]


def test_json_has_run_id_status_counts_and_changes_with_old_and_new() -> None:
    """The JSON names each change's action, supplier, fields as [old, new], status, message."""
    document = as_json("20261129T090000Z-abc123", "planned", _reports())
    assert json.loads(json.dumps(document)) == document  # plain JSON values only
    assert document["run_id"] == "20261129T090000Z-abc123" and document["status"] == "planned"
    assert document["counts"] == {
        "create": 1,
        "update": 1,
        "deactivate": 0,
        "unchanged": 0,
        "conflict": 1,
        "rejected": 0,
    }
    update, conflict, create = document["changes"]
    assert update == {
        "action": "update",
        "supplier": "Wensum Valley Ecology Ltd",
        "supplier_number": "30100",
        "fields": {"supplier_type": ["Services", "Supplier"]},
        "status": "planned",
        "message": "",
        "rows": [2],
    }
    assert conflict["status"] == "conflict" and "39999" in conflict["message"]
    assert create["fields"] == {"supplier_name": [None, "Other Ltd"], "status": [None, "ACTIVE"]}


def test_table_lists_each_changed_field_and_hides_unchanged_suppliers() -> None:
    """One line per field with old → new; conflicts show their message; blanks read (blank)."""
    reports = _reports()
    reports.append(
        ChangeReport(
            plan_sync([full_source()], OracleSnapshot((full_oracle(),)), today=TODAY).changes[0],
            "unchanged",
        )
    )
    table = render_table("Plan for suppliers.csv", reports, width=140)
    lines = table.splitlines()
    assert lines[0] == "Plan for suppliers.csv: 1 create, 1 update, 1 unchanged, 1 conflict"
    assert "supplier_type" in table and "Services → Supplier" in table
    assert "(blank) → Other Ltd" in table
    assert "no Oracle supplier has number 39999" in table
    assert sum("Wensum Valley Ecology Ltd" in line for line in lines) == 1  # the update only


def test_table_says_when_there_is_nothing_to_do() -> None:
    """An empty plan is said in words, not shown as an empty table."""
    plan = plan_sync([full_source()], OracleSnapshot((full_oracle(),)), today=TODAY)
    table = render_table("Plan", [ChangeReport(c, initial_status(c)) for c in plan.changes])
    assert "Nothing to change: Oracle already matches the file." in table
