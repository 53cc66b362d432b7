"""What the suite writes is for the service account and its group only: the entry points set
a umask of 0027 whatever the caller's, so files are 0640 and directories 0750."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import scheduler
from app import cli as rpa_cli
from tests.scheduling.helpers import rpa_command, rpa_env


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def own_umask() -> Iterator[None]:
    """Give the test process back its umask, whatever the code under test set."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def test_a_run_writes_its_ledger_logs_and_record_for_owner_and_group(tmp_path: Path) -> None:
    """A real ``rpa run`` started with umask 022 creates the state and logs directories 0750
    and the ledger, run record and log 0640: nothing of it is readable by other users."""
    home = tmp_path / "home"
    done = subprocess.run(
        rpa_command("run", "sleepy"),
        env=rpa_env(home),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [run_dir] = (home / "logs" / "runs").iterdir()
    for directory in (home, home / "state", home / "logs", home / "logs" / "runs", run_dir):
        assert _mode(directory) == 0o750, directory
    for file in (home / "state" / "ledger.sqlite3", run_dir / "run.json"):
        assert _mode(file) == 0o640, file
    others = [p for p in home.rglob("*") if _mode(p) & 0o007]
    assert others == []


def test_the_scheduler_entry_point_sets_the_same_umask(
    monkeypatch: pytest.MonkeyPatch, own_umask: None
) -> None:
    """``python scheduler.py`` restricts new files before the scheduler starts."""
    seen: list[int] = []

    def fake_main(**_: object) -> int:
        current = os.umask(0o022)
        os.umask(current)
        seen.append(current)
        return 0

    monkeypatch.setattr(rpa_cli.cli, "main", fake_main)
    monkeypatch.setattr("sys.argv", ["scheduler.py", "--list"])
    os.umask(0o022)
    with pytest.raises(SystemExit):
        scheduler.main()
    assert seen == [0o027]
