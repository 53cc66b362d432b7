"""audit.retention_years (the council's calendar-year schedule) and audit.retention_days."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import load_settings


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RPA_AUDIT__RETENTION_DAYS", "RPA_AUDIT__RETENTION_YEARS", "RPA_AUDIT"):
        monkeypatch.delenv(name, raising=False)


def test_the_default_is_the_year_of_the_run_plus_six_calendar_years(tmp_path: Path) -> None:
    audit = load_settings(home=tmp_path).audit
    assert (audit.retention_years, audit.retention_days) == (6, None)


def test_days_set_by_an_operator_are_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RPA_AUDIT__RETENTION_DAYS", "400")
    assert load_settings(home=tmp_path).audit.retention_days == 400


def test_years_and_days_together_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two rules at once would leave the operator guessing which one deletes evidence."""
    monkeypatch.setenv("RPA_AUDIT__RETENTION_DAYS", "400")
    monkeypatch.setenv("RPA_AUDIT__RETENTION_YEARS", "7")
    with pytest.raises(
        ValidationError, match=r"set audit\.retention_years or audit\.retention_days"
    ):
        load_settings(home=tmp_path)
