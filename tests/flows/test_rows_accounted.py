"""Every data row accounted for: a file is archived as done only when each of its rows is
covered by a reported outcome (raised, rejected, duplicate...); rows no outcome covers refuse
the file instead, naming them, and its results are kept in the run folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from config.settings import Settings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.flow import FileReport, finish_files
from flows.raise_purchase_orders.inbox import InputFile
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.outcomes import ItemOutcome
from tests.e2e.po_support import example_rows, write_requests


def test_the_reader_puts_every_row_under_its_request(tmp_path: Path) -> None:
    rows = example_rows("RA", ["REQ-2026-0001", "REQ-2026-0003"])
    rows[1]["unit_price"] = "-1"  # REQ-2026-0001's second row: the request is rejected
    rows.append({**rows[2], "request_id": ""})  # a row without a request id
    read = read_request_file(write_requests(tmp_path / "orders.csv", rows), today=date(2026, 12, 1))
    assert read.row_numbers == [2, 3, 4, 5, 6]
    assert read.rows_by_request == {
        "(row 6)": [6],
        "TRA-0001": [2, 3],
        "TRA-0003": [4, 5],
    }


def _report(inbox: Path, outcomes: list[str]) -> FileReport:
    path = inbox / "orders.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("request_id\nA\nA\nB\n", encoding="utf-8")
    report = FileReport(InputFile(path, in_inbox=True))
    report.request_ids = ["A", "B"]
    report.rows_read = [2, 3, 4]
    report.rows_by_request = {"A": [2, 3], "B": [4]}
    report.outcomes = [ItemOutcome(rid, ItemStatus.RAISED, path, po_number="1") for rid in outcomes]
    return report


def test_a_file_whose_rows_are_all_covered_is_archived(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    report = _report(inbox, ["A", "B"])
    finish_files(Settings(home=tmp_path, inbox_dir=inbox), [report], "run-1", tmp_path / "run")
    assert report.refused_reason is None
    assert report.archived_to == inbox / "processed" / "orders.csv"


def test_rows_no_outcome_covers_refuse_the_file_and_keep_its_results(tmp_path: Path) -> None:
    """B's outcome went missing (a fault of the robot's own): the file is not archived as done."""
    inbox = tmp_path / "inbox"
    report = _report(inbox, ["A"])
    report.request_ids = ["A"]  # so that the file counts as complete
    (tmp_path / "run").mkdir()  # the run's folder, made when the run starts
    finish_files(Settings(home=tmp_path, inbox_dir=inbox), [report], "run-1", tmp_path / "run")
    assert report.refused_reason == (
        "orders.csv rows 4 were read but no request's outcome covers them; the file is kept "
        "for a person to check"
    )
    assert report.archived_to == inbox / "refused" / "orders.csv"
    assert report.results_file == tmp_path / "run" / "orders.csv.results.csv"
    assert "A,raised,1" in report.results_file.read_text(encoding="utf-8-sig")
