"""The supplier flow's ledger items (a real SQLite ledger): new items, resumed items, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from flows.sync_suppliers.audit import AppliedChange, observed
from flows.sync_suppliers.book import FLOW, ChangeBook, Taken, supplier_key_of
from flows.sync_suppliers.planner import diff_supplier
from rpa.ledger import ItemScope, ItemState, Ledger
from tests.flows.test_supplier_support import full_oracle, full_source

TODAY = date(2026, 11, 29)
TARGET = "https://ehxx.fa.em2.oraclecloud.com"
SCOPE = ItemScope(FLOW, TARGET)


def _ledger(tmp_path: Path) -> Ledger:
    return Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")


def test_a_planned_change_is_registered_and_claimed_as_a_new_item(tmp_path: Path) -> None:
    """The item key names the supplier and the action; the claim is not a resumption."""
    change = diff_supplier(full_source(supplier_type="Supplier"), full_oracle(), today=TODAY)
    with _ledger(tmp_path) as ledger:
        book = ChangeBook(ledger, "run-1", TARGET)
        book.release_stale()
        taken = book.take(change, "suppliers.csv")
        assert taken == Taken(change.item_key, resumed=False)
        assert supplier_key_of(change.item_key) == "wensum valley ecology"
        book.applied(change.item_key, "30100")
        item = ledger.get(SCOPE, change.item_key)
        assert item is not None and (item.state, item.reference) == (ItemState.DONE, "30100")


def test_a_dead_runs_item_is_resumed_for_the_same_supplier(tmp_path: Path) -> None:
    """After a crash the next run takes the same item (abandoned → in_progress), even though
    Oracle's state, and so the new plan's key, has changed; no second item is registered."""
    source = full_source(supplier_type="Supplier")
    planned = diff_supplier(source, None, today=TODAY)
    with _ledger(tmp_path) as ledger:
        first = ChangeBook(ledger, "run-1", TARGET)
        first.release_stale()
        assert isinstance(first.take(planned, "s.csv"), Taken)
        first.created(planned.item_key, "30100")  # then the process died
        half_done = replace(full_oracle(), contacts=())
        replanned = diff_supplier(source, half_done, today=TODAY)
        assert replanned.item_key != planned.item_key
        second = ChangeBook(ledger, "run-2", TARGET)
        (released,) = second.release_stale()
        assert released.state is ItemState.ABANDONED
        assert second.take(replanned, "s.csv") == Taken(planned.item_key, resumed=True)
        second.applied(planned.item_key, "30100", "completed what an earlier run had started")
        assert [i.item_key for i in ledger.items(SCOPE)] == [planned.item_key]
        moves = [t.to_state for t in ledger.history(SCOPE, planned.item_key)]
        assert moves == [
            ItemState.PENDING,
            ItemState.IN_PROGRESS,
            ItemState.CREATED,
            ItemState.ABANDONED,
            ItemState.IN_PROGRESS,
            ItemState.DONE,
        ]


def test_an_item_held_by_a_live_run_is_not_taken(tmp_path: Path) -> None:
    """Two runs cannot both apply one change: the second gets the held item back, unclaimed."""
    change = diff_supplier(full_source(supplier_type="Supplier"), full_oracle(), today=TODAY)
    with _ledger(tmp_path) as ledger:
        ChangeBook(ledger, "run-1", TARGET).take(change, "s.csv")
        other = ChangeBook(ledger, "run-2", TARGET)
        held = other.take(change, "s.csv")
        assert not isinstance(held, Taken)
        assert (held.state, held.run_id) == (ItemState.IN_PROGRESS, "run-1")


def test_another_targets_unfinished_item_is_not_taken_up(tmp_path: Path) -> None:
    """An item a dead run left half-done against one Oracle is resumed only by a run against
    that Oracle: a run against another target plans and registers its own item."""
    source = full_source(supplier_type="Supplier")
    planned = diff_supplier(source, None, today=TODAY)
    with _ledger(tmp_path) as ledger:
        first = ChangeBook(ledger, "run-1", "sandbox:/srv/rpa/sandbox")
        first.release_stale()
        assert isinstance(first.take(planned, "s.csv"), Taken)
        first.created(planned.item_key, "30100")  # then the process died
        other = ChangeBook(ledger, "run-2", TARGET)
        assert other.release_stale() == []
        assert other.open_item(planned.key) is None
        assert other.take(planned, "s.csv") == Taken(planned.item_key, resumed=False)
        (mine,) = ledger.items(SCOPE)
        assert mine.target == TARGET and mine.state is ItemState.IN_PROGRESS


def test_observed_reads_each_kind_of_field_from_an_oracle_supplier() -> None:
    """Profile, address, site, assignment and contact fields are found by their plan names."""
    supplier = full_oracle(supplier_type="Services", status="INACTIVE", inactive_date="2026-11-29")
    assert observed(supplier, "supplier_type") == "Services"
    assert observed(supplier, "inactive_date") == "2026-11-29"
    assert observed(supplier, "address[norwich office].postal_code") == "NR1 1PT"
    assert (
        observed(supplier, "site[NCC Corporate BU/WVE-NORWICH].site_purposes") == "pay;purchasing"
    )
    assert observed(supplier, "site[NCC Corporate BU/WVE-NORWICH].bill_to_bu") == "NCC Corporate BU"
    assert observed(supplier, "contact[Harriet Kett].contact_phone") == "01603 555123"
    assert observed(supplier, "contact[Nobody Here].contact_phone") is None
    assert observed(None, "supplier_name") is None


def test_applied_change_records_before_and_after_values() -> None:
    """The audit entry pairs each field's value before acting with the value read back."""
    before = full_oracle(supplier_type="Services")
    after = replace(before, supplier_type="Supplier")
    entry = AppliedChange.between(
        "k", "update", "Wensum Valley Ecology Ltd", ["supplier_type"], before, after
    )
    assert entry.as_json() == {
        "item_key": "k",
        "action": "update",
        "supplier": "Wensum Valley Ecology Ltd",
        "supplier_number": "30100",
        "before": {"supplier_type": "Services"},
        "after": {"supplier_type": "Supplier"},
    }
