"""An Oracle refusal told with the cell it concerns: the request's value Oracle quotes names
the column and rows; a refusal quoting none is left as Oracle worded it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.refusal_location import refused_cell
from tests.e2e.po_support import example_rows, write_requests


def _request(tmp_path: Path, **changes: str) -> PurchaseRequest:
    rows = [{**row, **changes} for row in example_rows("RL", ["REQ-2026-0001"])]
    [request] = read_request_file(
        write_requests(tmp_path / "orders.csv", rows), today=date(2026, 12, 1)
    ).requests
    return request


def test_a_quoted_line_value_names_its_column_and_every_row(tmp_path: Path) -> None:
    request = _request(tmp_path, charge_account="1000-CC150-5100-000")
    said = "The account 1000-CC150-5100-000 isn't a valid account combination."
    cell = refused_cell(request, said)
    assert cell is not None
    assert cell.message(request.source_file) == (
        "orders.csv rows 2, 3, column charge_account, value '1000-CC150-5100-000': Oracle "
        f"refused it: {said}"
    )


def test_a_quoted_header_value_names_the_requests_first_row(tmp_path: Path) -> None:
    request = _request(tmp_path, supplier_site="NO-SUCH-SITE")
    said = "Supplier Site 'NO-SUCH-SITE' is not available for selection (no matches)"
    cell = refused_cell(request, said)
    assert cell is not None and (cell.column, cell.rows) == ("supplier_site", [2])


def test_the_longest_quoted_value_is_the_one_meant(tmp_path: Path) -> None:
    """A location code quotes the BU's word too: the whole code wins."""
    request = _request(tmp_path)
    said = "The ship-to location NCC-DEREHAM-DEPOT isn't valid for NCC Highways BU orders."
    cell = refused_cell(request, said)
    assert cell is not None and cell.column == "ship_to_location"


def test_a_refusal_quoting_no_value_is_left_as_worded(tmp_path: Path) -> None:
    request = _request(tmp_path)
    assert (
        refused_cell(request, "You must add at least one line to purchase order 1004540.") is None
    )
