"""The ledger on a real SQLite file and on a real PostgreSQL database: states, history, legality,
concurrency across threads and processes, and resuming items whose run died."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections import Counter
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from rpa.ledger import (
    IllegalTransitionError,
    ItemNotFoundError,
    ItemScope,
    ItemState,
    Ledger,
    NotHolderError,
    ReferenceConflictError,
    SchemaVersionError,
)
from rpa.ledger.schema import metadata, schema_version
from rpa.runs import RunRecorder
from rpa.trigger import detect_trigger

FLOW = "raise-purchase-orders"
SCOPE = ItemScope(FLOW, "sandbox:/tmp/test-sandbox")
RUN = "20261129T193000Z-aaaaaa"


def _register(ledger: Ledger, key: str, content_hash: str = "h1", run_id: str = RUN) -> None:
    ledger.register(
        SCOPE, key, source_file="requests.csv", content_hash=content_hash, run_id=run_id
    )


def _claimed(ledger: Ledger, key: str, run_id: str = RUN) -> None:
    _register(ledger, key, run_id=run_id)
    assert ledger.claim(SCOPE, key, run_id=run_id, worker="w1")


def test_register_is_idempotent_and_flags_changed_content(ledger: Ledger) -> None:
    """Registering a key twice returns the first record unchanged, flagging different content."""
    first = ledger.register(SCOPE, "REQ-1", source_file="a.csv", content_hash="h1", run_id=RUN)
    again = ledger.register(SCOPE, "REQ-1", source_file="b.csv", content_hash="h1", run_id="r2")
    changed = ledger.register(SCOPE, "REQ-1", source_file="c.csv", content_hash="h2", run_id="r3")

    assert first.is_new and not first.content_changed
    assert first.item.state is ItemState.PENDING
    assert not again.is_new and not again.content_changed
    assert again.item == first.item
    assert changed.content_changed and changed.item.content_hash == "h1"
    assert changed.item.source_file == "a.csv"
    assert len(ledger.history(SCOPE, "REQ-1")) == 1


def test_items_are_keyed_by_flow_and_key(ledger: Ledger) -> None:
    """The same key in two flows is two items; an unknown key reads as None."""
    suppliers = ItemScope("sync-suppliers", SCOPE.target)
    _register(ledger, "K1")
    ledger.register(suppliers, "K1", source_file=None, content_hash=None, run_id=RUN)

    assert ledger.get(SCOPE, "K1") is not None
    assert ledger.get(suppliers, "K1") is not None
    assert ledger.get(SCOPE, "K2") is None
    assert [i.item_key for i in ledger.items(SCOPE)] == ["K1"]
    with pytest.raises(ItemNotFoundError, match="K2") as raised:
        ledger.claim(SCOPE, "K2", run_id=RUN, worker="w1")
    assert SCOPE.target in str(raised.value) and raised.value.target == SCOPE.target


def test_the_same_key_under_two_targets_is_two_items(ledger: Ledger) -> None:
    """A request registered against a sandbox and against a pod is two items, each with its
    own state and history, and each target's queries see only its own."""
    pod = ItemScope(FLOW, "https://ehxx.fa.em2.oraclecloud.com")
    first = ledger.register(SCOPE, "REQ-1", source_file="a.csv", content_hash="h1", run_id=RUN)
    other = ledger.register(pod, "REQ-1", source_file="a.csv", content_hash="h1", run_id=RUN)

    assert first.is_new and other.is_new
    assert (first.item.target, other.item.target) == (SCOPE.target, pod.target)
    assert [i.item_key for i in ledger.items(SCOPE)] == ["REQ-1"]
    assert [i.item_key for i in ledger.items(pod)] == ["REQ-1"]
    assert [t.target for t in ledger.history(pod, "REQ-1")] == [pod.target]
    assert ledger.counts(pod)[ItemState.PENDING] == 1
    assert ledger.get(ItemScope(FLOW, "sandbox:elsewhere"), "REQ-1") is None


