"""The scheduler's own run records (missed, skipped, ...) name the Oracle target as the flows'
records do: the target id, never a raw URL or a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scheduling.run_log import ScheduledOutcome, SchedulerRunLog
from config.settings import OracleSettings, Settings


@pytest.mark.parametrize(
    ("oracle", "expected"),
    [
        (
            OracleSettings(
                base_url="https://EHXX.fa.em2.oraclecloud.com/", username="S", password="p"
            ),
            "https://ehxx.fa.em2.oraclecloud.com",
        ),
        (OracleSettings(target="sandbox"), "sandbox:{home}/sandbox"),
        (OracleSettings(), None),  # none configured: the run would have stopped (exit 2)
    ],
)
def test_a_missed_run_records_the_target_id(
    tmp_path: Path, oracle: OracleSettings, expected: str | None
) -> None:
    settings = Settings(home=tmp_path, oracle=oracle)
    record = SchedulerRunLog(settings).record(
        ScheduledOutcome.MISSED, schedule_id="po", flow="raise-purchase-orders", message="late"
    )
    wanted = expected.format(home=tmp_path.resolve()) if expected else None
    assert record.target_url == wanted
