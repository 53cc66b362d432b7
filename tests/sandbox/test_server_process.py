"""The server as a process: the CLI, server.json, --reset, the seed, start-up failures."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import SandboxSettings
from sandbox.app import SandboxSetupError, create_app
from sandbox.db import Database
from sandbox.process import SandboxProcess, SandboxStartError
from sandbox.schema import TABLES
from sandbox.seed import seed
from tests.conftest import AsgiClient

RPA = Path(sys.executable).with_name("rpa")


def wait_for_file(path: Path, process: subprocess.Popen[str], deadline_s: float) -> None:
    """Poll for ``path`` while the process lives, under a deadline."""
    deadline = time.monotonic() + deadline_s
    while not path.exists():
        assert process.poll() is None, "the server exited"
        assert time.monotonic() < deadline, f"{path} did not appear in time"
        time.sleep(0.05)


def dump(data_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(data_dir / "sandbox.sqlite3")
    try:
        return {
            t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in TABLES
        }
    finally:
        conn.close()


@pytest.mark.slow
def test_cli_serve_announces_url_and_user_not_password(tmp_path: Path) -> None:
    """`rpa sandbox serve --port 0` prints URL and user, writes server.json, stops on SIGTERM."""
    env = {
        **os.environ,
        "RPA_HOME": str(tmp_path / "home"),
        "RPA_SANDBOX__PASSWORD": "Secret-Pass-42",
    }
    process = subprocess.Popen(
        [str(RPA), "sandbox", "serve", "--port", "0", "--latency-ms", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    data_dir = tmp_path / "home" / "sandbox"  # --home relocates the default data dir
    try:
        wait_for_file(data_dir / "server.json", process, 30)
        record = json.loads((data_dir / "server.json").read_text(encoding="utf-8"))
        assert record["pid"] == process.pid
        assert httpx.get(record["base_url"] + "/sandbox/health", trust_env=False).status_code == 200
        faults = httpx.get(record["base_url"] + "/sandbox/admin/faults", trust_env=False).json()
        assert faults["latency_ms"] == 1
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    first, second = output.splitlines()[:2]
    assert first.startswith(f"Sandbox listening on {record['base_url']}/")
    assert "RPA.PROCUREMENT" in second and "Secret-Pass-42" not in output
    # uvicorn shuts down cleanly, then re-raises the signal it caught.
    assert process.returncode in {0, -signal.SIGTERM}
    assert not (tmp_path / "home" / "sandbox" / "server.json").exists()


def test_cli_refuses_bad_fault_rate(tmp_path: Path) -> None:
    """An out-of-range option is a usage error (exit 2) naming the option."""
    result = subprocess.run(
        [str(RPA), "--home", str(tmp_path), "sandbox", "serve", "--fault-rate", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "--fault-rate" in result.stderr


@pytest.mark.slow
def test_reset_restores_the_seed_and_data_survives_restarts(tmp_path: Path) -> None:
    """Data persists across a restart; starting with --reset brings back the pristine seed."""
    data_dir = tmp_path / "sandbox"
    with SandboxProcess(data_dir) as server:
        auth = (server.username, server.password)
        url = server.rest_base + "/suppliers"
        created = httpx.post(
            url, json={"Supplier": "Restart Check Ltd"}, auth=auth, trust_env=False
        )
        assert created.status_code == 201
    query = {"q": "Supplier='Restart Check Ltd'"}
    with SandboxProcess(data_dir) as server:
        found = httpx.get(server.rest_base + "/suppliers", params=query, auth=auth, trust_env=False)
        assert found.json()["count"] == 1
    with SandboxProcess(data_dir, reset=True) as server:
        found = httpx.get(server.rest_base + "/suppliers", params=query, auth=auth, trust_env=False)
        assert found.json()["count"] == 0


def test_seed_is_deterministic(tmp_path: Path) -> None:
    """Two fresh data dirs hold identical data, table by table."""
    for name in ("a", "b"):
        Database(tmp_path / name, lambda conn: seed(conn, "RPA.PROCUREMENT")).open()
    first, second = dump(tmp_path / "a"), dump(tmp_path / "b")
    assert first == second
    assert (
        len(first["suppliers"]) >= 60
        and len(first["items"]) >= 200
        and len(first["po_headers"]) >= 30
    )


def test_seed_has_the_variety_the_rules_need(tmp_path: Path) -> None:
    """The seed has inactive suppliers, pay-only sites, unassigned BUs, disabled accounts."""
    Database(tmp_path, lambda conn: seed(conn, "RPA.PROCUREMENT")).open()
    conn = sqlite3.connect(tmp_path / "sandbox.sqlite3")
    facts = {
        "inactive suppliers": "SELECT COUNT(*) FROM suppliers WHERE inactive_date IS NOT NULL",
        "pay-only sites": "SELECT COUNT(*) FROM supplier_sites WHERE purchasing = 0 AND pay = 1",
        "sites missing a BU": "SELECT COUNT(*) FROM supplier_sites s WHERE (SELECT COUNT(*) "
        "FROM site_assignments a WHERE a.site_id = s.id) < 3",
        "disabled accounts": "SELECT COUNT(*) FROM accounts WHERE enabled = 0",
        "contacts": "SELECT COUNT(*) FROM supplier_contacts",
        "D-U-N-S numbers": "SELECT COUNT(*) FROM suppliers WHERE length(duns) = 9",
    }
    for label, sql in facts.items():
        assert conn.execute(sql).fetchone()[0] > 0, label
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT status_code FROM po_headers")}
    assert statuses == {"INCOMPLETE", "PENDING APPROVAL", "OPEN", "CANCELED"}
    numbers = [int(r[0]) for r in conn.execute("SELECT order_number FROM po_headers ORDER BY 1")]
    assert numbers[0] == 1004500 and numbers == list(range(1004500, 1004500 + len(numbers)))
    conn.close()


def test_admin_reset_restores_the_seed(
    sandbox_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    """POST /sandbox/admin/reset puts back exactly the seeded data."""
    client = AsgiClient(sandbox_app())
    auth = ("RPA.PROCUREMENT", "Sandbox-Welcome1")
    data_dir = tmp_path / "sandbox-app-1"
    pristine = dump(data_dir)
    rest = "/fscmRestApi/resources/11.13.18.05/suppliers"
    assert client.post(rest, json={"Supplier": "Temporary Ltd"}, auth=auth).status_code == 201
    assert dump(data_dir) != pristine
    assert client.post("/sandbox/admin/reset", json={}).json() == {"status": "reset"}
    assert dump(data_dir) == pristine


def test_missing_jet_packages_stop_start_up_with_a_hint(tmp_path: Path) -> None:
    """Without sandbox/node_modules the app refuses to start and says to run make setup."""
    with pytest.raises(SandboxSetupError, match="make setup"):
        create_app(SandboxSettings(), tmp_path / "data", jet_dir=tmp_path / "no-node-modules")


@pytest.mark.slow
def test_process_start_failure_is_reported(tmp_path: Path) -> None:
    """A sandbox that can't listen (port taken) fails fast with its log, not a hang."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(SandboxStartError):
            SandboxProcess(tmp_path / "sandbox", port=port, startup_timeout_s=60).start()
        assert time.monotonic() - started < 30


def test_renamed_service_account_keeps_working_on_old_data(tmp_path: Path) -> None:
    """A data dir seeded under one user name serves a renamed service account (as buyer too)."""
    create_app(SandboxSettings(), tmp_path / "data")
    app = create_app(SandboxSettings(username="RPA.RENAMED"), tmp_path / "data")
    order = {
        "ProcurementBU": "NCC Corporate BU",
        "Supplier": "Anglia Office Supplies Ltd",
        "SupplierSite": "AOS-NORWICH",
    }
    response = AsgiClient(app).post(
        "/fscmRestApi/resources/11.13.18.05/draftPurchaseOrders",
        json=order,
        auth=("rpa.renamed", "Sandbox-Welcome1"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["Buyer"] == "RPA Procurement Service"
    assert response.json()["CreatedBy"] == "RPA.RENAMED"
