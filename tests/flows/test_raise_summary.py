"""The console summary of a raise run names every outcome a buyer must act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.flow import FlowResult
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.report import print_summary


def test_a_conflict_is_counted_and_listed_with_its_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = Path("orders.csv")
    result = FlowResult(
        files=[],
        items=[
            ItemOutcome("REQ-1", ItemStatus.RAISED, source, po_number="1004600"),
            ItemOutcome(
                "REQ-2",
                ItemStatus.CONFLICT,
                source,
                po_number="1004512",
                message="already raised as 1004512 by run r0, but this copy differs: line 1: "
                "quantity '50' → '60'",
            ),
        ],
    )
    print_summary(result, "run-1", None)
    out = capsys.readouterr().out
    assert "raised 1, duplicate 0, rejected 0, failed 0, conflict 1" in out
    assert "REQ-2                PO 1004512    conflict" in out
    assert "CONFLICT  REQ-2: already raised as 1004512" in out
