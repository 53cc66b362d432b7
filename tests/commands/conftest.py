"""Fixtures for the operator commands: a home with a schedule file, and a way to run ``rpa``
as a real process against it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.scheduling.helpers import rpa_command, rpa_env, write_schedules

RunRpa = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    write_schedules(
        path / "schedules.toml",
        {
            "id": "naps",
            "flow": "sleepy",
            "cron": "0 0,30 8-17 * * mon-fri",
            "args": ["--seconds", "1"],
        },
        {
            "id": "weekend-naps",
            "flow": "sleepy",
            "interval": "2h",
            "timezone": "UTC",
            "enabled": False,
        },
    )
    return path


@pytest.fixture
def run_rpa(home: Path) -> RunRpa:
    """``rpa ARGS`` in a child process on ``home``; settings as RPA_* keyword arguments."""

    def run(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            rpa_command(*args),
            env=rpa_env(home, **settings),
            cwd=home,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
