"""Showing a supplier plan as a terminal table and as the command's JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flows.common.outcomes import ItemStatus
from flows.sync_suppliers.flow import SyncResult
from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.outcomes import ChangeReport, initial_status
from flows.sync_suppliers.planner import plan_sync
from flows.sync_suppliers.report import render_table, result_json
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


def test_json_is_the_shared_envelope_with_each_change_as_an_item() -> None:
    """The plan's JSON is the one envelope every flow prints: counts by status, the actions
    counted apart, each change an item (supplier, status, number; action, fields as [old, new]
    and rows in its details)."""
    result = SyncResult(file=Path("suppliers.csv"), plan_only=True, reports=_reports())
    document = result_json(result, "plan", target="sandbox:/tmp/sbx")
    assert json.loads(json.dumps(document)) == document  # plain JSON values only
    assert {k: document[k] for k in ("schema_version", "flow", "mode", "run_id", "status")} == {
        "schema_version": 1,
        "flow": "sync-suppliers",
        "mode": "plan",
        "run_id": "plan",
        "status": "planned",
    }
    assert document["target"] == "sandbox:/tmp/sbx"
    assert document["exit_code"] == 3  # a conflict needs a person: the apply would be partial
    assert document["counts"]["planned"] == 2 and document["counts"]["conflict"] == 1
    assert document["actions"] == {
        "create": 1,
        "update": 1,
        "deactivate": 0,
        "unchanged": 0,
        "conflict": 1,
        "rejected": 0,
        "awaiting_approval": 0,
    }
    assert document["files"] == [
        {"file": "suppliers.csv", "refused": None, "results_file": None, "archived_to": None}
    ]
    update, conflict, create = document["items"]
    assert update == {
        "subject": "Wensum Valley Ecology Ltd",
        "status": "planned",
        "reference": "30100",
        "message": "",
        "file": "suppliers.csv",
        "details": {
            "action": "update",
            "fields": {"supplier_type": ["Services", "Supplier"]},
            "rows": [2],
        },
    }
    assert conflict["status"] == "conflict" and "39999" in conflict["message"]
    assert create["details"]["fields"] == {
        "supplier_name": [None, "Other Ltd"],
        "status": [None, "ACTIVE"],
    }


def test_table_lists_each_changed_field_and_hides_unchanged_suppliers() -> None:
    """One line per field with old → new; conflicts show their message; blanks read (blank)."""
    reports = _reports()
    reports.append(
        ChangeReport(
            plan_sync([full_source()], OracleSnapshot((full_oracle(),)), today=TODAY).changes[0],
            ItemStatus.UNCHANGED,
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
