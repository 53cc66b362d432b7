"""``rpa items``: the work queue an operator sees (list) and acts on (retry), in a child process
on a real SQLite ledger; and which items later runs take up by themselves."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.ledger.chain import append_event
from rpa.ledger.database import write_transaction
from rpa.ledger.event_kinds import EventKind
from tests.commands.conftest import RunRpa

SCOPE = ItemScope("raise-purchase-orders", "https://myoracle.example")
CONTENT = '{"lines":[],"request_id":"X"}'


def _ledger(home: Path) -> Ledger:
    (home / "state").mkdir(parents=True, exist_ok=True)
    return Ledger(f"sqlite:///{home / 'state' / 'ledger.sqlite3'}")


def _end(ledger: Ledger, key: str, state: ItemState, run_id: str = "run-1") -> None:
    ledger.register(
        SCOPE, key, source_file="a.csv", content_hash=key, content=CONTENT, run_id=run_id
    )
    assert ledger.claim(SCOPE, key, run_id=run_id, worker="w1")
    reference = "1004001" if state is ItemState.DONE else None
    ledger.transition(
        SCOPE, key, state, run_id=run_id, message=f"{state.value} for a test", reference=reference
    )


def test_list_shows_the_items_in_a_state_and_retry_makes_them_pending(
    home: Path, run_rpa: RunRpa
) -> None:
    with _ledger(home) as ledger:
        _end(ledger, "REQ-R", ItemState.REJECTED)
        _end(ledger, "REQ-F", ItemState.FAILED)
        ledger.register(SCOPE, "REQ-P", source_file="a.csv", content_hash="p", run_id="run-1")

    listed = run_rpa("items", "list", "--status", "failed", "--json")
    assert listed.returncode == 0, listed.stderr
    [failed] = json.loads(listed.stdout)
    assert (failed["item"], failed["state"], failed["message"]) == (
        "REQ-F",
        "failed",
        "failed for a test",
    )
    table = run_rpa("items", "list").stdout
    assert all(key in table for key in ("REQ-R", "REQ-F", "REQ-P"))

    retried = run_rpa("items", "retry", "REQ-R", "REQ-F")
    assert retried.returncode == 0, retried.stderr
    assert "REQ-R (raise-purchase-orders" in retried.stdout
    with _ledger(home) as ledger:
        for key in ("REQ-R", "REQ-F"):
            item = ledger.get(SCOPE, key)
            assert item is not None and item.state is ItemState.PENDING
            assert item.content == CONTENT  # kept for the run that takes it up
            assert "Retry asked by" in str(ledger.history(SCOPE, key)[-1].message)

    unknown = run_rpa("items", "retry", "REQ-P", "NO-SUCH")
    assert unknown.returncode == 6
    assert "NO-SUCH: no rejected or failed item" in unknown.stderr


def test_retry_all_failed_and_the_runs_a_failed_item_gets(home: Path, run_rpa: RunRpa) -> None:
    """A failed item is taken up by later runs until retry.max_runs runs have tried it; a
    retry gives it as many again."""
    with _ledger(home) as ledger:
        _end(ledger, "REQ-F", ItemState.FAILED, run_id="run-1")
        for run_id in ("run-2", "run-3"):
            assert ledger.claim(SCOPE, "REQ-F", run_id=run_id, worker="w1")
            ledger.transition(SCOPE, "REQ-F", ItemState.FAILED, run_id=run_id, message="again")
        item = ledger.get(SCOPE, "REQ-F")
        assert item is not None and ledger.runs_tried(SCOPE, item) == 3
        assert [i.item_key for i in ledger.left_for_later_runs(SCOPE, max_runs=4)] == ["REQ-F"]
        assert ledger.left_for_later_runs(SCOPE, max_runs=3) == []

    assert run_rpa("items", "retry", "--all-failed").returncode == 0
    with _ledger(home) as ledger:
        assert [i.item_key for i in ledger.left_for_later_runs(SCOPE, max_runs=3)] == ["REQ-F"]


def _result(ledger: Ledger, key: str, status: str, run_id: str, message: str) -> None:
    """What a run recorded of an item on the audit trail (as RunRecorder.record_item does)."""
    with write_transaction(ledger.engine) as conn:
        append_event(
            conn,
            EventKind.ITEM_RESULT,
            {"status": status, "message": message},
            run_id=run_id,
            flow=SCOPE.flow,
            subject=key,
        )


def test_list_conflicts_shows_raised_items_whose_last_arrival_was_changed(
    home: Path, run_rpa: RunRpa
) -> None:
    """A conflict is not a ledger state (the item stays done); the trail's last result says it."""
    with _ledger(home) as ledger:
        for key in ("REQ-C", "REQ-D", "REQ-S"):
            _end(ledger, key, ItemState.DONE)
            _result(ledger, key, "raised", "run-1", "raised")
        _result(ledger, "REQ-C", "conflict", "run-2", "already raised as 1004001, but this differs")
        # Conflicting once, then the raised content arrived again: no longer a conflict.
        _result(ledger, "REQ-S", "conflict", "run-2", "differs")
        _result(ledger, "REQ-S", "duplicate", "run-3", "already raised")

    listed = run_rpa("items", "list", "--status", "conflict", "--json")

    assert listed.returncode == 0, listed.stderr
    [conflict] = json.loads(listed.stdout)
    assert (conflict["item"], conflict["state"]) == ("REQ-C", "done")
    assert (
        conflict["message"] == "conflict (run run-2): already raised as 1004001, but this differs"
    )
    assert "REQ-C" in run_rpa("items", "list", "--status", "conflict").stdout


def test_times_are_shown_in_uk_time_or_the_zone_set(home: Path, run_rpa: RunRpa) -> None:
    with _ledger(home) as ledger:
        _end(ledger, "REQ-T", ItemState.FAILED)
    uk = run_rpa("items", "list").stdout
    assert re.search(r"\b\d\d/\d\d/\d{4} \d\d:\d\d (GMT|BST)\b", uk), uk
    utc = run_rpa("items", "list", RPA_DISPLAY_TIMEZONE="UTC").stdout
    assert re.search(r"\b\d\d/\d\d/\d{4} \d\d:\d\d UTC\b", utc), utc
