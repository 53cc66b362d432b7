"""Reading CSV and XLSX files into header and rows, and parsing their dates and amounts."""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from flows.common.tabular import TableRefusedError, parse_date, parse_decimal, read_table
from tests.flows import write_xlsx


def test_csv_with_bom_reads_header_without_the_mark(tmp_path: Path) -> None:
    """A byte-order mark (Excel's 'CSV UTF-8') does not leak into the first heading."""
    path = tmp_path / "f.csv"
    path.write_bytes("\ufeffname,price\r\nCafé,£3\r\n".encode())
    table = read_table(path, max_rows=10)
    assert table.header == ("name", "price")
    assert table.rows[0].cells == ("Café", "£3")


def test_csv_row_numbers_are_spreadsheet_rows(tmp_path: Path) -> None:
    """Blank rows are skipped but counted, and a quoted line break stays inside one row."""
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,"two\nlines"\n\n,\n3,x\n', encoding="utf-8")
    table = read_table(path, max_rows=10)
    assert [(row.number, row.cells) for row in table.rows] == [
        (2, ("1", "two\nlines")),
        (5, ("3", "x")),
    ]


def test_header_is_the_first_non_blank_row(tmp_path: Path) -> None:
    """Leading blank rows are skipped and the header's own row number is kept."""
    path = tmp_path / "f.csv"
    path.write_text("\n,,\nid,qty\nA,1\n", encoding="utf-8")
    table = read_table(path, max_rows=10)
    assert (table.header_row, table.header, table.rows[0].number) == (3, ("id", "qty"), 4)


def test_xlsx_cells_become_text_except_dates(tmp_path: Path) -> None:
    """XLSX dates stay dates; numbers read as Excel shows them, including formula float noise."""
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["when", "qty", "price", "flag", "stamp", "blank"],
            [date(2027, 3, 1), 3, 14.399999999999999, True, datetime(2027, 3, 1, 9, 30), None],
            [datetime(2027, 3, 2), 1e-05, 1234567.5, False, "text", ""],
        ],
    )
    rows = read_table(path, max_rows=10).rows
    # Empty trailing cells are not stored in a workbook: rows are as long as their last value.
    assert rows[0].cells == (date(2027, 3, 1), "3", "14.4", "TRUE", datetime(2027, 3, 1, 9, 30))
    assert rows[1].cells[:4] == (date(2027, 3, 2), "0.00001", "1234567.5", "FALSE")
    assert type(rows[1].cells[0]) is date  # a midnight datetime cell is a plain date


def test_xlsx_reads_only_the_first_sheet(tmp_path: Path) -> None:
    """Other sheets (notes, look-up lists) are not read."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["id"])
    first.append(["A"])
    workbook.create_sheet("Lists").append(["ignored"])
    workbook.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx", max_rows=10)
    assert (table.header, [r.cells for r in table.rows]) == (("id",), [("A",)])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_too_many_rows_stops_reading_at_the_limit(tmp_path: Path, suffix: str) -> None:
    """A file over max_rows is refused as soon as row max_rows + 1 is seen."""
    rows = [["id"], *([str(n)] for n in range(12))]
    path = tmp_path / f"f{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(r[0] for r in rows), encoding="utf-8")
    else:
        write_xlsx(path, rows)
    assert len(read_table(path, max_rows=12).rows) == 12
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=11)
    assert refused.value.kind == "too-many-rows"
    assert "more than 11 data rows" in refused.value.reason


def test_huge_csv_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """Undecodable bytes after the limit are never reached, and refusal takes no time."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(b"id,text\n")
        out.write(b"REQ-1,some text to make the rows longer\n" * 500_000)
        out.write(b"REQ-2,\xe9\n")
    started = time.monotonic()
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=1000)
    assert refused.value.kind == "too-many-rows"
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("content", "kind", "words"),
    [
        (b"id\n" + "Café".encode("latin-1"), "encoding", "row 2 holds the byte 0xE9"),
        ("id\nx\n".encode("utf-16"), "encoding", "UTF-16"),
        (b"", "empty", "is empty"),
        (b"\r\n,,\r\n  \r\n", "empty", "no header row"),
        (b'id,"unterminated\n' + b"x" * 200_000, "corrupt", "not a readable CSV file"),
    ],
)
def test_unreadable_csv_is_refused_with_a_reason(
    tmp_path: Path, content: bytes, kind: str, words: str
) -> None:
    """Non-UTF-8 text, UTF-16, empty and damaged CSV files are refused, each saying why."""
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=10)
    assert refused.value.kind == kind
    assert words in refused.value.reason


