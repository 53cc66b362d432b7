"""`rpa doctor` fails while the secrets directory, or a file in it, is open to its group or to
other users, and says which file and the chmod that fixes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.commands.doctor_checks import Check, check_secrets
from config.settings import Settings
from tests.commands.conftest import RunRpa


@pytest.fixture
def secrets(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``<home>/secrets`` as an operator sets it up: 0700, one 0600 file per secret."""
    monkeypatch.delenv("RPA_SECRETS_DIR", raising=False)
    folder = home / "secrets"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    for name, value in (("oracle__password", "Pw-1"), ("sandbox__password", "Pw-2")):
        (folder / name).write_text(value, encoding="utf-8")
        (folder / name).chmod(0o600)
    return folder


def _checks(home: Path) -> list[Check]:
    return list(check_secrets(Settings(home=home)))


def test_a_private_secrets_directory_passes(home: Path, secrets: Path) -> None:
    assert [(c.name, c.ok) for c in _checks(home)] == [("secrets directory", True)]


def test_no_secrets_directory_passes(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RPA_SECRETS_DIR", raising=False)
    [check] = _checks(home)
    assert check.ok and "none" in check.detail


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_secret_file_open_to_group_or_others_fails_with_the_chmod(
    home: Path, secrets: Path, mode: int
) -> None:
    (secrets / "oracle__password").chmod(mode)
    checks = _checks(home)
    [failed] = [c for c in checks if not c.ok]
    path = secrets / "oracle__password"
    assert failed.name == "secret file"
    assert failed.detail == f"{path} can be read by its group or others (mode {mode:03o})"
    assert f"chmod 600 {path}" in failed.fix


def test_a_secrets_directory_open_to_others_fails(home: Path, secrets: Path) -> None:
    secrets.chmod(0o755)
    [directory] = _checks(home)
    assert not directory.ok and "(mode 755)" in directory.detail
    assert f"chmod 700 {secrets}" in directory.fix


def test_the_secrets_directory_named_by_rpa_secrets_dir_is_the_one_checked(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "credentials"
    elsewhere.mkdir(mode=0o700)
    elsewhere.chmod(0o700)
    (elsewhere / "oracle__password").write_text("Pw-3", encoding="utf-8")
    (elsewhere / "oracle__password").chmod(0o640)
    monkeypatch.setenv("RPA_SECRETS_DIR", str(elsewhere))
    assert [c.ok for c in _checks(home)] == [True, False]


def test_rpa_doctor_fails_on_a_readable_secret_file(
    run_rpa: RunRpa, home: Path, secrets: Path
) -> None:
    """The real command: the failing line names the file, the fix line the chmod; exit 2."""
    (secrets / "oracle__password").chmod(0o644)
    done = run_rpa("doctor", RPA_BROWSER__EXECUTABLE_PATH="/nonexistent/chromium")
    assert done.returncode == 2
    path = secrets / "oracle__password"
    assert f"[FAIL] secret file: {path} can be read by its group or others" in done.stdout
    assert f"fix: run chmod 600 {path}" in done.stdout
    assert "[ok  ] secrets directory" in done.stdout
    assert "Pw-1" not in done.stdout + done.stderr
