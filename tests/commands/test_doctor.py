"""`rpa doctor` with a real Chromium and a real sandbox: all good, and each kind of problem
reported with what to fix (exit 2)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from sandbox.process import SandboxProcess
from tests.commands.conftest import RunRpa

pytestmark = pytest.mark.browser


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_doctor_passes_against_a_reachable_oracle(
    run_rpa: RunRpa, sandbox_server: SandboxProcess
) -> None:
    """Configuration, directories, browser, reachability and sign-in all pass: exit 0."""
    done = run_rpa(
        "doctor",
        RPA_ORACLE__BASE_URL=sandbox_server.base_url,
        RPA_ORACLE__USERNAME=sandbox_server.username,
        RPA_ORACLE__PASSWORD=sandbox_server.password,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout
    assert f"signed in as {sandbox_server.username}" in done.stdout
    assert "Chromium " in done.stdout


def test_doctor_reports_a_refused_sign_in(run_rpa: RunRpa, sandbox_server: SandboxProcess) -> None:
    """A wrong service-account password fails the sign-in check, with the fix: exit 2."""
    done = run_rpa(
        "doctor",
        RPA_ORACLE__BASE_URL=sandbox_server.base_url,
        RPA_ORACLE__USERNAME=sandbox_server.username,
        RPA_ORACLE__PASSWORD="not-the-password",
    )
    assert done.returncode == 2
    assert "[FAIL] sign-in" in done.stdout
    assert "fix: check the service account" in done.stdout
    assert "not-the-password" not in done.stdout


def test_doctor_reports_unwritable_state_and_unreachable_oracle(
    run_rpa: RunRpa, home: Path
) -> None:
    """A state path that cannot be a directory and an Oracle nobody answers at are both
    reported with what to fix; the exit code is 2."""
    (home / "state").write_text("a file where the state directory should be")
    done = run_rpa(
        "doctor",
        RPA_ORACLE__BASE_URL=f"http://127.0.0.1:{_closed_port()}",
        RPA_ORACLE__USERNAME="SVC.RPA",
        RPA_ORACLE__PASSWORD="x",
    )
    assert done.returncode == 2
    assert "[FAIL] state directory" in done.stdout
    assert "[FAIL] oracle reachable" in done.stdout
    assert "fix: check the URL" in done.stdout
    assert "[ok  ] browser" in done.stdout
    assert "problem(s) found" in done.stderr


def test_doctor_reports_an_incomplete_oracle_configuration(run_rpa: RunRpa) -> None:
    """An Oracle URL without a password is a configuration failure naming the variables."""
    done = run_rpa(
        "doctor", RPA_ORACLE__BASE_URL="http://127.0.0.1:9", RPA_ORACLE__USERNAME="SVC.RPA"
    )
    assert done.returncode == 2
    assert "[FAIL] oracle target" in done.stdout
    assert "RPA_ORACLE__PASSWORD" in done.stdout
