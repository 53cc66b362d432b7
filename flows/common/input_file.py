"""What the flows tell a person about the file they gave: refused whole, or rejected row by row.

Both flows read people's CSV and XLSX files (``flows.common.tabular``) and answer in the same
words, so a buyer who has fixed a purchase-request file can read a supplier file's report too:

- a file is **refused** (``FileRefusal``) when it cannot be read at all; ``message`` is one
  sentence about the file: ``suppliers.csv lacks the required column supplier_name``;
- a row is **rejected** (``Rejection``, one per problem) when a cell breaks a rule; ``message``
  names the file, row, column and value, then the reason, which says what is wrong and, where it
  helps, what to write instead:
  ``purchase-requests.csv row 7, column unit_price, value '-3': must be greater than 0``.

Each flow subclasses ``Rejection`` to add what the problem stops (a request, a supplier): that
grouping is the flow's own, the wording is shared. Also here, because every reader needs them
alike: how headings are matched to columns (``column_key``, ``map_columns``), how a cell is
shown in a message (``shown``), the file's hash for the run record (``file_sha256``) and the
conversion of a pydantic ``ValidationError`` into rejections (``rejections_from``).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from flows.common.cell_validators import visible
from flows.common.tabular import Cell, RefusalKind, Table, TableRow

# Long enough to recognise a value, short enough that a report line stays readable.
SHOWN_VALUE_MAX = 60

# A table-level refusal (``tabular``), or a table whose headings do not fit the flow.
FileRefusalKind = RefusalKind | Literal["columns"]


@dataclass(frozen=True)
class FileRefusal:
    """Why a whole file was not read; ``reason`` completes a sentence about the file."""

    file: Path
    kind: FileRefusalKind
    reason: str

    @property
    def message(self) -> str:
        """``requests.csv has more than one column named unit_price``"""
        return f"{self.file.name} {self.reason}"


@dataclass(frozen=True, kw_only=True)
class Rejection:
    """One problem in one row of a file (``column`` is None for a problem of the whole row)."""

    file: Path
    row: int  # the row number Excel shows, the heading row being row 1
    column: str | None
    value: str | None  # the cell as shown to a person; None when blank
    reason: str  # follows "column <name>, value '<cell>':" in a sentence

    @property
    def message(self) -> str:
        """``suppliers.csv row 7, column postal_code, value 'NR1': is not a UK postcode …``"""
        where = f"{self.file.name} row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.value:
            # On one line, whatever the cell held: a message is one cell of a results file.
            value = visible(self.value.replace("\r\n", "\n").replace("\n", "\\n"))
            if len(value) > SHOWN_VALUE_MAX:
                value = value[: SHOWN_VALUE_MAX - 1] + "…"
            where += f", value '{value}'"
        return f"{where}: {self.reason}"


RejectionT_co = TypeVar("RejectionT_co", bound=Rejection, covariant=True)


class RejectionMaker(Protocol[RejectionT_co]):
    """Builds a flow's rejection for one row: the flow has bound its file, row and subject."""

    def __call__(self, *, column: str | None, value: str | None, reason: str) -> RejectionT_co: ...


def rejections_from(
    error: ValidationError, cells: Mapping[str, Cell], make: RejectionMaker[RejectionT_co]
) -> list[RejectionT_co]:
    """One rejection per problem pydantic found in a row's ``cells`` (validated by column name).

    The models' validators raise ``ValueError`` with reasons already worded for a person; other
    pydantic errors keep pydantic's message, and a missing field says "a value is required".
    """
    found: list[RejectionT_co] = []
    for detail in error.errors(include_url=False):
        if detail["type"] == "default_factory_not_called":
            continue  # a consequence of another field's error, reported on its own
        column = str(detail["loc"][0]) if detail["loc"] else None
        if detail["type"] == "missing":
            reason = "a value is required"
        elif detail["type"] == "value_error":
            reason = str(detail["ctx"]["error"])
        else:
            reason = detail["msg"]
        value = shown(cells.get(column)) if column else ""
        found.append(make(column=column, value=value or None, reason=reason))
    return found


def shown(cell: Cell | None) -> str:
    """A cell as a person reads it in a message: trimmed text, or an ISO date ("" if absent)."""
    if cell is None:
        return ""
    return cell.strip() if isinstance(cell, str) else cell.isoformat()


def file_sha256(path: Path) -> str:
    """sha256 of the file's raw bytes, for the run record; "" if it cannot be read."""
    # An unreadable file is refused with its reason by the table reader; the hash just stays
    # empty rather than failing the read a second time.
    if path.is_symlink():
        return ""  # a link is refused, never followed (flows.common.tabular.read_table)
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return ""


