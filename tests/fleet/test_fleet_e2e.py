"""Two bot hosts and a scheduler on one PostgreSQL: the worker raising a batch is killed
mid-order and the other worker finishes it. Real ``rpa worker``/``rpa schedule`` processes,
real Chromium, the real sandbox; each host a home of its own, the inbox and logs shared."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rpa.ledger import ItemState, Ledger
from rpa.run_record import RunRecord, RunStatus, list_runs
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, orders_for, unique_tag, write_requests
from tests.fleet.fleet_processes import (
    kill_everything_under,
    parent_of,
    run_rpa,
    started_scheduler,
    started_worker,
)
from tests.sandbox_settings import flow_env, sandbox_scope
from tests.scheduling.helpers import process_gone, wait_for, write_schedules

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]
FLOW = "raise-purchase-orders"


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    kill_everything_under(tmp_path)


def _host(
    name: str, tmp_path: Path, shared: Path, url: str, sandbox: SandboxProcess
) -> tuple[Path, dict[str, str]]:
    home = tmp_path / name
    home.mkdir()
    write_schedules(home / "schedules.toml", {"id": "raise-pos", "flow": FLOW, "interval": "10s"})
    env = flow_env(home, sandbox)
    env.update(
        {
            "RPA_LEDGER_URL": url,
            "RPA_INBOX_DIR": str(shared / "inbox"),
            "RPA_LOG_DIR": str(shared / "logs"),
            "RPA_SCHEDULER__SCHEDULES_FILE": str(home / "schedules.toml"),
            "RPA_SCHEDULER__KILL_GRACE_S": "2",
            "RPA_QUEUE__WORKER_HEARTBEAT_INTERVAL_S": "2",
            "RPA_QUEUE__STALLED_WORKER_TIMEOUT_S": "10",
            "RPA_QUEUE__FETCH_POLL_INTERVAL_S": "1",
            "RPA_RUN_HEARTBEAT_INTERVAL_S": "2",
            "RPA_RUN_HEARTBEAT_TIMEOUT_S": "8",
        }
    )
    return home, env


def _running_run(url: str) -> RunRecord | None:
    with Ledger(url) as ledger:
        running = list_runs(ledger, flow=FLOW, status=RunStatus.RUNNING, limit=5)
    return running[0] if running else None


def test_a_worker_killed_mid_order_leaves_its_batch_to_the_other_worker(
    fleet_url: str,
    tmp_path: Path,
    shared: Path,
    sandbox_server: SandboxProcess,
    rest: httpx.Client,
) -> None:
    tag = unique_tag()
    hosts = {n: _host(n, tmp_path, shared, fleet_url, sandbox_server) for n in ("bot-1", "bot-2")}
    workers = {name: started_worker(home, env) for name, (home, env) in hosts.items()}
    scheduler = started_scheduler(*_host("scheduler", tmp_path, shared, fleet_url, sandbox_server))
    ids = ["REQ-2026-0001", "REQ-2026-0002", "REQ-2026-0003"]
    batch = write_requests(shared / "inbox" / "batch.csv", example_rows(tag, ids, one_line=True))
    scope = sandbox_scope(FLOW, sandbox_server)
    sandbox_server.set_faults(latency_ms=250)  # widens the window in which the kill lands

    def an_order_half_made() -> str | None:
        with Ledger(fleet_url) as ledger:
            for key in (f"T{tag}-0001", f"T{tag}-0002", f"T{tag}-0003"):
                item = ledger.get(scope, key)
                if item is not None and item.state in (ItemState.CREATED, ItemState.SUBMITTING):
                    return key
        return None

    wait_for(an_order_half_made, 400, "an order half made")
    held = _running_run(fleet_url)
    assert held is not None and held.pid is not None
    holder = next(name for name, w in workers.items() if w.pid == parent_of(held.pid))
    workers[holder].kill()  # SIGKILL, as when its host dies: its run dies with it
    wait_for(lambda: process_gone(held.pid or 0), 15, "the run to die with its worker")
    sandbox_server.restore_faults()

    archived = shared / "inbox" / "processed" / "batch.csv"
    wait_for(lambda: archived.exists(), 500, "the other worker to finish the batch")
    assert not batch.exists()
    scheduler.stop()
    [survivor] = [w for name, w in workers.items() if name != holder]
    assert survivor.stop(timeout_s=120) == 0

    with Ledger(fleet_url) as ledger:
        records = {r.run_id: r for r in list_runs(ledger, flow=FLOW, limit=100)}
        items = [ledger.get(scope, f"T{tag}-000{n}") for n in (1, 2, 3)]
    dead = records[held.run_id]
    assert dead.status == RunStatus.ABORTED, dead
    assert any(r.status == RunStatus.SUCCEEDED and r.pid != held.pid for r in records.values())
    for item in items:
        assert item is not None and item.state == ItemState.DONE, item
        orders = orders_for(rest, item.item_key)
        assert [o["OrderNumber"] for o in orders] == [item.reference], "raised exactly once"
    home, env = hosts[holder]
    verified = run_rpa(home, env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert os.environ.get("RPA_HOME") != str(home)
