"""A request id that arrives again (flows.raise_purchase_orders.book.RequestBook.register): what
it becomes, by the earlier outcome and whether its content changed, on a real SQLite ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import RequestBook
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.request_changes import changed_fields, describe_changes
from rpa.ledger import ItemState, Ledger
from tests.flows import TODAY, request_row, write_csv

TARGET = "https://myoracle.example"


def _request(tmp_path: Path, name: str, **cells: str) -> PurchaseRequest:
    rows = [request_row(**cells), request_row(**cells, line_description="Sign post")]
    result = read_request_file(write_csv(tmp_path / name, rows), today=TODAY)
    assert result.rejections == []
    return result.requests[0]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}") as opened:
        yield opened


def _end(book: RequestBook, request: PurchaseRequest, state: ItemState) -> None:
    """Take the request through a run to ``state`` (done with PO 1004600)."""
    assert book.register(request) is None
    assert book.claim(request.request_id)
    outcome = ItemOutcome(request.request_id, ItemStatus.REJECTED, None, message="refused")
    if state is ItemState.DONE:
        book.journal(request.request_id).created("1004600")
        book.raised(
            request.request_id,
            ItemOutcome(request.request_id, ItemStatus.RAISED, None, po_number="1004600"),
        )
    elif state is ItemState.REJECTED:
        book.rejected(request.request_id, outcome)
    else:
        book.failed(request.request_id, outcome)


@pytest.mark.parametrize("earlier", [ItemState.REJECTED, ItemState.FAILED])
@pytest.mark.parametrize("quantity", ["5", "6"])
def test_a_rejected_or_failed_request_is_tried_again_changed_or_not(
    tmp_path: Path, ledger: Ledger, earlier: ItemState, quantity: str
) -> None:
    _end(RequestBook(ledger, "run-1", TARGET), _request(tmp_path, "a.csv", quantity="5"), earlier)
    again = _request(tmp_path, "b.csv", quantity=quantity)
    book = RequestBook(ledger, "run-2", TARGET)

    assert book.register(again) is None  # to be worked in this run
    assert book.claim(again.request_id)
    item = ledger.get(book.scope, again.request_id)
    assert item is not None and item.content == again.content
    history = [t.to_state for t in ledger.history(book.scope, again.request_id)]
    assert earlier in history  # the earlier attempt stays in the history


def test_a_raised_request_arriving_changed_is_a_conflict_naming_order_and_fields(
    tmp_path: Path, ledger: Ledger
) -> None:
    _end(
        RequestBook(ledger, "run-1", TARGET),
        _request(tmp_path, "a.csv", quantity="50"),
        ItemState.DONE,
    )
    changed = _request(tmp_path, "b.csv", quantity="60")

    outcome = RequestBook(ledger, "run-2", TARGET).register(changed)

    assert outcome is not None and outcome.status is ItemStatus.CONFLICT
    assert outcome.po_number == "1004600"
    assert "1004600" in outcome.message
    assert "line 1: quantity '50' → '60'" in outcome.message
    assert "line 2: quantity '50' → '60'" in outcome.message


def test_a_raised_request_arriving_unchanged_is_a_duplicate(tmp_path: Path, ledger: Ledger) -> None:
    _end(RequestBook(ledger, "run-1", TARGET), _request(tmp_path, "a.csv"), ItemState.DONE)
    outcome = RequestBook(ledger, "run-2", TARGET).register(_request(tmp_path, "b.csv"))
    assert outcome is not None and outcome.status is ItemStatus.DUPLICATE
    assert outcome.po_number == "1004600"


def test_changed_fields_names_header_columns_then_lines() -> None:
    earlier = '{"buyer":null,"lines":[{"quantity":"5"},{"quantity":"1"}],"supplier":"A"}'
    now = '{"buyer":"Hughes, Sarah","lines":[{"quantity":"5"}],"supplier":"A"}'
    assert changed_fields(earlier, now) == [
        "buyer blank → 'Hughes, Sarah'",
        "the number of lines 2 → 1",
    ]
    assert "were not kept" in describe_changes(None, now)


def test_requests_left_by_earlier_runs_are_rebuilt_and_unreadable_ones_left_alone(
    tmp_path: Path, ledger: Ledger
) -> None:
    """A failed request comes back from the content the ledger kept, as it arrived; one whose
    content cannot be read back is skipped (logged), and the others still go ahead."""
    request = _request(tmp_path, "a.csv", quantity="7")
    _end(RequestBook(ledger, "run-1", TARGET), request, ItemState.FAILED)
    book = RequestBook(ledger, "run-1", TARGET)
    ledger.register(
        book.scope,
        "BROKEN",
        source_file="b.csv",
        content_hash="x",
        content='{"lines": "not a list"}',
        run_id="run-1",
    )

    [again] = RequestBook(ledger, "run-2", TARGET).left_for_later_runs(exclude=set(), max_runs=3)

    assert again.content == request.content
    assert again.request_id == request.request_id
    assert (
        RequestBook(ledger, "run-2", TARGET).left_for_later_runs(
            exclude={request.request_id}, max_runs=3
        )
        == []
    )
