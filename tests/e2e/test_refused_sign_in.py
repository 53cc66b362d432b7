"""A refused service account against the real sandbox: the run stops at once with exit 4, leaves
every request pending (never rejected), names the account and the page's message, and signs in
once per run, not once per request or per worker. The next run, with the right password, raises
the same file.

Sign-ins are counted from the run's own log: every submission of the sign-in form is one
``signing in`` event (``rpa.oracle_session``), whichever browser session made it.
"""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from config.settings import OracleSettings
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.run import run_sync
from rpa.ledger import ItemState, Ledger
from rpa.oracle_target import ConfiguredOracle
from rpa.run_record import RunStatus, get_run
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, orders_for, rpa_command, unique_tag, write_requests
from tests.flows.test_supplier_support import supplier_row, write_supplier_file
from tests.sandbox_settings import flow_env, flow_settings, sandbox_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]
FLOW = "raise-purchase-orders"
WRONG = "Not-The-Password-1"


def _events(log_file: Path) -> list[dict[str, Any]]:
    lines = log_file.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _sign_ins(log_file: Path) -> int:
    return sum(1 for e in _events(log_file) if e.get("event") == "signing in")


def _run_cli(home: Path, sandbox: SandboxProcess, password: str) -> tuple[int, dict[str, Any]]:
    env = flow_env(home, sandbox)
    env["RPA_ORACLE__PASSWORD"] = password
    done = subprocess.run(
        rpa_command("run", FLOW, "--json", "--workers", "3"),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.stdout, done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def test_a_wrong_password_leaves_every_request_pending_then_the_fixed_run_raises_them(
    tmp_path: Path, sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    tag = unique_tag()
    home = tmp_path / "home"
    rows = example_rows(tag, ["REQ-2026-0003", "REQ-2026-0004", "REQ-2026-0005"], one_line=True)
    request_ids = sorted({r["request_id"] for r in rows})
    inbox_file = write_requests(home / "inbox" / "purchase-orders" / "batch.csv", rows)
    account = sandbox_server.username

    code, body = _run_cli(home, sandbox_server, WRONG)

    assert code == 4, body
    assert (body["status"], body["exit_code"]) == ("aborted", 4)
    reason = body["aborted"]
    assert reason.startswith(f"Stopped: Oracle refused the sign-in of {account}: "), reason
    assert "incorrect user name or password" in reason
    assert "nothing was raised and the 3 requests left stay pending for the next run" in reason
    assert "Fix the service account" in reason
    assert {i["status"] for i in body["items"]} == {"not_started"}
    # One sign-in for the run, though three workers each opened a browser.
    log_file = Path(body["log_file"])
    assert _sign_ins(log_file) == 1
    # Every request pending and never claimed; the file stays in the inbox.
    with Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}") as ledger:
        items = [ledger.get(sandbox_scope(FLOW, sandbox_server), rid) for rid in request_ids]
        record = get_run(ledger, body["run_id"])
    assert [(i.state, i.claim_count) for i in items if i] == [(ItemState.PENDING, 0)] * 3
    assert record is not None and (record.status, record.message) == (RunStatus.ABORTED, reason)
    assert inbox_file.exists()
    assert not (home / "inbox" / "purchase-orders" / "processed").exists()
    for request_id in request_ids:
        assert orders_for(rest, request_id) == []
    # Evidence: the sign-in page with its message (password fields masked), never an ARIA
    # snapshot of it; the wrong password appears in nothing the run wrote.
    evidence = log_file.parent / "evidence"
    assert [p.name for p in evidence.iterdir()] == ["sign-in-refused.png"]
    for written in log_file.parent.rglob("*"):
        if written.is_file() and written.suffix != ".png":
            assert WRONG not in written.read_text(encoding="utf-8", errors="replace"), written

    code, body = _run_cli(home, sandbox_server, sandbox_server.password)

    assert code == 0, [(i["subject"], i["status"], i["message"]) for i in body["items"]]
    assert {i["subject"]: i["status"] for i in body["items"]} == dict.fromkeys(
        request_ids, "raised"
    )
    assert not inbox_file.exists()
    for item in body["items"]:
        [order] = orders_for(rest, item["subject"])
        assert order["OrderNumber"] == item["reference"]


def _sync(tmp_path: Path, sandbox: SandboxProcess, *, rest_reads: bool) -> tuple[SyncResult, Path]:
    tag = unique_tag()
    path = write_supplier_file(
        tmp_path / "suppliers.csv",
        [supplier_row(supplier_name=f"T{tag} Refused Ltd", taxpayer_id=f"T{tag}01")],
    )
    settings = flow_settings(tmp_path / "home", sandbox)
    settings = settings.model_copy(
        update={
            "oracle": OracleSettings(
                base_url=sandbox.base_url,
                username=sandbox.username,
                password=SecretStr(WRONG),
                rest_reads=rest_reads,
            )
        }
    )
    result, recorder = run_sync(
        settings,
        SyncOptions(input_path=path, plan_only=False, today=datetime.now(UTC).date()),
        trigger=detect_trigger(operator="pytest"),
        run_id=f"test-{tag}",
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    assert recorder is not None
    with Ledger(settings.effective_ledger_url) as ledger:
        assert ledger.items(sandbox_scope("sync-suppliers", sandbox)) == []
    return result, recorder.events_path


def test_a_supplier_apply_read_through_rest_stops_at_the_refused_account(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    result, log_file = _sync(tmp_path, sandbox_server, rest_reads=True)
    assert result.exit_code == 4
    assert result.aborted is not None
    assert result.aborted.startswith(
        f"Stopped: Oracle's REST API refused the sign-in of {sandbox_server.username} "
        "(HTTP 401 Unauthorized); nothing more was done"
    ), result.aborted
    assert _sign_ins(log_file) == 0  # the browser was never started


def test_a_supplier_apply_read_through_the_pages_signs_in_once(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    result, log_file = _sync(tmp_path, sandbox_server, rest_reads=False)
    assert result.exit_code == 4
    assert result.aborted is not None
    assert result.aborted.startswith(
        f"Stopped: Oracle refused the sign-in of {sandbox_server.username}: "
    ), result.aborted
    assert _sign_ins(log_file) == 1
