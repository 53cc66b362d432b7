"""The doctor's worker-count check: each worker is a browser, so cores set the limit."""

from __future__ import annotations

from pathlib import Path

from app.commands.doctor_checks import check_workers
from config.settings import Settings


def test_workers_within_twice_the_cores_pass(tmp_path: Path) -> None:
    [check] = check_workers(Settings(home=tmp_path, workers=4), cores=2)
    assert check.ok and check.detail == "4 on 2 cores"


def test_more_workers_than_twice_the_cores_fail_with_the_fix(tmp_path: Path) -> None:
    [check] = check_workers(Settings(home=tmp_path, workers=5), cores=2)
    assert not check.ok
    assert "5 workers" in check.detail
    assert "at most 4" in check.fix


def test_unknown_core_count_counts_as_one(tmp_path: Path) -> None:
    [check] = check_workers(Settings(home=tmp_path, workers=3), cores=None)
    assert not check.ok and "at most 2" in check.fix