def test_an_item_done_under_one_target_is_claimable_under_another(ledger: Ledger) -> None:
    """Raised in the sandbox is not raised in production: the other target's item is pending,
    is claimed as new work (no Oracle search needed), and gets its own reference."""
    pod = ItemScope(FLOW, "https://ehxx.fa.em2.oraclecloud.com")
    _claimed(ledger, "REQ-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    ledger.transition(SCOPE, "REQ-1", ItemState.DONE, run_id=RUN)

    again = ledger.register(pod, "REQ-1", source_file="a.csv", content_hash="h1", run_id="r2")
    assert again.is_new and again.item.state is ItemState.PENDING
    claim = ledger.claim(pod, "REQ-1", run_id="r2", worker="w1")
    assert claim is not None and not claim.outcome_unknown and claim.item.reference is None
    done = ledger.transition(pod, "REQ-1", ItemState.CREATED, run_id="r2", reference="2002")
    assert done.reference == "2002"  # no conflict with the sandbox's 1001
    sandbox_item = ledger.get(SCOPE, "REQ-1")
    assert sandbox_item is not None and sandbox_item.state is ItemState.DONE
    assert sandbox_item.reference == "1001"
    assert ledger.claim(SCOPE, "REQ-1", run_id="r2", worker="w1") is None


def test_release_stale_stays_within_its_target(ledger: Ledger) -> None:
    """A run against one Oracle abandons its own target's stale items, never another's: only
    a run against that Oracle can search it before acting again."""
    pod = ItemScope(FLOW, "https://ehxx.fa.em2.oraclecloud.com")
    _claimed(ledger, "REQ-1", run_id="dead-run")
    ledger.register(pod, "REQ-1", source_file=None, content_hash=None, run_id="dead-run")
    assert ledger.claim(pod, "REQ-1", run_id="dead-run", worker="w1")

    released = ledger.release_stale(pod, run_id="new-run")

    assert [(i.target, i.state) for i in released] == [(pod.target, ItemState.ABANDONED)]
    held = ledger.get(SCOPE, "REQ-1")
    assert held is not None and held.state is ItemState.IN_PROGRESS


def test_happy_path_history_is_complete_and_ordered(ledger: Ledger) -> None:
    """Each step writes the item and one history row, in order, with UTC timestamps."""
    _register(ledger, "REQ-1")
    claim = ledger.claim(SCOPE, "REQ-1", run_id=RUN, worker="w1")
    assert claim is not None and not claim.outcome_unknown
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    ledger.transition(SCOPE, "REQ-1", ItemState.SUBMITTING, run_id=RUN, attempt=1)
    done = ledger.transition(SCOPE, "REQ-1", ItemState.DONE, run_id=RUN, message="Open")

    assert done.state is ItemState.DONE and done.is_final
    assert done.reference == "1001" and done.claim_count == 1
    history = ledger.history(SCOPE, "REQ-1")
    assert [(t.from_state, t.to_state) for t in history] == [
        (None, ItemState.PENDING),
        (ItemState.PENDING, ItemState.IN_PROGRESS),
        (ItemState.IN_PROGRESS, ItemState.CREATED),
        (ItemState.CREATED, ItemState.SUBMITTING),
        (ItemState.SUBMITTING, ItemState.DONE),
    ]
    assert all(t.at.tzinfo is UTC for t in history)
    assert [t.at for t in history] == sorted(t.at for t in history)
    assert history[1].worker == "w1" and history[3].attempt == 1
    assert history[4].reference == "1001"
    assert ledger.claim(SCOPE, "REQ-1", run_id="r2", worker="w1") is None


@pytest.mark.parametrize(
    ("path", "target", "reason"),
    [
        ([], ItemState.CREATED, "claim it first"),
        ([ItemState.CREATED], ItemState.IN_PROGRESS, "only through claim"),
        ([], ItemState.ABANDONED, "only by release_stale"),
        ([ItemState.CREATED], ItemState.PENDING, "only done, failed, rejected, submitting"),
        ([ItemState.CREATED, ItemState.SUBMITTING, ItemState.DONE], ItemState.FAILED, "final"),
        ([ItemState.REJECTED], ItemState.CREATED, "final"),
    ],
)
def test_illegal_transitions_are_refused(
    ledger: Ledger, path: list[ItemState], target: ItemState, reason: str
) -> None:
    """A move outside the state table raises an error naming the item, the states and why."""
    _register(ledger, "REQ-1")
    if path or target is not ItemState.CREATED:
        assert ledger.claim(SCOPE, "REQ-1", run_id=RUN, worker="w1")
    for step in path:
        ledger.transition(SCOPE, "REQ-1", step, run_id=RUN, reference="1001", message="why")
    before = ledger.get(SCOPE, "REQ-1")

    with pytest.raises(IllegalTransitionError, match=reason) as raised:
        ledger.transition(SCOPE, "REQ-1", target, run_id=RUN, reference="1001", message="m")

    assert "REQ-1" in str(raised.value) and raised.value.to_state == target.value
    assert ledger.get(SCOPE, "REQ-1") == before


def test_transitions_must_record_what_they_mean(ledger: Ledger) -> None:
    """created needs an order number; rejected and failed need a message."""
    _claimed(ledger, "REQ-1")
    with pytest.raises(IllegalTransitionError, match="reference must"):
        ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN)
    with pytest.raises(IllegalTransitionError, match="message"):
        ledger.transition(SCOPE, "REQ-1", ItemState.REJECTED, run_id=RUN)
    rejected = ledger.transition(
        SCOPE, "REQ-1", ItemState.REJECTED, run_id=RUN, message="POZ-2130496: no bill-to BU"
    )
    assert rejected.message == "POZ-2130496: no bill-to BU"


