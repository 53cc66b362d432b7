"""Whole request files that cannot be read are refused with a reason, never with an exception."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from flows.raise_purchase_orders.input_reader import read_request_file
from tests.flows import REQUIRED_HEADER, TODAY, csv_text, request_row, write_csv


def _refused(path: Path, max_rows: int = 20000) -> tuple[str, str]:
    result = read_request_file(path, today=TODAY, max_rows=max_rows)
    assert result.file_error is not None
    assert result.requests == [] and result.rejections == []
    return result.file_error.kind, result.file_error.message


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    """The refusal lists every missing required column."""
    header = [c for c in REQUIRED_HEADER if c not in ("charge_account", "uom")]
    path = write_csv(tmp_path / "r.csv", [request_row()], header=header)
    assert _refused(path) == ("columns", "r.csv lacks the required columns uom, charge_account")


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    """Two columns that both mean unit_price cannot be told apart, so the file is refused."""
    path = tmp_path / "r.csv"
    row = request_row()
    path.write_text(csv_text([row], [*row, "Unit Price"]), encoding="utf-8")
    assert _refused(path) == ("columns", "r.csv has more than one column named unit_price")


def test_empty_and_header_only_files_are_refused(tmp_path: Path) -> None:
    """A file with nothing, or with headings but no rows, is refused as empty."""
    (tmp_path / "empty.csv").write_bytes(b"")
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(REQUIRED_HEADER) + "\r\n\r\n,,,\r\n", encoding="utf-8")
    assert _refused(tmp_path / "empty.csv")[0] == "empty"
    assert _refused(header_only) == ("empty", "header.csv has a header row but no data rows")


def test_latin1_file_is_refused_as_not_utf8(tmp_path: Path) -> None:
    """A file saved as plain 'CSV (Comma delimited)' with a £ sign is refused with advice."""
    path = tmp_path / "r.csv"
    path.write_bytes(csv_text([request_row(unit_price="£86.50")]).encode("cp1252"))
    kind, message = _refused(path)
    assert kind == "encoding"
    assert message.startswith("r.csv is not UTF-8 text (row 2 holds the byte 0xA3")
    assert "save it from Excel as 'CSV UTF-8 (Comma delimited) (*.csv)'" in message


def test_csv_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Excel's 'CSV UTF-8' (with a byte-order mark) is read normally."""
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([request_row(unit_price="£86.50")]).encode())
    result = read_request_file(path, today=TODAY)
    assert result.file_error is None and len(result.requests) == 1


def test_corrupt_xlsx_is_refused(tmp_path: Path) -> None:
    """Random bytes named .xlsx are refused as a damaged workbook."""
    path = tmp_path / "r.xlsx"
    path.write_bytes(os.urandom(2048))
    kind, message = _refused(path)
    assert kind == "corrupt"
    assert message.startswith("r.xlsx is not a readable Excel workbook")


def test_more_than_max_rows_is_refused_quickly(tmp_path: Path) -> None:
    """20001 data rows are refused as too many, in well under a second, and counted as 20001."""
    path = write_csv(
        tmp_path / "big.csv", [request_row(request_id=f"REQ-{n}") for n in range(20001)]
    )
    started = time.monotonic()
    result = read_request_file(path, today=TODAY)
    assert time.monotonic() - started < 3.0
    assert result.file_error is not None and result.file_error.kind == "too-many-rows"
    assert result.file_error.message == (
        "big.csv has more than 20000 data rows; split it into files of at most 20000 rows"
    )
    assert result.row_count == 20001


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("requests.xls", "file-type", "requests.xls is a '.xls' file; only .csv (UTF-8) and .xlsx"),
        ("requests.pdf", "file-type", "requests.pdf is a '.pdf' file"),
        ("gone.csv", "unreadable", "gone.csv does not exist"),
    ],
)
def test_wrong_type_and_missing_files_are_refused(
    tmp_path: Path, name: str, kind: str, message: str
) -> None:
    """Only existing .csv and .xlsx files are read."""
    if name != "gone.csv":
        (tmp_path / name).write_bytes(b"request_id\nREQ-1\n")
    refused_kind, refused_message = _refused(tmp_path / name)
    assert (refused_kind, refused_message[: len(message)]) == (kind, message)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    """A folder given as the file is refused, and has no hash."""
    folder = tmp_path / "requests.csv"
    folder.mkdir()
    result = read_request_file(folder, today=TODAY)
    assert result.file_error is not None
    assert result.file_error.message == (
        "requests.csv is a folder, not a file; only files at the top level are read: move its "
        "files out of it"
    )
    assert result.sha256 == ""


def test_reading_never_changes_the_file_and_hashes_its_bytes(tmp_path: Path) -> None:
    """The file is left byte-for-byte and time-for-time as it was; sha256 is of its raw bytes."""
    path = write_csv(tmp_path / "r.csv", [request_row(), request_row(unit_price="-1")])
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = read_request_file(path, today=TODAY)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert result.sha256 == hashlib.sha256(before[0]).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_refused_file_still_has_its_hash(tmp_path: Path) -> None:
    """A refused file's hash is still recorded, so the same bad file is recognised again."""
    path = tmp_path / "r.csv"
    path.write_bytes("request_id\nCafé\n".encode("latin-1"))
    result = read_request_file(path, today=TODAY)
    assert result.file_error is not None
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
