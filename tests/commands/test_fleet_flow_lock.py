"""Two bot hosts on one PostgreSQL ledger run a flow one at a time: real ``rpa`` processes with
separate homes (so that no file lock is shared), the ledger on the real test server."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.scheduling.helpers import rpa_command, rpa_env

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DEADLINE_S = 60


def _home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    home.mkdir()
    (home / "schedules.toml").write_text("", encoding="utf-8")
    return home


def _rpa(home: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        rpa_command(*args),
        env=rpa_env(home, RPA_LEDGER_URL=url),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _marker(home: Path) -> dict[str, object]:
    """The running fake's marker file (written once it holds the flow's locks)."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        found = sorted((home / "fake-runs").glob("*.json")) if (home / "fake-runs").is_dir() else []
        if found:
            return dict(json.loads(found[0].read_text(encoding="utf-8")))
        assert time.monotonic() < deadline, "the first host's run never started"
        time.sleep(0.05)


def test_a_flow_running_on_one_host_is_refused_on_another_and_shown_there(
    postgres_url: str, tmp_path: Path
) -> None:
    first, second = _home(tmp_path, "host-1"), _home(tmp_path, "host-2")
    release = tmp_path / "release"
    running = subprocess.Popen(
        rpa_command("run", "sleepy", "--until-file", str(release)),
        env=rpa_env(first, RPA_LEDGER_URL=postgres_url),
        cwd=first,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        marker = _marker(first)
        refused = _rpa(second, postgres_url, "run", "sleepy")
        assert refused.returncode == 4, refused.stderr
        assert f"Flow 'sleepy' is already running: run {marker['run_id']}" in refused.stderr
        assert f"pid {marker['pid']}" in refused.stderr

        listed = _rpa(second, postgres_url, "flows")
        assert listed.returncode == 0, listed.stderr
        line = next(row for row in listed.stdout.splitlines() if row.startswith("sleepy"))
        assert f"yes: run {marker['run_id']}" in line
    finally:
        release.touch()
        running.communicate(timeout=120)
    assert running.returncode == 0, running.stderr

    after = _rpa(second, postgres_url, "run", "sleepy")
    assert after.returncode == 0, after.stderr
    listed = _rpa(second, postgres_url, "flows")
    line = next(row for row in listed.stdout.splitlines() if row.startswith("sleepy"))
    assert " no " in f" {line} "
