"""Where settings come from, and which source wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import load_settings


def test_secrets_directory_file_sets_a_nested_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file <home>/secrets/oracle__password becomes oracle.password, without the newline."""
    monkeypatch.delenv("RPA_ORACLE__PASSWORD", raising=False)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "oracle__password").write_text("from-a-file\n", encoding="utf-8")
    settings = load_settings(home=tmp_path)
    assert settings.oracle.password is not None
    assert settings.oracle.password.get_secret_value() == "from-a-file"
    assert "from-a-file" not in repr(settings)


def test_environment_wins_over_secrets_directory_and_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RPA_ variables override a secrets file and the settings file."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "oracle__password").write_text("from-a-file", encoding="utf-8")
    monkeypatch.setenv("RPA_ORACLE__PASSWORD", "from-env")
    monkeypatch.setenv("RPA_RETRY__ATTEMPTS", "7")
    settings = load_settings(home=tmp_path)
    assert settings.oracle.password is not None
    assert settings.oracle.password.get_secret_value() == "from-env"
    assert settings.retry.attempts == 7
    assert settings.browser.headless is True  # from config/settings.toml