def test_a_repeated_step_is_recorded_once_only_when_repeat_ok(ledger: Ledger) -> None:
    """A retry repeating ``created`` with the same number changes nothing; a plain repeat, or
    one with another number, is refused."""
    _claimed(ledger, "REQ-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    steps = len(ledger.history(SCOPE, "REQ-1"))

    item = ledger.transition(
        SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001", repeat_ok=True
    )

    assert item.state is ItemState.CREATED and item.reference == "1001"
    assert len(ledger.history(SCOPE, "REQ-1")) == steps
    with pytest.raises(IllegalTransitionError):
        ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    with pytest.raises(IllegalTransitionError):
        ledger.transition(
            SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1002", repeat_ok=True
        )
    assert ledger.get(SCOPE, "REQ-1") == item


def test_only_the_holding_run_may_move_an_item(ledger: Ledger) -> None:
    """A run that did not claim the item gets NotHolderError, and the item is unchanged."""
    _claimed(ledger, "REQ-1")
    with pytest.raises(NotHolderError, match="held by run"):
        ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id="other", reference="1")
    item = ledger.get(SCOPE, "REQ-1")
    assert item is not None and item.state is ItemState.IN_PROGRESS


def test_a_second_order_number_is_refused(ledger: Ledger) -> None:
    """Linking an item to a different order than recorded raises: it signals a duplicate."""
    _claimed(ledger, "REQ-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    with pytest.raises(ReferenceConflictError, match="1001"):
        ledger.transition(SCOPE, "REQ-1", ItemState.SUBMITTING, run_id=RUN, reference="1002")
    kept = ledger.transition(SCOPE, "REQ-1", ItemState.SUBMITTING, run_id=RUN)
    assert kept.reference == "1001"


def test_failed_items_are_claimed_again_with_outcome_unknown(ledger: Ledger) -> None:
    """A failed item is not final: a later run claims it and is told to search Oracle first."""
    _claimed(ledger, "REQ-1")
    ledger.transition(SCOPE, "REQ-1", ItemState.CREATED, run_id=RUN, reference="1001")
    failed = ledger.transition(
        SCOPE, "REQ-1", ItemState.FAILED, run_id=RUN, message="timeout", failure_class="Timeout"
    )
    assert failed.failure_class == "Timeout" and not failed.is_final

    claim = ledger.claim(SCOPE, "REQ-1", run_id="run-2", worker="w3")

    assert claim is not None and claim.outcome_unknown
    assert claim.previous_state is ItemState.FAILED
    assert claim.item.reference == "1001" and claim.item.claim_count == 2
    assert claim.item.run_id == "run-2" and claim.item.failure_class is None


def test_counts_and_state_filters(ledger: Ledger) -> None:
    """counts() covers every state; items() filters by state in registration order."""
    for key in ("A", "B", "C", "D"):
        _register(ledger, key)
    for key in ("B", "D"):
        assert ledger.claim(SCOPE, key, run_id=RUN, worker="w1")
    ledger.transition(SCOPE, "D", ItemState.REJECTED, run_id=RUN, message="bad supplier")

    counts = ledger.counts(SCOPE)
    assert counts[ItemState.PENDING] == 2 and counts[ItemState.IN_PROGRESS] == 1
    assert counts[ItemState.REJECTED] == 1 and counts[ItemState.DONE] == 0
    assert set(counts) == set(ItemState)
    pending = ledger.items(SCOPE, [ItemState.PENDING, ItemState.REJECTED])
    assert [i.item_key for i in pending] == ["A", "C", "D"]


def test_release_stale_abandons_only_items_of_runs_no_longer_running(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Items held by a dead run become abandoned (order number kept); a live run's stay held."""
    live = RunRecorder(ledger, tmp_path / "logs").start(
        flow=FLOW, trigger=detect_trigger(), target_url=None, settings={}
    )
    _claimed(ledger, "LIVE", run_id=live.run_id)
    _claimed(ledger, "DEAD-1", run_id="dead-run")
    ledger.transition(SCOPE, "DEAD-1", ItemState.CREATED, run_id="dead-run", reference="1001")
    ledger.transition(SCOPE, "DEAD-1", ItemState.SUBMITTING, run_id="dead-run")
    _claimed(ledger, "DEAD-2", run_id="dead-run")
    _register(ledger, "UNTOUCHED")

    released = ledger.release_stale(SCOPE, run_id="new-run")

    assert sorted(i.item_key for i in released) == ["DEAD-1", "DEAD-2"]
    assert [i.item_key for i in ledger.unknown_outcome_items(SCOPE)] == ["DEAD-1", "DEAD-2"]
    live_item = ledger.get(SCOPE, "LIVE")
    assert live_item is not None and live_item.state is ItemState.IN_PROGRESS
    last = ledger.history(SCOPE, "DEAD-1")[-1]
    assert (last.from_state, last.to_state) == (ItemState.SUBMITTING, ItemState.ABANDONED)
    assert last.run_id == "new-run" and "dead-run" in (last.message or "")
    claim = ledger.claim(SCOPE, "DEAD-1", run_id="new-run", worker="w1")
    assert claim is not None and claim.outcome_unknown and claim.item.reference == "1001"
    assert ledger.release_stale(SCOPE, run_id="new-run") == []


def _race_in_threads(ledger: Ledger, keys: list[str], workers: int) -> Counter[str]:
    barrier = threading.Barrier(workers)
    wins: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        barrier.wait()
        try:
            for key in keys:
                if ledger.claim(SCOPE, key, run_id=RUN, worker=f"w{worker}"):
                    with lock:
                        wins[key] += 1
        except Exception as exc:  # e.g. "database is locked": the race must not error
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return wins


def test_racing_threads_claim_each_item_exactly_once(ledger: Ledger) -> None:
    """Eight threads claiming the same 25 items: every item is won by exactly one thread."""
    keys = [f"REQ-{n:03d}" for n in range(25)]
    for key in keys:
        _register(ledger, key)

    wins = _race_in_threads(ledger, keys, workers=8)

    assert wins == Counter(dict.fromkeys(keys, 1))
    for key in keys:
        claims = [t for t in ledger.history(SCOPE, key) if t.to_state is ItemState.IN_PROGRESS]
        assert len(claims) == 1


def claim_all_in_child(url: str, keys: list[str], name: str, start: Any, results: Any) -> None:
    """Child process body: open its own Ledger, wait until all children are ready, claim all."""
    with Ledger(url) as ledger:
        start.wait()  # a barrier: every child is past its imports and starts claiming together
        won = [key for key in keys if ledger.claim(SCOPE, key, run_id=name, worker=name)]
    results.put((name, won))


@pytest.mark.slow
def test_racing_processes_claim_each_item_exactly_once(ledger: Ledger, ledger_url: str) -> None:
    """Four processes on one database claiming the same 40 items: one winner per item."""
    keys = [f"REQ-{n:03d}" for n in range(40)]
    for key in keys:
        _register(ledger, key)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    results = context.Queue()
    children = [
        context.Process(target=claim_all_in_child, args=(ledger_url, keys, f"p{n}", start, results))
        for n in range(4)
    ]
    for child in children:
        child.start()
    outcomes = dict(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    results.close()
    results.join_thread()

    winners = Counter(key for won in outcomes.values() for key in won)
    assert winners == Counter(dict.fromkeys(keys, 1))
    for key in keys:
        item = ledger.get(SCOPE, key)
        assert item is not None and item.run_id in outcomes and key in outcomes[item.run_id]


def test_sqlite_is_opened_for_concurrent_writers(tmp_path: Path) -> None:
    """The database file is in WAL mode, and a reopened ledger sees what was written."""
    path = tmp_path / "state" / "ledger.sqlite3"
    ledger_url = f"sqlite:///{path}"
    ledger = Ledger(ledger_url)
    _register(ledger, "REQ-1")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    with ledger.engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 30000
    ledger.close()
    with Ledger(ledger_url) as reopened:
        assert reopened.get(SCOPE, "REQ-1") is not None


def test_a_newer_schema_is_refused(ledger: Ledger, ledger_url: str) -> None:
    """A database written by a newer schema version is not touched by older code."""
    with ledger.engine.begin() as conn:
        conn.execute(update(schema_version).values(version=99))
    with pytest.raises(SchemaVersionError, match="99"):
        Ledger(ledger_url)


def test_in_memory_sqlite_is_refused() -> None:
    """An in-memory ledger would forget every item, so it is refused with a clear message."""
    with pytest.raises(ValueError, match="outlives the process"):
        Ledger("sqlite://")


def test_schema_has_no_sqlite_only_ddl() -> None:
    """Every table and index compiles for PostgreSQL, so RPA_LEDGER_URL may point there."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    for table in metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert "CREATE TABLE" in ddl
        for index in table.indexes:
            assert "CREATE INDEX" in str(CreateIndex(index).compile(dialect=dialect))
