"""Reading the CSV and XLSX files people drop in the inbox as a header and rows of cells.

``read_table`` streams the file, so a file with millions of rows costs no more than
``max_rows + 1`` rows of memory and time: it stops at the first row over the limit. Every way
a file can be unreadable comes back as one exception, ``TableRefusedError``, whose ``reason`` is
written for the person who made the file (what is wrong and how to fix it).

Cells are text, except XLSX date cells, which stay ``datetime.date`` (so a date typed into Excel
never goes through a locale-dependent text form). Numbers in XLSX cells become the text Excel
shows (15 significant digits), so ``0.1 + 0.2`` in a formula reads as ``0.3``.

Row numbers are the spreadsheet's own, 1-based, with the header on row 1 and blank rows counted,
so a message can send a person to the row they see in Excel. Blank rows are skipped.

The module also parses the two cell kinds every inbox file has: dates (``parse_date``) and
amounts (``parse_decimal``).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

import openpyxl

Cell = str | date
RefusalKind = Literal[
    "file-type", "unreadable", "encoding", "corrupt", "empty", "too-many-rows", "too-large"
]

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
_SAVE_AS_UTF8 = "save it from Excel as 'CSV UTF-8 (Comma delimited) (*.csv)'"


class TableRefusedError(Exception):
    """The file cannot be read as a table; ``reason`` says why, for the person who made it."""

    def __init__(self, kind: RefusalKind, reason: str) -> None:
        super().__init__(reason)
        self.kind: RefusalKind = kind
        self.reason = reason


@dataclass(frozen=True)
class TableRow:
    """One non-blank data row: its spreadsheet row number and its cells, as many as it has."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A file's header (the first non-blank row) and its non-blank data rows, in file order."""

    header: tuple[str, ...]
    header_row: int
    rows: tuple[TableRow, ...]


def read_table(path: Path, *, max_rows: int) -> Table:
    """Read ``path`` (.csv or .xlsx, by suffix) into a ``Table``, or raise ``TableRefusedError``."""
    if path.is_symlink():
        # Followed, a link could make the robot read (and archive) a file from anywhere.
        raise TableRefusedError(
            "unreadable",
            "is a symbolic link"
            + ("" if path.exists() else " to nothing (broken)")
            + "; put the file itself in its place",
        )
    if path.is_dir():
        raise TableRefusedError(
            "unreadable",
            "is a folder, not a file; only files at the top level are read: move its files "
            "out of it",
        )
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableRefusedError(
            "file-type",
            f"is a '{suffix or 'no suffix'}' file; only .csv (UTF-8) and .xlsx files are read"
            + (": save it as .xlsx or as CSV UTF-8" if suffix in (".xls", ".xlsm", ".ods") else ""),
        )
    try:
        if suffix == ".csv":
            return _read_csv(path, max_rows)
        return _read_xlsx(path, max_rows)
    except FileNotFoundError as exc:
        raise TableRefusedError("unreadable", "does not exist (moved or deleted?)") from exc
    except PermissionError as exc:
        raise TableRefusedError("unreadable", "cannot be opened: permission denied") from exc
    except OSError as exc:
        raise TableRefusedError("unreadable", f"cannot be read: {exc.strerror or exc}") from exc


def _read_csv(path: Path, max_rows: int) -> Table:
    with path.open("rb") as raw:
        head = raw.read(_SNIFF_BYTES)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head):
            raise TableRefusedError("encoding", f"is UTF-16 text ('Unicode Text'); {_SAVE_AS_UTF8}")
        raw.seek(0)
        # surrogateescape keeps undecodable bytes visible per row instead of failing somewhere
        # inside an 8 KB decoding chunk, so the refusal can name the row that holds them.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        records = enumerate(csv.reader(text), start=1)
        try:
            table = _collect(((n, _utf8_checked(n, cells)) for n, cells in records), max_rows)
        except csv.Error as exc:
            raise TableRefusedError("corrupt", f"is not a readable CSV file: {exc}") from exc
    _refuse_other_separators(table)
    _refuse_quoting_faults(table)
    return table


