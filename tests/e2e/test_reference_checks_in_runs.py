"""The reference checks in runs: a request naming what Oracle would refuse is rejected before
any browser work (no sign-in, no draft), recorded as rejected in the ledger so that the fixed
file is tried again; a dry run tells the buyer the same, read-only, and says when Oracle could
not be read. The real sandbox over HTTP and the real ``rpa`` command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx

from flows.common.outcomes import ItemStatus
from rpa.exit_codes import exit_code_for
from rpa.ledger import ItemState, Ledger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import (
    example_rows,
    orders_for,
    rpa_command,
    run_flow,
    unique_tag,
    write_requests,
)
from tests.sandbox_settings import flow_env, flow_settings, sandbox_scope

FLOW = "raise-purchase-orders"


def test_a_request_oracle_would_refuse_is_rejected_before_any_browser_work(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0005"])
    request_id = rows[0]["request_id"]
    bad = [{**row, "supplier": "Marsh Lane Plant Hire Ltd"} for row in rows]
    settings = flow_settings(tmp_path / "home", sandbox_server)

    result = run_flow(settings, write_requests(tmp_path / "in" / "orders.csv", bad))

    [rejected] = result.items
    assert rejected.status is ItemStatus.REJECTED
    assert rejected.failure_class == "RefusedByReferenceData"
    assert (
        "orders.csv row 2, column supplier, value 'Marsh Lane Plant Hire Ltd': is inactive in "
        "Oracle since 31/03/2025" in rejected.message
    )
    assert exit_code_for(result.run_status) == 3
    assert result.reference_check == f"checked against Oracle at {sandbox_server.base_url}"
    assert result.browser_version == ""  # no browser was started
    assert orders_for(rest, request_id) == []
    with Ledger(settings.effective_ledger_url) as ledger:
        item = ledger.get(sandbox_scope(FLOW, sandbox_server), request_id)
    assert item is not None and item.state is ItemState.REJECTED
    assert "is inactive in Oracle" in (item.message or "")
    [results_file] = result.results_files
    assert "is inactive in Oracle" in results_file.read_text(encoding="utf-8")


def _dry_run(home: Path, env: dict[str, str], source: Path) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        rpa_command("run", FLOW, "--input", str(source), "--dry-run", "--json"),
        env={**env, "RPA_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, json.loads(done.stdout)


def test_a_dry_run_tells_what_oracle_would_refuse_and_touches_nothing(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    tag = unique_tag()
    rows = example_rows(tag, ["REQ-2026-0003", "REQ-2026-0005"])
    for row in rows:
        if row["request_id"].endswith("-0005"):
            row["charge_account"] = "1000-CC150-5100-000"  # disabled in the seed
    source = write_requests(tmp_path / "orders.csv", rows)
    home = tmp_path / "home"

    code, body = _dry_run(home, flow_env(home, sandbox_server), source)

    assert code == 3, body
    assert body["reference_check"] == f"checked against Oracle at {sandbox_server.base_url}"
    statuses = {i["subject"]: (i["status"], i["message"]) for i in body["items"]}
    assert statuses[f"T{tag}-0003"][0] == "planned"
    status, message = statuses[f"T{tag}-0005"]
    assert status == "rejected"
    assert "column charge_account, value '1000-CC150-5100-000': is disabled in Oracle" in message
    assert not (home / "state" / "ledger.sqlite3").exists()
    for request_id in (f"T{tag}-0003", f"T{tag}-0005"):
        assert orders_for(rest, request_id) == []


def test_a_dry_run_says_when_oracle_could_not_be_read(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    rows = example_rows(unique_tag(), ["REQ-2026-0003"])
    source = write_requests(tmp_path / "orders.csv", rows)
    home = tmp_path / "home"
    env = {**flow_env(home, sandbox_server), "RPA_ORACLE__BASE_URL": "http://127.0.0.1:9"}

    code, body = _dry_run(home, env, source)

    assert code == 0, body
    note = str(body["reference_check"])
    assert note.startswith("not checked: Oracle at http://127.0.0.1:9 could not be read ("), note
    assert [i["status"] for i in body["items"]] == ["planned"]
