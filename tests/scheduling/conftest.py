"""Fixtures for scheduler tests: a home directory per test and schedulers that are always
stopped afterwards, with any fake run they started."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.scheduling.helpers import SchedulerProcess, fake_runs, rpa_env


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def make_scheduler(home: Path) -> Iterator[Callable[..., SchedulerProcess]]:
    """Build ``python scheduler.py`` processes on ``home``; settings as RPA_* keyword args."""
    started: list[SchedulerProcess] = []

    def make(**settings: str) -> SchedulerProcess:
        scheduler = SchedulerProcess(home, rpa_env(home, **settings))
        started.append(scheduler)
        return scheduler

    yield make
    for scheduler in started:
        scheduler.kill()
    for run in fake_runs(home):  # a run outliving a killed scheduler: stop its group too
        if int(run["pgid"]) == os.getpgrp():  # never our own group
            continue
        try:
            os.killpg(int(run["pgid"]), signal.SIGKILL)
        except ProcessLookupError:
            continue
