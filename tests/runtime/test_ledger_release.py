"""A run that stops with an item in hand, for a reason that is not the item's: the item is
released for the next run (never rejected or failed), whether the stopping run releases it
itself or dies before it can."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.ledger import ItemScope, ItemState, Ledger, NotHolderError
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from rpa.trigger import detect_trigger

FLOW = "raise-purchase-orders"
SCOPE = ItemScope(FLOW, "https://pod.example.gov.uk")


def _claimed(ledger: Ledger, key: str, run_id: str) -> None:
    ledger.register(SCOPE, key, source_file="r.csv", content_hash="h", run_id=run_id)
    assert ledger.claim(SCOPE, key, run_id=run_id, worker="w1") is not None


def test_a_released_item_is_abandoned_and_the_next_run_claims_it_searching_oracle_first(
    ledger: Ledger,
) -> None:
    _claimed(ledger, "REQ-1", "run-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id="run-1", reference="1004540")

    released = ledger.release_claim(
        SCOPE, "REQ-1", run_id="run-1", reason="SignInRefusedError: the account is locked"
    )

    assert released.state is ItemState.ABANDONED and released.reference == "1004540"
    last = ledger.history(SCOPE, "REQ-1")[-1]
    assert (last.from_state, last.to_state, last.run_id) == (
        ItemState.CREATED,
        ItemState.ABANDONED,
        "run-1",
    )
    assert "Run run-1 stopped" in (last.message or "")
    assert "the account is locked" in (last.message or "")
    claim = ledger.claim(SCOPE, "REQ-1", run_id="run-2", worker="w1")
    assert claim is not None and claim.outcome_unknown and claim.item.reference == "1004540"


def test_releasing_an_item_not_held_changes_nothing(ledger: Ledger) -> None:
    _claimed(ledger, "REQ-1", "run-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id="run-1", reference="1")
    ledger.transition(SCOPE, "REQ-1", ItemState.DONE, run_id="run-1", reference="1")
    done = ledger.release_claim(SCOPE, "REQ-1", run_id="run-1", reason="stopping")
    assert done.state is ItemState.DONE
    ledger.register(SCOPE, "REQ-2", source_file="r.csv", content_hash="h", run_id="run-1")
    assert ledger.release_claim(SCOPE, "REQ-2", run_id="run-1", reason="x").state is (
        ItemState.PENDING
    )


def test_a_run_never_releases_an_item_another_run_holds(ledger: Ledger) -> None:
    _claimed(ledger, "REQ-1", "run-1")
    with pytest.raises(NotHolderError):
        ledger.release_claim(SCOPE, "REQ-1", run_id="run-2", reason="stopping")


def test_an_item_an_aborted_run_left_held_is_taken_by_the_next_run(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Should a stopping run fail to release its item (its process killed on the way out), the
    run record says aborted, not running: the next run's release_stale frees the item."""
    recorder = RunRecorder(ledger, tmp_path / "logs")
    run = recorder.start(flow=FLOW, trigger=detect_trigger(), target_url=None, settings={})
    _claimed(ledger, "REQ-1", run.run_id)
    recorder.finish(RunStatus.ABORTED, {}, "Stopped: Oracle refused the sign-in of SVC")

    released = ledger.release_stale(SCOPE, run_id="run-2")

    assert [i.item_key for i in released] == ["REQ-1"]
    claim = ledger.claim(SCOPE, "REQ-1", run_id="run-2", worker="w1")
    assert claim is not None and claim.outcome_unknown
