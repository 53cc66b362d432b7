"""Hostile and careless files (the corpus in tests/fixtures/hostile): a file whose rows would be
lost or misread is refused whole, saying why and where; a value people mistype is rejected
saying how to write it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.common.tabular import TableRefusedError, parse_date, read_table
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.sync_suppliers.input_reader import read_supplier_file

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
TODAY = date(2026, 12, 1)


def test_a_stray_quote_in_a_request_file_refuses_the_file_naming_where_it_opened() -> None:
    """Row 3's requester opens a quote it never closes: the next line (REQ-2026-0002's first
    row) would become part of that value, and REQ-2026-0002 raised with a line missing."""
    read = read_request_file(CORPUS / "requests-stray-quote.csv", today=TODAY)
    assert read.file_error is not None
    assert read.requests == []
    assert read.file_error.message == (
        'requests-stray-quote.csv has a stray quote: row 3, column requester opens a quote (") '
        "that is not closed on its line, so the rows after it would be read as part of that "
        "one value; remove the quote, or close it, and save the file again"
    )


def test_a_stray_quote_in_the_supplier_file_refuses_it_rather_than_create_a_long_name() -> None:
    read = read_supplier_file(CORPUS / "suppliers-stray-quote.csv")
    assert read.file_error is not None
    assert "has a stray quote: row 3, column supplier_name opens a quote" in read.file_error.reason
    assert read.suppliers == []


def test_a_quote_that_swallows_every_later_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    rows = "\n".join(f"R{n},item {n},{n},each,{n}.00,GBP,note" for n in range(2, 8))
    path.write_text('id,name,qty,uom,price,currency,note\nR1,"item 1,1,each\n' + rows, "utf-8")
    with pytest.raises(TableRefusedError, match="row 2, column name opens a quote"):
        read_table(path, max_rows=100)


def test_a_value_written_over_two_lines_on_purpose_is_read(tmp_path: Path) -> None:
    """Excel quotes a cell typed with Alt+Enter; its second line is not rows."""
    path = tmp_path / "f.csv"
    path.write_text('id,note\n1,"Deliver to the rear gate,\nnot the main entrance"\n2,x\n', "utf-8")
    table = read_table(path, max_rows=10)
    assert [row.cells[0] for row in table.rows] == ["1", "2"]


def test_a_file_saved_with_semicolons_is_refused_with_that_cause() -> None:
    read = read_request_file(CORPUS / "requests-semicolons.csv", today=TODAY)
    assert read.file_error is not None
    assert read.file_error.message == (
        "requests-semicolons.csv separates its values with semicolons (;), not commas; save it "
        "from Excel as 'CSV UTF-8 (Comma delimited) (*.csv)', which uses commas"
    )


def test_utf16_without_a_byte_order_mark_is_refused_with_that_cause() -> None:
    read = read_request_file(CORPUS / "requests-utf16-no-bom.csv", today=TODAY)
    assert read.file_error is not None
    assert "is UTF-16 text ('Unicode Text')" in read.file_error.message


def test_a_month_first_date_says_how_to_write_it() -> None:
    read = read_request_file(CORPUS / "requests-month-first-date.csv", today=TODAY)
    [rejection] = read.rejections
    assert rejection.message == (
        "requests-month-first-date.csv row 2, column need_by_date, value '03/15/2027': looks "
        "month-first (US); write 15/03/2027 or 2027-03-15"
    )


@pytest.mark.parametrize("ambiguous", ["03/04/2027", "12/11/2027"])
def test_a_date_that_reads_both_ways_is_read_day_first(ambiguous: str) -> None:
    day, month, year = (int(p) for p in ambiguous.split("/"))
    assert parse_date(ambiguous) == date(year, month, day)
