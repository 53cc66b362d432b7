"""``rpa runs list|show|find`` and ``rpa audit verify|prune``: their output, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rpa.ledger import Ledger
from tests.audit.conftest import Rpa
from tests.audit.trail_support import BuiltRun, Item, build_run
from tests.ledger_backends import Sql

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runs(ledger: Ledger, logs_dir: Path) -> list[BuiltRun]:
    old = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-2026-0001", "raised", "100231"),
            Item("REQ-2026-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
        ],
        days_ago=30,
    )
    new = build_run(
        ledger, logs_dir, [Item("REQ-2026-0003", "raised", "100232")], operator="a.jones"
    )
    return [old, new]


def test_runs_list_filters_and_json(rpa: Rpa, runs: list[BuiltRun]) -> None:
    """The list shows newest first with status and trigger; filters narrow it; --json parses."""
    old, new = (r.record.run_id for r in runs)
    out = rpa("runs", "list").stdout
    assert out.splitlines()[0].split() == [
        "RUN",
        "FLOW",
        "STATUS",
        "STARTED",
        "DURATION",
        "TRIGGER",
        "RESULT",
    ]
    assert out.index(new) < out.index(old)
    assert "operator a.jones on rpa-host-1" in out and "1 raised, 1 rejected" in out
    partial = rpa("runs", "list", "--status", "partial").stdout
    assert old in partial and new not in partial
    recent = json.loads(rpa("runs", "list", "--since", "2000-01-01", "--json").stdout)
    assert [r["run_id"] for r in recent] == [new, old]
    assert recent[0]["trigger"]["operator"] == "a.jones"
    assert rpa("runs", "list", "--flow", "sync-suppliers").stdout.strip() == "No runs match."
    bad = rpa("runs", "list", "--since", "last tuesday")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_runs_show_text_and_json(rpa: Rpa, runs: list[BuiltRun]) -> None:
    """show gives the summary, items with Oracle's message, errors, evidence and the timeline."""
    run_id = runs[0].record.run_id
    out = rpa("runs", "show", run_id).stdout
    for section in ("Items", "Errors", "Evidence", "Timeline"):
        assert f"\n{section}\n" in out
    assert "operator j.smith on rpa-host-1" in out and "Integrity   verified" in out
    assert "REQ-2026-0002 rejected: BusinessRuleError: Supplier site BHM-NORWICH is inactive" in out
    assert f"runs/{run_id}/evidence/REQ-2026-0002-trace.zip" in out
    body = json.loads(rpa("runs", "show", run_id, "--json").stdout)
    assert body["run"]["run_id"] == run_id and body["integrity"]["ok"] is True
    items = {i["subject"]: i for i in body["items"]}
    assert items["REQ-2026-0001"]["reference"] == "100231"
    assert items["REQ-2026-0001"]["target"] == "http://127.0.0.1:8765"
    assert items["REQ-2026-0002"]["failure_class"] == "BusinessRuleError"
    assert body["timeline"][0]["kind"] == "run.started"
    missing = rpa("runs", "show", "20990101T000000Z-000000")
    assert missing.exit_code == 6 and "no run" in missing.stderr


def test_runs_find_by_request_id_and_po_number(rpa: Rpa, runs: list[BuiltRun]) -> None:
    """find lists the item's state and every run and record that touched it; exit 6 if none."""
    by_request = rpa("runs", "find", "req-2026-0001")
    assert by_request.exit_code == 0
    assert (
        "raise-purchase-orders REQ-2026-0001 on http://127.0.0.1:8765 is done, reference 100231"
        in by_request.stdout
    )
    assert f"Run {runs[0].record.run_id}" in by_request.stdout
    assert "raised, reference 100231" in by_request.stdout
    by_po = json.loads(rpa("runs", "find", "100232", "--json").stdout)
    found = [(i["target"], i["state"]) for i in by_po["items"]]
    assert found == [("http://127.0.0.1:8765", "done")]
    assert [r["run"]["run_id"] for r in by_po["runs"]] == [runs[1].record.run_id]
    assert {e["kind"] for e in by_po["runs"][0]["events"]} == {"item.transition", "item.result"}
    nothing = rpa("runs", "find", "REQ-1999-0001")
    assert nothing.exit_code == 6 and "Nothing" in nothing.stdout


def test_audit_verify_passes_then_names_the_tampered_record(
    rpa: Rpa, sql: Sql, runs: list[BuiltRun]
) -> None:
    """verify exits 0 on an intact trail, 5 naming the edited record, 2 for an unknown run."""
    intact = rpa("audit", "verify")
    assert intact.exit_code == 0 and "INTACT" in intact.stdout
    assert (
        json.loads(rpa("audit", "verify", "--run", runs[1].record.run_id, "--json").stdout)["ok"]
        is True
    )
    ((seq,),) = sql(
        "SELECT seq FROM audit_events WHERE kind = 'item.result' AND subject = 'REQ-2026-0002'"
    )
    sql("UPDATE audit_events SET payload = replace(payload, 'inactive', 'fine') WHERE seq = ?", seq)
    tampered = rpa("audit", "verify")
    assert tampered.exit_code == 5
    assert "FAILED" in tampered.stdout
    assert f"1. [edited] seq {seq} (run {runs[0].record.run_id}, item.result) was edited" in (
        tampered.stdout
    )
    # The other run's own records are intact; its check still covers the link into it.
    assert rpa("audit", "verify", "--run", runs[1].record.run_id).exit_code == 0
    unknown = rpa("audit", "verify", "--run", "nope")
    assert unknown.exit_code == 6 and "no run 'nope'" in unknown.stderr


def test_audit_prune_dry_run_then_prune(
    rpa: Rpa, ledger: Ledger, logs_dir: Path, runs: list[BuiltRun]
) -> None:
    """prune applies the calendar-year rule (or audit.retention_days when set), lists the
    files, and verify still passes after it."""
    build_run(  # a run that ended eight years ago
        ledger,
        logs_dir,
        [
            Item("REQ-2018-0001", "raised", "100011"),
            Item("REQ-2018-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
        ],
        days_ago=8 * 366,
    )
    dry = rpa("audit", "prune", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.startswith("Would prune 3 file(s) of runs that ended")
    assert "plus 6 calendar year(s)" in dry.stdout
    assert (
        rpa("audit", "prune", "--json", RPA_AUDIT__RETENTION_DAYS="5000").stdout.count('"path"')
        == 0
    )
    done = rpa("audit", "prune")
    assert done.stdout.startswith("Pruned 3 file(s)") and "sealed by digest 4" in done.stdout
    after = rpa("audit", "verify")
    assert after.exit_code == 0
    assert "Pruned by retention (recorded, not tampering): 3 file(s)" in after.stdout


def test_the_commands_work_as_installed(home: Path, ledger_url: str, runs: list[BuiltRun]) -> None:
    """``python -m app audit verify`` in a child process: the exit code a scheduler sees."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(RPA_HOME=str(home), RPA_LEDGER_URL=ledger_url, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "app", "audit", "verify", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["digests_checked"] == 2
    helps = subprocess.run(
        [sys.executable, "-m", "app", "runs", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Examples:" in helps.stdout and "rpa runs find" in helps.stdout
