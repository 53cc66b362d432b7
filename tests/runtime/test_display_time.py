"""Times for UK readers: stored in UTC, shown day first in Europe/London with the zone (GMT in
winter, BST in summer); one setting changes the zone; a date filter is a local day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings
from rpa.display_time import DEFAULT_ZONE, local_day_start, local_time, set_display_zone


@pytest.fixture(autouse=True)
def _default_zone() -> Iterator[None]:
    yield
    set_display_zone(DEFAULT_ZONE)


def test_winter_and_summer_times_read_in_uk_time_with_the_zone() -> None:
    assert local_time(datetime(2026, 12, 3, 14, 5, 7, tzinfo=UTC)) == "03/12/2026 14:05:07 GMT"
    assert local_time(datetime(2027, 6, 1, 14, 5, 7, tzinfo=UTC)) == "01/06/2027 15:05:07 BST"
    assert local_time(datetime(2027, 6, 1, 14, 5), seconds=False) == "01/06/2027 15:05 BST"
    assert local_time(None) == "-"


def test_one_setting_changes_the_zone() -> None:
    set_display_zone("UTC")
    assert local_time(datetime(2027, 6, 1, 14, 5, 7, tzinfo=UTC)) == "01/06/2027 14:05:07 UTC"


def test_a_local_day_starts_at_local_midnight() -> None:
    assert local_day_start(date(2027, 6, 1)) == datetime(2027, 5, 31, 23, 0, tzinfo=UTC)
    assert local_day_start(date(2026, 12, 3)) == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)


def test_an_unknown_zone_is_refused_by_the_settings(tmp_path: Path) -> None:
    assert Settings(home=tmp_path, display_timezone="UTC").display_timezone == "UTC"
    with pytest.raises(ValidationError, match="is not a time zone name"):
        Settings(home=tmp_path, display_timezone="Europe/Norwich")
