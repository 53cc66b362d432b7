"""Reading a purchase-request file into requests that can be raised, and reports on the rest.

Three outcomes, from the widest to the narrowest:

- the file is **refused** (``FileRefusal``): it cannot be read at all (wrong type, not UTF-8,
  damaged, empty, too many rows, required columns missing); nothing in it is raised;
- a request is **rejected** (``RequestRejection``, one per problem): any bad cell in any of its
  rows stops the whole request, and every problem of that request is reported at once, so a
  buyer fixes the file in one go; the file's other requests go ahead;
- a request is **accepted** (``PurchaseRequest``).

Rows that share a ``request_id`` form one request, wherever they are in the file. Reading never
raises for a bad file and never changes or moves it. The wording of refusals and rejections is
shared with the other flows (``flows.common.input_file``); the columns and rules are this flow's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ValidationError

from flows.common.input_file import (
    FileRefusal,
    Rejection,
    RejectionMaker,
    cells_by_column,
    disagreement_reason,
    file_sha256,
    formula_warnings,
    key_missing_reason,
    map_columns,
    overflow_reason,
    rejections_from,
    shown,
)
from flows.common.tabular import Cell, Table, TableRefusedError, TableRow, read_table
from flows.raise_purchase_orders.input_model import (
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
# The columns people write in their own words (checked for what a spreadsheet runs as formulas).
FREE_TEXT_COLUMNS = ("description", "line_description")
DEFAULT_MAX_ROWS = 20000


@dataclass(frozen=True, kw_only=True)
class RequestRejection(Rejection):
    """One problem that stops a request (``request_id`` is None for a row without one)."""

    request_id: str | None


class RequestFileResult(BaseModel):
    """Everything learnt from one file; ``sha256`` is of its raw bytes (empty if unreadable)."""

    file: Path
    sha256: str
    row_count: int = 0  # non-blank data rows, up to max_rows + 1
    row_numbers: list[int] = []  # those rows' numbers
    # Every data row under the request it belongs to (valid or rejected; "(row N)" for a row
    # without a request id): what the run must account for before the file is archived.
    rows_by_request: dict[str, list[int]] = {}
    requests: list[PurchaseRequest] = []
    rejections: list[RequestRejection] = []
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
    digest = file_sha256(path)
    try:
        table = read_table(path, max_rows=max_rows)
    except TableRefusedError as exc:
        counted = max_rows + 1 if exc.kind == "too-many-rows" else 0
        refusal = FileRefusal(path, exc.kind, exc.reason)
        return RequestFileResult(file=path, sha256=digest, row_count=counted, file_error=refusal)
    columns = map_columns(
        path,
        table,
        known=REQUIRED_COLUMNS + OPTIONAL_COLUMNS,
        required=REQUIRED_COLUMNS,
        kind="purchase-request",
    )
    result = RequestFileResult(
        file=path,
        sha256=digest,
        row_count=len(table.rows),
        row_numbers=[row.number for row in table.rows],
        warnings=columns.warnings,
        file_error=columns.refusal,
    )
    if columns.refusal is not None:
        return result
    result.warnings += formula_warnings(path, table, columns.positions, FREE_TEXT_COLUMNS)
    context = {"today": today, "request_id_prefix_format": request_id_prefix_format}
    groups = _group_rows(path, table, columns.positions, result.rejections)
    for rejection in result.rejections:  # the rows without a request id
        result.rows_by_request[f"(row {rejection.row})"] = [rejection.row]
    for rows in groups:
        request_id = shown(rows[0][1]["request_id"])
        result.rows_by_request[request_id] = [row.number for row, _ in rows]
        checked = _check_request(path, table, rows, columns.positions, context)
        if isinstance(checked, PurchaseRequest):
            result.requests.append(checked)
        else:
            result.rejections.extend(checked)
    return result


# The rows of one request, each with its cells by column name.
_Rows = list[tuple[TableRow, dict[str, Cell]]]


def _group_rows(
    path: Path, table: Table, positions: dict[str, int], rejections: list[RequestRejection]
) -> list[_Rows]:
    groups: dict[str, _Rows] = {}
    for row in table.rows:
        cells = cells_by_column(row, positions)
        request_id = shown(cells.get("request_id"))
        if not request_id:
            reason = key_missing_reason("the request id of its order")
            reject = _rejecting(None, path, row.number)
            rejections.append(reject(column="request_id", value=None, reason=reason))
            continue
        # Case-insensitive, so that REQ-1 and req-1 cannot become two orders that the bot would
        # confuse later (Oracle searches descriptions case-insensitively): the agreement check
        # then rejects the request for its two spellings.
        groups.setdefault(request_id.casefold(), []).append((row, cells))
    return list(groups.values())


def _check_request(
    path: Path, table: Table, rows: _Rows, positions: dict[str, int], context: dict[str, object]
) -> PurchaseRequest | list[RequestRejection]:
    first_row, first_cells = rows[0]
    request_id = shown(first_cells["request_id"])
    problems = _disagreements(path, request_id, rows)
    header_cells = {c: v for c, v in first_cells.items() if c in HEADER_COLUMNS and shown(v)}
    header: RequestHeader | None = None
    try:
        header = RequestHeader.model_validate(header_cells, context=context)
    except ValidationError as error:
        problems += rejections_from(
            error, first_cells, _rejecting(request_id, path, first_row.number)
        )
    lines: list[RequestLine] = []
    for row, cells in rows:
        reject = _rejecting(request_id, path, row.number)
        line_cells = {c: v for c, v in cells.items() if c in LINE_COLUMNS and shown(v)}
        try:
            line = RequestLine.model_validate(
                {**line_cells, "source_row": row.number}, context=context
            )
            lines.append(line)
        except ValidationError as error:
            problems += rejections_from(error, cells, reject)
        if (overflow := overflow_reason(row, table.header)) is not None:
            problems.append(reject(column=None, value=None, reason=overflow))
    if problems or header is None:
        return sorted(problems, key=lambda p: (p.row, positions.get(p.column or "", -1)))
    fields = {**dict(header), "lines": lines, "source_file": path}
    fields["source_rows"] = [row.number for row, _ in rows]
    return PurchaseRequest.model_validate(fields, context=context)


def _disagreements(path: Path, request_id: str, rows: _Rows) -> list[RequestRejection]:
    """A rejection for each row whose header value differs from the request's first row."""
    problems = []
    first_row, first_cells = rows[0]
    for column in HEADER_COLUMNS:
        expected = _agreement_key(column, first_cells)
        for row, cells in rows[1:]:
            if _agreement_key(column, cells) != expected:
                rule = f"every row of request {request_id} must have the same {column}"
                first_value = shown(first_cells.get(column))
                reason = disagreement_reason(first_row.number, first_value, rule)
                value = shown(cells.get(column)) or None
                reject = _rejecting(request_id, path, row.number)
                problems.append(reject(column=column, value=value, reason=reason))
    return problems


def _agreement_key(column: str, cells: dict[str, Cell]) -> str:
    value = shown(cells.get(column))
    if column == "request_id":
        return value  # exactly: REQ-1 and req-1 are not silently merged
    if not value and column == "currency":
        value = "GBP"
    if not value and column == "requisitioning_bu":
        value = shown(cells.get("procurement_bu"))
    return " ".join(value.split()).casefold()


def _rejecting(request_id: str | None, path: Path, row: int) -> RejectionMaker[RequestRejection]:
    """Rejections of one row of a request: only the column, value and reason remain to say."""
    return partial(RequestRejection, request_id=request_id, file=path, row=row)
