"""Reading a purchase-request file into requests that can be raised, and reports on the rest.

Three outcomes, from the widest to the narrowest:

- the file is **refused** (``FileRefusal``): it cannot be read at all (wrong type, not UTF-8,
  damaged, empty, too many rows, required columns missing); nothing in it is raised;
- a request is **rejected** (``Rejection``, one per problem): any bad cell in any of its rows
  stops the whole request, and every problem of that request is reported at once, so a buyer
  fixes the file in one go; the file's other requests go ahead;
- a request is **accepted** (``PurchaseRequest``).

Rows that share a ``request_id`` form one request, wherever they are in the file. Reading never
raises for a bad file and never changes or moves it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Literal

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ConfigDict, ValidationError

from flows.common.tabular import (
    Cell,
    RefusalKind,
    Table,
    TableRefusedError,
    TableRow,
    read_table,
)
from flows.raise_purchase_orders.requests_model import (
    REQUEST_ID_PREFIX_FORMAT,
    PurchaseRequest,
    RequestHeader,
    RequestLine,
)

REQUIRED_COLUMNS = (
    "request_id", "procurement_bu", "supplier", "supplier_site", "description",
    "line_description", "category", "quantity", "uom", "unit_price", "need_by_date",
    "charge_account",
)  # fmt: skip
OPTIONAL_COLUMNS = (
    "requisitioning_bu", "currency", "item", "line_type", "ship_to_location",
    "deliver_to_location", "supplier_contact", "buyer", "requester", "document_style",
)  # fmt: skip
# Header columns must agree across the rows of a request; line columns may differ per row.
HEADER_COLUMNS = tuple(RequestHeader.model_fields)
LINE_COLUMNS = tuple(name for name in RequestLine.model_fields if name != "source_row")
DEFAULT_MAX_ROWS = 20000
_SHOWN_VALUE_MAX = 60


class Rejection(BaseModel):
    """One problem that stops a request (``request_id`` is None for a row without one)."""

    model_config = ConfigDict(frozen=True)

    request_id: str | None
    file: Path
    row: int
    column: str | None
    value: str | None
    reason: str

    @property
    def message(self) -> str:
        """``purchase-requests.csv row 7, column unit_price, value '-3': must be greater than 0``"""
        where = f"{self.file.name} row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.value:
            shown = self.value
            if len(shown) > _SHOWN_VALUE_MAX:
                shown = shown[: _SHOWN_VALUE_MAX - 1] + "…"
            where += f", value '{shown}'"
        return f"{where}: {self.reason}"


class FileRefusal(BaseModel):
    """Why a whole file was not read; ``reason`` completes a sentence about the file."""

    model_config = ConfigDict(frozen=True)

    file: Path
    kind: RefusalKind | Literal["columns"]
    reason: str

    @property
    def message(self) -> str:
        return f"{self.file.name} {self.reason}"


class RequestFileResult(BaseModel):
    """Everything learnt from one file; ``sha256`` is of its raw bytes (empty if unreadable)."""

    file: Path
    sha256: str
    row_count: int = 0  # non-blank data rows, up to max_rows + 1
    requests: list[PurchaseRequest] = []
    rejections: list[Rejection] = []
    warnings: list[str] = []
    file_error: FileRefusal | None = None


def read_request_file(
    path: Path,
    *,
    today: date,
    max_rows: int = DEFAULT_MAX_ROWS,
    request_id_prefix_format: str = REQUEST_ID_PREFIX_FORMAT,
) -> RequestFileResult:
    """Read, check and group the requests in ``path``; need-by dates before ``today`` fail."""
    digest = _sha256(path)
    try:
        table = read_table(path, max_rows=max_rows)
    except TableRefusedError as exc:
        counted = max_rows + 1 if exc.kind == "too-many-rows" else 0
        refusal = FileRefusal(file=path, kind=exc.kind, reason=exc.reason)
        return RequestFileResult(file=path, sha256=digest, row_count=counted, file_error=refusal)
    result = RequestFileResult(file=path, sha256=digest, row_count=len(table.rows))
    positions, problem = _column_positions(path, table.header, result.warnings)
    if problem is None and not table.rows:
        problem = FileRefusal(file=path, kind="empty", reason="has a header row but no data rows")
    if problem is not None:
        result.file_error = problem
        return result
    _warn_unnamed_values(path, table, result.warnings)
    context = {"today": today, "request_id_prefix_format": request_id_prefix_format}
    for rows in _group_rows(path, table, positions, result.rejections):
        checked = _check_request(path, table, rows, positions, context)
        if isinstance(checked, PurchaseRequest):
            result.requests.append(checked)
        else:
            result.rejections.extend(checked)
    return result


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return ""


def column_key(name: str) -> str:
    """How a heading is matched: case, surrounding spaces, and ``-`` or space for ``_`` ignored."""
    return "_".join(name.replace("-", " ").replace("_", " ").split()).casefold()


def _column_positions(
    path: Path, header: tuple[str, ...], warnings: list[str]
) -> tuple[dict[str, int], FileRefusal | None]:
    positions: dict[str, int] = {}
    repeated: list[str] = []
    for index, name in enumerate(header):
        key = column_key(name)
        if key in positions:
            repeated.append(key)
        elif key in REQUIRED_COLUMNS or key in OPTIONAL_COLUMNS:
            positions[key] = index
        elif key:
            warnings.append(
                f"{path.name}: column '{name.strip()}' is not a purchase-request column; "
                "its values are ignored"
            )
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    reasons = []
    if missing:
        plural = "s" if len(missing) > 1 else ""
        reasons.append(f"lacks the required column{plural} " + ", ".join(missing))
    if repeated:
        reasons.append("has more than one column named " + ", ".join(dict.fromkeys(repeated)))
    if not reasons:
        return positions, None
    return positions, FileRefusal(file=path, kind="columns", reason="; and ".join(reasons))


def _warn_unnamed_values(path: Path, table: Table, warnings: list[str]) -> None:
    for index, name in enumerate(table.header):
        if not name.strip() and any(
            index < len(row.cells) and _shown(row.cells[index]) for row in table.rows
        ):
            warnings.append(
                f"{path.name}: column {get_column_letter(index + 1)} has values but no "
                "heading; they are ignored"
            )


# The rows of one request, each with its cells by column name.
_Rows = list[tuple[TableRow, dict[str, Cell]]]


def _group_rows(
    path: Path, table: Table, positions: dict[str, int], rejections: list[Rejection]
) -> list[_Rows]:
    groups: dict[str, _Rows] = {}
    for row in table.rows:
        cells = {col: row.cells[i] for col, i in positions.items() if i < len(row.cells)}
        request_id = _shown(cells.get("request_id", ""))
        if not request_id:
            reason = "a value is required (each row needs the request id of its order)"
            rejections.append(_rejection(None, path, row.number, "request_id", None, reason))
            continue
        # Case-insensitive, so that REQ-1 and req-1 cannot become two orders that the bot would
        # confuse later (Oracle searches descriptions case-insensitively): the agreement check
        # then rejects the request for its two spellings.
        groups.setdefault(request_id.casefold(), []).append((row, cells))
    return list(groups.values())


def _check_request(
    path: Path, table: Table, rows: _Rows, positions: dict[str, int], context: dict[str, object]
) -> PurchaseRequest | list[Rejection]:
    first_row, first_cells = rows[0]
    request_id = _shown(first_cells["request_id"])
    problems = _disagreements(path, request_id, rows)
    header_cells = {c: v for c, v in first_cells.items() if c in HEADER_COLUMNS and _shown(v)}
    header: RequestHeader | None = None
    try:
        header = RequestHeader.model_validate(header_cells, context=context)
    except ValidationError as error:
        problems += _from_validation(error, path, request_id, first_row.number, first_cells)
    lines: list[RequestLine] = []
    for row, cells in rows:
        line_cells = {c: v for c, v in cells.items() if c in LINE_COLUMNS and _shown(v)}
        try:
            line = RequestLine.model_validate(
                {**line_cells, "source_row": row.number}, context=context
            )
            lines.append(line)
        except ValidationError as error:
            problems += _from_validation(error, path, request_id, row.number, cells)
        if any(_shown(cell) for cell in row.cells[len(table.header) :]):
            reason = (
                f"has more values than the heading row has columns ({len(table.header)}): "
                "a comma inside a value that is not in quotes?"
            )
            problems.append(_rejection(request_id, path, row.number, None, None, reason))
    if problems or header is None:
        return sorted(problems, key=lambda p: (p.row, positions.get(p.column or "", -1)))
    fields = {**dict(header), "lines": lines, "source_file": path}
    fields["source_rows"] = [row.number for row, _ in rows]
    return PurchaseRequest.model_validate(fields, context=context)


def _disagreements(path: Path, request_id: str, rows: _Rows) -> list[Rejection]:
    """A rejection for each row whose header value differs from the request's first row."""
    problems = []
    first_row, first_cells = rows[0]
    for column in HEADER_COLUMNS:
        expected = _agreement_key(column, first_cells)
        for row, cells in rows[1:]:
            if _agreement_key(column, cells) != expected:
                first_value = _shown(first_cells.get(column, ""))
                reason = (
                    f"differs from row {first_row.number} ('{first_value}'): every row of "
                    f"request {request_id} must have the same {column}"
                )
                value = _shown(cells.get(column, "")) or None
                problems.append(_rejection(request_id, path, row.number, column, value, reason))
    return problems


def _agreement_key(column: str, cells: dict[str, Cell]) -> str:
    value = _shown(cells.get(column, ""))
    if column == "request_id":
        return value  # exactly: REQ-1 and req-1 are not silently merged
    if not value and column == "currency":
        value = "GBP"
    if not value and column == "requisitioning_bu":
        value = _shown(cells.get("procurement_bu", ""))
    return " ".join(value.split()).casefold()


def _from_validation(
    error: ValidationError, path: Path, request_id: str, row: int, cells: dict[str, Cell]
) -> list[Rejection]:
    problems = []
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
        value = _shown(cells.get(column, "")) if column else ""
        problems.append(_rejection(request_id, path, row, column, value or None, reason))
    return problems


def _rejection(
    request_id: str | None, path: Path, row: int, column: str | None, value: str | None, reason: str
) -> Rejection:
    return Rejection(
        request_id=request_id, file=path, row=row, column=column, value=value, reason=reason
    )


def _shown(cell: Cell) -> str:
    """A cell as a person reads it in a message: trimmed text, or an ISO date."""
    return cell.strip() if isinstance(cell, str) else cell.isoformat()
