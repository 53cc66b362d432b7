"""The purchase-request model: content hash for the ledger, totals and the order description."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.raise_purchase_orders.input_model import PurchaseRequest, RequestLine
from flows.raise_purchase_orders.input_reader import (
    HEADER_COLUMNS,
    LINE_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    read_request_file,
)
from tests.flows import TODAY, request_row, write_csv


def _request(tmp_path: Path, name: str = "r.csv", **cells: str) -> PurchaseRequest:
    rows = [request_row(**cells), request_row(**cells, line_description="Sign post")]
    result = read_request_file(write_csv(tmp_path / name, rows), today=TODAY)
    assert result.rejections == []
    return result.requests[0]


def test_content_hash_ignores_file_name_layout_and_number_format(tmp_path: Path) -> None:
    """The same order from another file, with '£86.5', '24.00' and a UK date, hashes alike."""
    first = _request(tmp_path)
    again = _request(
        tmp_path, "other.csv", unit_price="£86.5", quantity="24.00", need_by_date="15/03/2027"
    )
    assert first.source_file != again.source_file
    assert first.content_hash == again.content_hash
    assert len(first.content_hash) == 64


@pytest.mark.parametrize(
    "cells",
    [
        {"unit_price": "86.51"},
        {"supplier_site": "BHM-NORWICH-2"},
        {"need_by_date": "2027-03-16"},
        {"charge_account": "1000-CC126-5100-000"},
        {"description": "Signage replacement"},
    ],
)
def test_content_hash_changes_with_what_is_ordered(tmp_path: Path, cells: dict[str, str]) -> None:
    """Any change to the order's content changes its hash."""
    assert _request(tmp_path).content_hash != _request(tmp_path, "b.csv", **cells).content_hash


def test_content_hash_depends_on_line_order(tmp_path: Path) -> None:
    """Lines are numbered in file order, so swapping them is a different order."""
    rows = [request_row(), request_row(line_description="Sign post")]
    forward = read_request_file(write_csv(tmp_path / "a.csv", rows), today=TODAY)
    backward = read_request_file(write_csv(tmp_path / "b.csv", rows[::-1]), today=TODAY)
    assert forward.requests[0].content_hash != backward.requests[0].content_hash


def test_total_and_order_description(tmp_path: Path) -> None:
    """Total is the exact sum of quantity times price; the description carries the request id."""
    request = _request(tmp_path, quantity="3", unit_price="0.10")
    assert request.total == Decimal("0.60")
    assert request.lines[0].amount == Decimal("0.30")
    assert request.order_description() == (
        "[REQ-2026-0001] Signage replacement, Norwich outer ring road"
    )


def test_a_request_needs_at_least_one_line(tmp_path: Path) -> None:
    """A purchase request without lines cannot exist."""
    header = _request(tmp_path).model_dump(exclude={"lines"})
    with pytest.raises(ValidationError):
        PurchaseRequest.model_validate({**header, "lines": []})


def test_model_accepts_typed_values_as_well_as_cells() -> None:
    """Built in code with Decimal and date values (not cell text), a line validates the same."""
    line = RequestLine.model_validate(
        {
            "source_row": 7,
            "item": "NCC-DIG-0001",
            "quantity": Decimal("2"),
            "unit_price": Decimal("745.00"),
            "need_by_date": date(2027, 4, 12),
            "charge_account": "1000-CC110-5500-000",
        }
    )
    assert (line.line_type, line.line_description, line.amount) == ("Goods", None, Decimal("1490"))


def test_columns_match_the_models() -> None:
    """The file format's columns are exactly the model's header and line fields."""
    assert set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) == set(HEADER_COLUMNS) | set(LINE_COLUMNS)
    assert not set(REQUIRED_COLUMNS) & set(OPTIONAL_COLUMNS)
    assert not set(HEADER_COLUMNS) & set(LINE_COLUMNS)
