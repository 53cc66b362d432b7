"""``rpa worker`` and ``rpa run --defer``: real processes, each host a home of its own, one
PostgreSQL database for the ledger and the queue. The flow is the scheduler tests' fake
(``sleepy``), which records its run like a real flow and holds the flow's locks."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from rpa.ledger import Ledger
from rpa.run_record import RunRecord, list_runs
from tests.fleet.fleet_processes import (
    host_env,
    jobs,
    kill_everything_under,
    parent_of,
    run_rpa,
    started_worker,
)
from tests.scheduling.helpers import fake_runs, process_gone, rpa_command, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    kill_everything_under(tmp_path)


def _records(url: str) -> list[RunRecord]:
    with Ledger(url) as ledger:
        return sorted(list_runs(ledger, limit=100), key=lambda r: r.started_at)


def test_a_run_queued_on_one_host_is_run_by_a_worker_on_another_for_the_operator(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    desk, bot = tmp_path / "desk", tmp_path / "bot-1"
    worker = started_worker(bot, host_env(bot, fleet_url))
    env = host_env(desk, fleet_url)
    (desk / "release").write_text("go")  # typed as a relative path, in the desk's folder
    queued = run_rpa(
        desk,
        env,
        "run", "sleepy", "--until-file", "release", "--defer", "--operator", "alice",
    )  # fmt: skip
    assert queued.returncode == 0, queued.stderr
    said = re.fullmatch(
        r"Queued sleepy as job (\d+): a worker on any host will run it .*\n", queued.stdout
    )
    assert said, queued.stdout
    [run] = wait_for(lambda: fake_runs(bot) or None, 60, "the worker's run")
    assert run["trigger"]["operator"] == "alice"
    [(job_id, _, _, args)] = jobs(sql)
    assert job_id == int(said.group(1))
    # A relative path is made absolute where it was typed: the worker's cwd is elsewhere.
    assert args["args"] == ["--until-file", str(desk / "release"), "--operator", "alice"]
    wait_for(lambda: jobs(sql)[0][1] == "succeeded", 60, "the job to succeed")
    assert [r.status for r in _records(fleet_url)] == ["succeeded"]
    assert worker.stop() == 0
    assert not fake_runs(desk), "nothing ran on the host that queued it"


def test_defer_needs_postgresql_and_refuses_wait(fleet_url: str, tmp_path: Path) -> None:
    home = tmp_path / "desk"
    sqlite_env = host_env(home, fleet_url, RPA_LEDGER_URL="")
    on_sqlite = run_rpa(home, sqlite_env, "run", "sleepy", "--defer")
    assert on_sqlite.returncode == 2
    assert on_sqlite.stderr.strip().splitlines() == [
        "--defer needs the ledger on PostgreSQL: set RPA_LEDGER_URL to a postgresql:// URL "
        "(with SQLite, `rpa schedule` and `rpa run` run flows on this host)."
    ]
    with_wait = run_rpa(home, host_env(home, fleet_url), "run", "sleepy", "--wait", "--defer")
    assert with_wait.returncode == 2
    assert "--wait cannot be combined with --defer" in with_wait.stderr
    worker_on_sqlite = run_rpa(home, sqlite_env, "worker")
    assert worker_on_sqlite.returncode == 2
    assert "needs the ledger on PostgreSQL" in worker_on_sqlite.stderr


def test_a_killed_workers_run_dies_with_it_and_another_worker_runs_it_again(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    desk, first, second = tmp_path / "desk", tmp_path / "bot-1", tmp_path / "bot-2"
    release = tmp_path / "release"
    doomed = started_worker(first, host_env(first, fleet_url))
    queued = run_rpa(
        desk, host_env(desk, fleet_url), "run", "sleepy", "--until-file", str(release), "--defer"
    )
    assert queued.returncode == 0, queued.stderr
    [held] = wait_for(lambda: fake_runs(first) or None, 60, "the first worker's run")
    assert parent_of(held["pid"]) == doomed.pid
    rescuer = started_worker(second, host_env(second, fleet_url))

    doomed.kill()  # SIGKILL: no clean-up at all, as when its host dies
    wait_for(lambda: process_gone(held["pid"]), 10, "the run to die with its worker")
    [again] = wait_for(lambda: fake_runs(second) or None, 60, "the second worker's run")
    release.write_text("go")
    [(_, _, attempts, _)] = wait_for(
        lambda: [j for j in jobs(sql) if j[1] == "succeeded"] or None, 60, "the job to succeed"
    )
    assert attempts == 2  # taken twice: by the killed worker, then by the other
    records = {r.run_id: r for r in _records(fleet_url)}
    dead = records[held["run_id"]]
    assert dead.status == "aborted"
    assert records[again["run_id"]].status == "succeeded"
    assert rescuer.stop() == 0
    assert "put back on the queue" in rescuer.output()


def test_flows_shows_runs_waiting_on_the_queue(fleet_url: str, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    env = host_env(desk, fleet_url)
    for _ in range(2):
        assert run_rpa(desk, env, "run", "sleepy", "--defer").returncode == 0
    listing = run_rpa(desk, env, "flows")
    assert listing.returncode == 0, listing.stderr
    [sleepy] = [line for line in listing.stdout.splitlines() if line.startswith("sleepy ")]
    assert "no; 2 queued" in sleepy


def test_a_stopped_worker_lets_its_running_flow_finish(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    """SIGTERM: the flow is asked to finish the request in hand, and the job ends with it."""
    desk, bot = tmp_path / "desk", tmp_path / "bot-1"
    worker = started_worker(bot, host_env(bot, fleet_url))
    release = tmp_path / "release"
    args = ("run", "sleepy", "--until-file", str(release), "--on-sigterm", "finish", "--defer")
    assert run_rpa(desk, host_env(desk, fleet_url), *args).returncode == 0
    wait_for(lambda: fake_runs(bot) or None, 60, "the worker's run")
    worker.process.send_signal(15)
    worker.wait_for_output("stop requested")
    release.write_text("go")
    assert worker.process.wait(timeout=60) == 0
    assert [j[1] for j in jobs(sql)] == ["succeeded"]
    assert [r.status for r in _records(fleet_url)] == ["succeeded"]


def test_a_deferred_purchase_order_run_says_its_job_in_json_with_the_file_path_made_absolute(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    desk = tmp_path / "desk"
    env = host_env(desk, fleet_url)
    (desk / "requests.csv").write_text("request_id\n", encoding="utf-8")
    queued = run_rpa(
        desk, env, "run", "raise-purchase-orders", "--input", "requests.csv", "--json", "--defer"
    )
    assert queued.returncode == 0, queued.stderr
    [(job_id, status, _, args)] = jobs(sql)
    assert json.loads(queued.stdout) == {
        "flow": "raise-purchase-orders",
        "status": "queued",
        "job_id": job_id,
    }
    assert status == "todo"
    assert args["args"] == ["--input", str(desk / "requests.csv"), "--json"]
    assert args["origin"]["operator"] and args["origin"]["schedule_id"] is None


def test_a_queued_run_waits_while_its_flow_runs_outside_the_queue(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    """An operator's plain `rpa run` on one host holds the flow: the queued run neither fails
    nor is dropped; it waits on the queue and runs once the flow is free."""
    operator_host, bot = tmp_path / "host-1", tmp_path / "bot-1"
    release = tmp_path / "release"
    by_hand = subprocess.Popen(
        rpa_command("--home", str(operator_host), "run", "sleepy", "--until-file", str(release)),
        env=host_env(operator_host, fleet_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: fake_runs(operator_host) or None, 60, "the run by hand")
    worker = started_worker(bot, host_env(bot, fleet_url))
    assert run_rpa(bot, host_env(bot, fleet_url), "run", "sleepy", "--defer").returncode == 0
    worker.wait_for_output("the queued run waits")
    assert [j[1] for j in jobs(sql)] == ["todo"]  # back on the queue, not failed
    release.write_text("go")
    assert by_hand.wait(timeout=60) == 0
    wait_for(lambda: [j for j in jobs(sql) if j[1] == "succeeded"] or None, 60, "the queued run")
    assert len(fake_runs(bot)) == 1
    assert sorted(r.status for r in _records(fleet_url)) == ["succeeded", "succeeded"]
    assert worker.stop() == 0
