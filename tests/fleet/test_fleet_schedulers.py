"""Two ``rpa schedule`` processes (two hosts) and a worker on one PostgreSQL: every tick runs
once, and ticks that passed while both schedulers were down are recorded once."""

from __future__ import annotations

from collections import Counter
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
    started_scheduler,
    started_worker,
)
from tests.scheduling.helpers import fake_runs, wait_for, write_schedules

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(300)]
EVERY_S = 4
# A scheduler later than this at a tick records it missed: as long as an interval, so that a
# busy test machine does not miss ticks while the schedulers run.
GRACE_S = EVERY_S


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    kill_everything_under(tmp_path)


def _records(url: str, status: str) -> list[RunRecord]:
    with Ledger(url) as ledger:
        return [r for r in list_runs(ledger, limit=500) if r.status == status]


def _host(tmp_path: Path, name: str, url: str) -> tuple[Path, dict[str, str]]:
    home = tmp_path / name
    home.mkdir()
    write_schedules(
        home / "schedules.toml",
        {"id": "tick", "flow": "sleepy", "interval": f"{EVERY_S}s", "args": ["--seconds", "0"]},
    )
    return home, host_env(home, url, RPA_SCHEDULER__MISFIRE_GRACE_S=str(GRACE_S))


def test_two_schedulers_queue_each_tick_once_and_record_ticks_missed_while_both_were_down(
    fleet_url: str, tmp_path: Path, sql: psycopg.Connection[Any]
) -> None:
    bot_home, bot_env = _host(tmp_path, "bot", fleet_url)
    worker = started_worker(bot_home, bot_env)
    hosts = [_host(tmp_path, name, fleet_url) for name in ("host-1", "host-2")]
    schedulers = [started_scheduler(home, env) for home, env in hosts]
    wait_for(lambda: len(fake_runs(bot_home)) >= 4 or None, 90, "four ticks to run")
    for scheduler in schedulers:
        assert scheduler.stop() == 0

    wait_for(lambda: all(job[1] == "succeeded" for job in jobs(sql)), 60, "the queued ticks to run")
    runs = fake_runs(bot_home)
    fire_times = [job[3]["origin"]["fire_time"] for job in jobs(sql)]
    assert len(fire_times) == len(set(fire_times)), "a tick was queued twice"
    assert len(runs) == len(fire_times), "one run per queued tick"
    assert {run["trigger"]["schedule_id"] for run in runs} == {"tick"}
    claimed_by = Counter(
        row[0] for row in sql.execute("SELECT host FROM schedule_ticks WHERE outcome = 'queued'")
    )
    assert sum(claimed_by.values()) == len(fire_times)

    last_queued = max(fire_times)

    # Both down until three ticks are past the grace: those ticks are missed.
    def three_ticks_passed() -> bool:
        row = sql.execute(
            "SELECT now() - %s::timestamptz > make_interval(secs => %s)",
            (last_queued, 3 * EVERY_S + GRACE_S + 1),
        ).fetchone()
        return bool(row and row[0])

    wait_for(three_ticks_passed, 60, "three ticks to pass")
    schedulers = [started_scheduler(home, env) for home, env in hosts]
    [missed] = wait_for(lambda: _records(fleet_url, "missed") or None, 60, "a missed record")
    before = len(jobs(sql))
    wait_for(lambda: len(jobs(sql)) >= before + 2 or None, 60, "two more ticks after the restart")
    for scheduler in schedulers:
        assert scheduler.stop() == 0
    assert worker.stop() == 0
    assert _records(fleet_url, "missed") == [missed], "the missed ticks were recorded once"
    assert missed.counts is not None and missed.counts["missed_runs"] >= 3
    assert "fell due while no scheduler of the fleet was running" in (missed.message or "")
    assert missed.trigger.schedule_id == "tick"
    fire_times = [job[3]["origin"]["fire_time"] for job in jobs(sql)]
    assert len(fire_times) == len(set(fire_times))