def column_key(name: str) -> str:
    """How a heading is matched: case, surrounding spaces, and ``-`` or space for ``_`` ignored.

    ``Request ID``, ``request-id`` and ``REQUEST_ID`` are all ``request_id``.
    """
    return "_".join(name.replace("-", " ").replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class ColumnMap:
    """A table's headings matched to a flow's columns.

    ``positions`` gives each known column's index in the rows; ``warnings`` name headings the
    flow does not know and values under no heading (ignored, never a reason to stop);
    ``refusal`` is set when the file cannot be used at all.
    """

    positions: dict[str, int]
    warnings: list[str]
    refusal: FileRefusal | None


def map_columns(
    path: Path,
    table: Table,
    *,
    known: Collection[str],
    required: Sequence[str],
    kind: str,
) -> ColumnMap:
    """Match ``table``'s headings to the ``known`` columns (``kind`` names them in warnings).

    Refused when a ``required`` column is missing or a column is given twice (which of the two
    would count is a guess), or when the table has no data rows.
    """
    positions: dict[str, int] = {}
    repeated: list[str] = []
    warnings: list[str] = []
    for index, heading in enumerate(table.header):
        key = column_key(heading)
        if key in positions:
            repeated.append(key)
        elif key in known:
            positions[key] = index
        elif key:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            warnings.append(
                f"{path.name}: column '{visible(heading.strip())}' is not a {kind} column; "
                f"its values are ignored{hint}"
            )
    missing = [name for name in required if name not in positions]
    reasons = []
    if missing:
        plural = "s" if len(missing) > 1 else ""
        reasons.append(f"lacks the required column{plural} " + ", ".join(missing))
    if repeated:
        reasons.append("has more than one column named " + ", ".join(dict.fromkeys(repeated)))
    if reasons:
        refusal = FileRefusal(path, "columns", "; and ".join(reasons))
        return ColumnMap(positions, warnings, refusal)
    if not table.rows:
        refusal = FileRefusal(path, "empty", "has a header row but no data rows")
        return ColumnMap(positions, warnings, refusal)
    return ColumnMap(positions, warnings + _unnamed_values(path, table), None)


def _unnamed_values(path: Path, table: Table) -> list[str]:
    """A warning for each heading-less column that holds values: they are read by nobody."""
    return [
        f"{path.name}: column {get_column_letter(index + 1)} has values but no heading; "
        "they are ignored"
        for index, name in enumerate(table.header)
        if not name.strip()
        and any(index < len(row.cells) and shown(row.cells[index]) for row in table.rows)
    ]


# What a spreadsheet takes for the start of a formula: "=SUM(A1)", "+1", "@A1", "-A1" ("CSV
# injection"). "-3" is a number, so a minus warns only before a letter.
_FORMULA_START = re.compile(r"^(?:[=+@]|-[A-Za-z])")


def formula_warnings(
    path: Path, table: Table, positions: Mapping[str, int], free_text: Collection[str]
) -> list[str]:
    """A warning for each free-text cell that a spreadsheet would read as a formula. The value
    is kept as written (it is someone's text, and Oracle stores text), but whoever opens an
    export of it in Excel may run it: worth a second look before it goes in."""
    warnings = []
    for row in table.rows:
        for column, value in cells_by_column(row, positions).items():
            text = shown(value)
            if column in free_text and _FORMULA_START.match(text):
                warnings.append(
                    f"{path.name} row {row.number}, column {column}, value "
                    f"'{visible(text[:SHOWN_VALUE_MAX])}': begins with '{text[0]}', which a "
                    "spreadsheet reads as a formula; it goes into Oracle as written"
                )
    return warnings


def cells_by_column(row: TableRow, positions: Mapping[str, int]) -> dict[str, Cell]:
    """The row's cells under the flow's columns (a short row simply lacks the last ones)."""
    return {column: row.cells[i] for column, i in positions.items() if i < len(row.cells)}


def overflow_reason(row: TableRow, header: Sequence[str]) -> str | None:
    """Why a row with values past the last heading is rejected, or None if it has none."""
    # Usually an unquoted comma in a CSV value: every later cell has moved one column right.
    if not any(shown(cell) for cell in row.cells[len(header) :]):
        return None
    return (
        f"has more values than the heading row has columns ({len(header)}): "
        "a comma inside a value that is not in quotes?"
    )


def key_missing_reason(needed: str) -> str:
    """Why a row without the value that groups rows (a request id, a supplier name) is rejected."""
    return f"a value is required (each row needs {needed})"


def disagreement_reason(first_row: int, first_value: str, rule: str) -> str:
    """Why a row that contradicts an earlier row of the same thing is rejected."""
    return f"differs from row {first_row} ('{first_value}'): {rule}"