def test_latin1_refusal_tells_how_to_save_as_utf8(tmp_path: Path) -> None:
    """The encoding refusal says which Excel format to choose instead."""
    path = tmp_path / "f.csv"
    path.write_bytes("id,name\n1,ok\n2,£5\n".encode("cp1252"))
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=10)
    assert "row 3 holds the byte 0xA3" in refused.value.reason
    assert "CSV UTF-8 (Comma delimited)" in refused.value.reason


@pytest.mark.parametrize(
    "content", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 64, b"", b"id,qty\n1,2\n"]
)
def test_corrupt_xlsx_is_refused(tmp_path: Path, content: bytes) -> None:
    """Bytes that are not a workbook, under an .xlsx name, are refused as corrupt."""
    path = tmp_path / "f.xlsx"
    path.write_bytes(content)
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=10)
    assert refused.value.kind == "corrupt"
    assert "not a readable Excel workbook" in refused.value.reason


def test_xlsx_without_rows_is_empty(tmp_path: Path) -> None:
    """A workbook whose first sheet has no values is refused as empty."""
    path = write_xlsx(tmp_path / "f.xlsx", [])
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=10)
    assert refused.value.kind == "empty"


@pytest.mark.parametrize(
    ("name", "words"),
    [("f.xls", "save it as .xlsx"), ("f.txt", "only .csv (UTF-8) and .xlsx"), ("f", "no suffix")],
)
def test_other_file_types_are_refused(tmp_path: Path, name: str, words: str) -> None:
    """Only .csv and .xlsx are read; old Excel files get advice on what to save instead."""
    path = tmp_path / name
    path.write_bytes(b"id\n1\n")
    with pytest.raises(TableRefusedError) as refused:
        read_table(path, max_rows=10)
    assert refused.value.kind == "file-type"
    assert words in refused.value.reason


def test_folder_and_missing_path_are_refused(tmp_path: Path) -> None:
    """A folder named like a CSV and a path that does not exist are unreadable, not errors."""
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(TableRefusedError) as folder:
        read_table(tmp_path / "folder.csv", max_rows=10)
    with pytest.raises(TableRefusedError) as missing:
        read_table(tmp_path / "gone.xlsx", max_rows=10)
    assert (folder.value.kind, missing.value.kind) == ("unreadable", "unreadable")
    assert "folder" in folder.value.reason
    assert "does not exist" in missing.value.reason


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2027-03-01", date(2027, 3, 1)),
        ("2027-3-1", date(2027, 3, 1)),
        ("01/03/2027", date(2027, 3, 1)),
        (" 1/3/2027 ", date(2027, 3, 1)),
        (date(2027, 3, 1), date(2027, 3, 1)),
        (datetime(2027, 3, 1, 14, 0), date(2027, 3, 1)),
    ],
)
def test_parse_date_accepts_iso_uk_and_date_cells(cell: str | date, expected: date) -> None:
    """ISO and UK day-first dates, and real date cells, are accepted."""
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("31/02/2027", "not a real calendar date"),
        ("2027-13-01", "not a real calendar date"),
        ("03/01/27", "not a date"),
        ("March 1st", "not a date"),
        ("46082", "not a date"),
        ("", "not a date"),
    ],
)
def test_parse_date_rejects_other_forms(cell: str, words: str) -> None:
    """Two-digit years, words, serial numbers and impossible dates are refused."""
    with pytest.raises(ValueError, match=words):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        (" £ 12 ", Decimal("12")),
        ("-3", Decimal("-3")),
        ("-£3.10", Decimal("-3.10")),
        ("£-3.10", Decimal("-3.10")),
        (".5", Decimal("0.5")),
        ("1,000,000", Decimal("1000000")),
        ("7.", Decimal("7")),
    ],
)
def test_parse_decimal_accepts_pounds_and_separators(cell: str, expected: Decimal) -> None:
    """A leading £, thousands separators and signs are accepted, exactly (Decimal, not float)."""
    parsed = parse_decimal(cell)
    assert parsed == expected
    assert str(parsed) == str(expected)


@pytest.mark.parametrize("cell", ["1,23.4", "12,34", "1e3", "£", "", "12.3.4", "--3", "-£-3", "$5"])
def test_parse_decimal_rejects_malformed_numbers(cell: str) -> None:
    """Misplaced separators, exponents, other currencies and empty cells are not numbers."""
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(cell)


def test_parse_decimal_rejects_a_date_cell() -> None:
    """A date typed where a number belongs is reported as a date."""
    with pytest.raises(ValueError, match="is a date"):
        parse_decimal(date(2027, 1, 1))
