"""The results file handed back to buyers: its columns, atomic replacement and safe cells."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.results_file import ResultRow, rejection_rows, write_results
from tests.flows import TODAY, request_row, write_csv


def _read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_results_file_has_the_agreed_columns(tmp_path: Path) -> None:
    """Header request_id,status,po_number,message,run_id and one row per result, UTF-8 with BOM."""
    path = tmp_path / "requests.results.csv"
    write_results(
        path,
        [
            ResultRow(request_id="REQ-1", status="raised", po_number="1004561", run_id="run-7"),
            ResultRow(request_id="REQ-2", status="duplicate", po_number="1004512", run_id="run-7"),
            ResultRow(
                request_id="REQ-3", status="failed", message="Oracle did not answer", run_id="run-7"
            ),
        ],
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfrequest_id,status,po_number,message,run_id")
    assert _read_back(path) == [
        ["request_id", "status", "po_number", "message", "run_id"],
        ["REQ-1", "raised", "1004561", "", "run-7"],
        ["REQ-2", "duplicate", "1004512", "", "run-7"],
        ["REQ-3", "failed", "", "Oracle did not answer", "run-7"],
    ]


def test_rewriting_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """A second write replaces the first completely; no temporary file stays behind."""
    path = tmp_path / "r.results.csv"
    write_results(
        path, [ResultRow(request_id=f"REQ-{n}", status="raised", run_id="a") for n in range(50)]
    )
    write_results(path, [ResultRow(request_id="REQ-9", status="raised", run_id="b")])
    assert _read_back(path)[1:] == [["REQ-9", "raised", "", "", "b"]]
    assert [p.name for p in tmp_path.iterdir()] == ["r.results.csv"]


def test_a_failure_while_writing_keeps_the_old_file(tmp_path: Path) -> None:
    """If producing the rows fails half-way, the previous results stay intact."""
    path = tmp_path / "r.results.csv"
    write_results(path, [ResultRow(request_id="REQ-1", status="raised", run_id="a")])
    before = path.read_bytes()

    def rows() -> Iterator[ResultRow]:
        yield ResultRow(request_id="REQ-2", status="raised", run_id="b")
        raise RuntimeError("ledger went away")

    with pytest.raises(RuntimeError):
        write_results(path, rows())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.results.csv"]


def test_cells_that_excel_would_run_as_formulas_are_neutralised(tmp_path: Path) -> None:
    """A message or id starting with =, +, - or @ is written as text, not as a formula."""
    path = tmp_path / "r.results.csv"
    write_results(
        path,
        [ResultRow(request_id="=HYPERLINK(1)", status="rejected", message="-2+3", run_id="@r")],
    )
    assert _read_back(path)[1] == ["'=HYPERLINK(1)", "rejected", "", "'-2+3", "'@r"]


def test_rejections_become_one_row_per_request(tmp_path: Path) -> None:
    """Every problem of a request is in its one row; rows without an id get a row each."""
    path = write_csv(
        tmp_path / "requests.csv",
        [
            request_row(request_id="REQ-1", unit_price="-3"),
            request_row(request_id="REQ-1", charge_account=""),
            request_row(request_id=""),
            request_row(request_id="REQ-2"),
            request_row(request_id=""),
        ],
    )
    result = read_request_file(path, today=TODAY)
    rows = rejection_rows(result.rejections, run_id="run-1")
    assert [(r.request_id, r.status) for r in rows] == [
        ("REQ-1", "rejected"),
        (None, "rejected"),
        (None, "rejected"),
    ]
    assert rows[0].message == (
        "requests.csv row 2, column unit_price, value '-3': must be greater than 0; "
        "requests.csv row 3, column charge_account: a value is required"
    )
    assert rows[1].message.startswith("requests.csv row 4, column request_id:")
    write_results(tmp_path / "requests.results.csv", rows)
    assert _read_back(tmp_path / "requests.results.csv")[2][:2] == ["", "rejected"]