_SNIFF_BYTES = 4096
# A line inside one value with this many commas (or half the file's columns, if fewer) is rows
# that a stray quote swallowed, not a description someone wrote over two lines.
_SWALLOWED_ROW_COMMAS = 6


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without its byte-order mark: every other byte NUL in the text's start."""
    pairs = len(head) // 2
    if pairs < 2:
        return False
    even = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    return max(even, odd) >= pairs * 0.4


def _refuse_other_separators(table: Table) -> None:
    """A file saved with ';' (Excel in a European locale) or tabs reads as one column."""
    if len(table.header) != 1:
        return
    for separator, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if table.header[0].count(separator) >= 1:
            raise TableRefusedError(
                "corrupt",
                f"separates its values with {name}, not commas; {_SAVE_AS_UTF8}, which uses commas",
            )


def _refuse_quoting_faults(table: Table) -> None:
    """A quote opened and not closed on its line makes every later line part of one value
    until the next quote: those rows would silently vanish. Refuse the file, naming the row and
    column where the quote opened."""
    limit = min(_SWALLOWED_ROW_COMMAS, max(2, len(table.header) // 2))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if not isinstance(cell, str) or ("\n" not in cell and "\r" not in cell):
                continue
            later_lines = cell.splitlines()[1:]
            if any(line.count(",") >= limit for line in later_lines):
                column = table.header[index] if index < len(table.header) else f"#{index + 1}"
                raise TableRefusedError(
                    "corrupt",
                    f'has a stray quote: row {row.number}, column {column} opens a quote (") '
                    "that is not closed on its line, so the rows after it would be read as "
                    "part of that one value; remove the quote, or close it, and save the file "
                    "again",
                )


def _utf8_checked(number: int, cells: list[str]) -> list[str]:
    for cell in cells:
        try:
            cell.encode("utf-8")
        except UnicodeEncodeError as exc:
            byte = ord(cell[exc.start]) - 0xDC00  # surrogateescape maps byte b to U+DC00 + b
            raise TableRefusedError(
                "encoding",
                f"is not UTF-8 text (row {number} holds the byte 0x{byte:02X}, typical of "
                f"'CSV (Comma delimited)' from Excel); {_SAVE_AS_UTF8}",
            ) from None
    return cells


# Bounds checked in the zip's directory before any XML is parsed: a workbook of the documented
# maximum (20,000 rows of a few dozen columns) is a few tens of MB unpacked, while a crafted one
# of under 1 MB can unpack to gigabytes ("zip bomb") or hold millions of shared strings, which
# openpyxl loads whole even in read-only mode.
XLSX_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
XLSX_MAX_PART_BYTES = 128 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 2_000_000
_SST_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\buniqueCount=\"(\d+)\"")


def _check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook whose unpacked size or shared-string count is beyond any real request
    file, before parsing it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(p.file_size for p in parts)
            biggest = max((p.file_size for p in parts), default=0)
            shared = next((p for p in parts if p.filename.endswith("sharedStrings.xml")), None)
            strings = 0
            if shared is not None:
                with archive.open(shared) as stream:
                    found = _SST_COUNT.search(stream.read(4096))
                strings = int(found.group(1)) if found else 0
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError):
        return  # not a workbook at all: openpyxl's refusal says so
    if unpacked > XLSX_MAX_UNPACKED_BYTES or biggest > XLSX_MAX_PART_BYTES:
        raise TableRefusedError(
            "too-large",
            f"unpacks to {unpacked // (1024 * 1024):,} MB, far more than any request file "
            f"(at most {XLSX_MAX_UNPACKED_BYTES // (1024 * 1024)} MB are read); save only the "
            "rows to send, or split the file",
        )
    if strings > XLSX_MAX_SHARED_STRINGS:
        raise TableRefusedError(
            "too-large",
            f"holds {strings:,} distinct texts, far more than any request file (at most "
            f"{XLSX_MAX_SHARED_STRINGS:,} are read); save only the rows to send, or split the file",
        )


