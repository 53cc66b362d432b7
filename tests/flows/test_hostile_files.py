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
from tests.e2e.po_support import example_rows, write_requests

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


@pytest.mark.parametrize(
    ("cell", "character"),
    [
        ("Sign face\x00", "U+0000"),
        ("\x1b[2J\x1b[31mSign face", "U+001B"),
        ("Sign face \u202egnaw", "U+202E"),
        ("Sign\u2066 face", "U+2066"),
    ],
)
def test_control_and_bidirectional_characters_are_rejected_and_never_echoed_raw(
    tmp_path: Path, cell: str, character: str
) -> None:
    rows = example_rows("HF", ["REQ-2026-0003"])
    rows[0]["line_description"] = cell
    read = read_request_file(write_requests(tmp_path / "orders.csv", rows), today=TODAY)
    [rejection] = read.rejections
    assert rejection.column == "line_description"
    assert f"holds an invisible control character ({character})" in rejection.message
    assert f"<{character}>" in rejection.message  # the value shown, its character named
    assert not any(ch in rejection.message for ch in "\x00\x1b\u202e\u2066")


def test_a_heading_with_an_escape_sequence_is_shown_harmless(tmp_path: Path) -> None:
    rows = [{**row, "\x1b[31mnotes": "x"} for row in example_rows("HF", ["REQ-2026-0003"])]
    read = read_request_file(write_requests(tmp_path / "orders.csv", rows), today=TODAY)
    [warning] = read.warnings
    assert "column '<U+001B>[31mnotes' is not a purchase-request column" in warning


def test_text_a_spreadsheet_runs_as_a_formula_is_kept_and_warned(tmp_path: Path) -> None:
    rows = example_rows("HF", ["REQ-2026-0003"])[:1]
    rows[0]["description"] = '=HYPERLINK("http://x.example","Click")'
    rows[0]["line_description"] = "-Sign face"
    read = read_request_file(write_requests(tmp_path / "orders.csv", rows), today=TODAY)
    [request] = read.requests  # allowed: it is someone's text
    assert request.description.startswith("=HYPERLINK")
    assert read.warnings == [
        'orders.csv row 2, column description, value \'=HYPERLINK("http://x.example","Click")\': '
        "begins with '=', which a spreadsheet reads as a formula; it goes into Oracle as written",
        "orders.csv row 2, column line_description, value '-Sign face': begins with '-', which "
        "a spreadsheet reads as a formula; it goes into Oracle as written",
    ]


def test_numbers_and_phone_numbers_with_signs_are_not_warned(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "supplier_name,contact_phone,address_line1\n"
        "Acme Ltd,+44 1603 222222,-5 Market Street\n"
        "@Home Ltd,01603 222222,1 High Street\n",
        encoding="utf-8",
    )
    read = read_supplier_file(path)
    assert read.warnings == [
        "suppliers.csv row 3, column supplier_name, value '@Home Ltd': begins with '@', which a "
        "spreadsheet reads as a formula; it goes into Oracle as written"
    ]


def test_a_symbolic_link_is_refused_not_followed(tmp_path: Path) -> None:
    target = write_requests(tmp_path / "real.csv", example_rows("HF", ["REQ-2026-0003"]))
    (tmp_path / "link.csv").symlink_to(target)
    (tmp_path / "broken.csv").symlink_to(tmp_path / "gone.csv")
    linked = read_request_file(tmp_path / "link.csv", today=TODAY)
    assert linked.file_error is not None and linked.requests == []
    assert linked.file_error.message == (
        "link.csv is a symbolic link; put the file itself in its place"
    )
    assert linked.sha256 == ""  # not even read for its hash
    broken = read_request_file(tmp_path / "broken.csv", today=TODAY)
    assert broken.file_error is not None
    assert "is a symbolic link to nothing (broken)" in broken.file_error.message


def test_a_subfolder_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    read = read_request_file(tmp_path / "old", today=TODAY)
    assert read.file_error is not None
    assert read.file_error.message == (
        "old is a folder, not a file; only files at the top level are read: move its files out "
        "of it"
    )


def test_a_supplier_name_over_two_lines_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        'supplier_name,supplier_type\n"Acme Widgets\nLtd",Services\nBroadland Ltd,Services\n',
        encoding="utf-8",
    )
    read = read_supplier_file(path)
    [rejection] = read.rejections
    assert rejection.column == "supplier_name"
    assert rejection.message == (
        "suppliers.csv row 2, column supplier_name, value 'Acme Widgets\\nLtd': runs over more "
        "than one line: write it on one line"
    )
    assert len(read.suppliers) == 1