def _read_xlsx(path: Path, max_rows: int) -> Table:
    _check_xlsx_bounds(path)
    # openpyxl warns about parts it ignores (data validation, conditional formatting, styles);
    # they do not change cell values, and a council template usually has some.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except OSError:
            raise
        except Exception as exc:  # openpyxl reports a damaged zip/XML with many exception types
            raise TableRefusedError(
                "corrupt",
                "is not a readable Excel workbook (damaged, password-protected, or not really "
                "an .xlsx file); open it in Excel and save it again as .xlsx",
            ) from exc
        rows: Generator[tuple[object, ...], None, None] | None = None
        try:
            if not workbook.worksheets:
                raise TableRefusedError("empty", "has no worksheet")
            sheet = workbook.worksheets[0]
            # Some generators write a wrong <dimension>; without this the sheet reads short.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True)
            records = ((n, [_xlsx_cell(v) for v in row]) for n, row in enumerate(rows, start=1))
            return _collect(records, max_rows)
        except (TableRefusedError, OSError):
            raise
        except Exception as exc:  # the sheet XML is parsed lazily, so damage can surface here
            raise TableRefusedError(
                "corrupt", f"has a damaged first worksheet ({type(exc).__name__})"
            ) from exc
        finally:
            if rows is not None:
                rows.close()  # an unfinished row reader holds the zip file open
            workbook.close()


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        # Excel shows 15 significant digits; a formula's 14.399999999999999 is "14.4" to a person.
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _collect(records: Iterable[tuple[int, Sequence[Cell]]], max_rows: int) -> Table:
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[TableRow] = []
    for number, cells in records:
        if all(isinstance(cell, str) and not cell.strip() for cell in cells):
            continue
        if header is None:
            header = tuple(c if isinstance(c, str) else c.isoformat() for c in cells)
            header_row = number
        elif len(rows) == max_rows:
            raise TableRefusedError(
                "too-many-rows",
                f"has more than {max_rows} data rows; split it into files of at most "
                f"{max_rows} rows",
            )
        else:
            rows.append(TableRow(number, tuple(cells)))
    if header is None:
        raise TableRefusedError("empty", "is empty: it has no header row and no data")
    return Table(header=header, header_row=header_row, rows=tuple(rows))


# --- Cell values -------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# An optional sign and pound sign in either order, digits with or without thousands separators
# (groups of three), and an optional fraction: "£1,234.50", "-3", "1234.5", ".5".
_AMOUNT = re.compile(
    r"(?P<sign1>[-+]?)\s*£?\s*(?P<sign2>[-+]?)"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<fraction>\d*))?"
)


def parse_date(cell: Cell) -> date:
    """A date cell, or text as ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY``; else ``ValueError``."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if month > 12 and 1 <= day <= 12:
            raise ValueError(
                f"looks month-first (US); write {month:02d}/{day:02d}/{year} or "
                f"{year}-{day:02d}-{month:02d}"
            )
    else:
        raise ValueError("is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("is not a real calendar date") from None


def parse_decimal(cell: Cell) -> Decimal:
    """An amount as written by people: ``£1,234.50``, ``1234.5``, ``-3``; else ``ValueError``."""
    if not isinstance(cell, str):
        raise ValueError("is a date, not a number")
    match = _AMOUNT.fullmatch(cell.strip())
    if match is None or not (match["whole"] or match["fraction"]):
        raise ValueError("is not a number (write digits, e.g. 1234.50 or £1,234.50)")
    if match["sign1"] and match["sign2"]:
        raise ValueError("is not a number: it has two signs")
    sign = match["sign1"] or match["sign2"]
    whole = match["whole"].replace(",", "") or "0"
    fraction = match["fraction"]
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
