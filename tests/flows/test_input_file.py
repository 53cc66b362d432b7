"""The words both flows use about people's files: refusals, rejections, columns, cell checks."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.common.cell_validators import cleaned, one_of, text
from flows.common.input_file import (
    SHOWN_VALUE_MAX,
    FileRefusal,
    Rejection,
    column_key,
    file_sha256,
    map_columns,
    overflow_reason,
    rejections_from,
    shown,
)
from flows.common.tabular import Table, TableRow, read_table
from flows.raise_purchase_orders.input_reader import RequestRejection, read_request_file
from flows.sync_suppliers.input_reader import SupplierRejection, read_supplier_file
from tests.flows import TODAY, request_row, write_csv
from tests.flows.test_supplier_support import supplier_row


class _Row(BaseModel):
    """A row model written the way the flows write theirs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, text(10, required=True)]
    note: Annotated[str | None, text(5)] = None
    kind: Annotated[Literal["Goods", "Services"], one_of("Goods", "Services")] = "Goods"
    # Defaults to the name: pydantic skips it ("default_factory_not_called") when name failed.
    label: str = Field(default_factory=lambda data: str(data["name"]))


def _errors(**cells: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _Row.model_validate(cells)
    return caught.value


# --- Rejection and FileRefusal -----------------------------------------------------------------


def test_a_rejection_names_file_row_column_value_and_reason() -> None:
    """The message sends a person to the cell: file, Excel row, column, the value, what is wrong."""
    rejection = Rejection(
        file=Path("/inbox/requests.csv"),
        row=7,
        column="unit_price",
        value="-3",
        reason="must be greater than 0",
    )
    assert (
        rejection.message
        == "requests.csv row 7, column unit_price, value '-3': must be greater than 0"
    )


def test_a_rejection_without_column_or_value_says_only_what_it_knows() -> None:
    """A whole-row problem has no column; a blank cell shows no value."""
    whole_row = Rejection(file=Path("s.csv"), row=4, column=None, value=None, reason="odd row")
    blank = Rejection(file=Path("s.csv"), row=4, column="city", value=None, reason="is needed")
    assert whole_row.message == "s.csv row 4: odd row"
    assert blank.message == "s.csv row 4, column city: is needed"


def test_a_long_value_is_shortened_in_the_message() -> None:
    """A pasted paragraph does not swamp the report: the value is cut with an ellipsis."""
    value = "x" * 200
    rejection = Rejection(file=Path("r.csv"), row=2, column="c", value=value, reason="too long")
    shown_value = rejection.message.split("'")[1]
    assert len(shown_value) == SHOWN_VALUE_MAX and shown_value.endswith("…")
    assert rejection.value == value  # the record keeps it whole


def test_each_flow_rejection_is_a_rejection_with_its_own_subject() -> None:
    """The flows add what the problem stops (a request, a supplier); the wording is shared."""
    request = RequestRejection(
        request_id="REQ-1", file=Path("f.csv"), row=3, column="city", value="X", reason="bad"
    )
    supplier = SupplierRejection(
        supplier="Acme", file=Path("f.csv"), row=3, column="city", value="X", reason="bad"
    )
    for rejection in (request, supplier):
        assert isinstance(rejection, Rejection)
        assert rejection.message == "f.csv row 3, column city, value 'X': bad"
    assert (request.request_id, supplier.supplier) == ("REQ-1", "Acme")


def test_a_file_refusal_is_a_sentence_about_the_file() -> None:
    refusal = FileRefusal(Path("/x/suppliers.csv"), "columns", "lacks the required column a")
    assert refusal.message == "suppliers.csv lacks the required column a"


# --- From pydantic's errors to rejections ------------------------------------------------------


def test_a_validation_error_becomes_one_rejection_per_bad_cell() -> None:
    """Each bad cell is reported under its column, with the cell as written and the reason."""
    cells: dict[str, str | date] = {"name": "A" * 11, "note": " far too long ", "kind": "Gods"}
    error = _errors(**cells)
    make = partial(Rejection, file=Path("r.csv"), row=5)
    found = rejections_from(error, cells, make)
    assert [(r.row, r.column, r.value, r.reason) for r in found] == [
        (5, "name", "A" * 11, "is 11 characters long; at most 10 are allowed"),
        (5, "note", "far too long", "is 12 characters long; at most 5 are allowed"),
        (5, "kind", "Gods", "must be Goods or Services"),
    ]


def test_a_missing_cell_is_required_and_a_skipped_default_is_not_reported() -> None:
    """pydantic's "Field required" reads as the flows' words; a default that could not be made
    because of another bad cell is that cell's problem, not a second one."""
    assert [(r.column, r.reason) for r in _rejections()] == [("name", "a value is required")]
    blank_name = rejections_from(_errors(name="  "), {"name": "  "}, _make())
    assert [(r.column, r.value, r.reason) for r in blank_name] == [
        ("name", None, "a value is required")
    ]


def _make() -> partial[Rejection]:
    return partial(Rejection, file=Path("r.csv"), row=2)


def _rejections() -> list[Rejection]:
    return rejections_from(_errors(), {}, _make())


def test_rejections_come_out_as_the_flow_builds_them() -> None:
    """A flow binds its subject; every rejection from the error carries it."""
    make = partial(SupplierRejection, supplier="Acme Ltd", file=Path("s.csv"), row=9)
    (found,) = rejections_from(_errors(), {}, make)
    assert isinstance(found, SupplierRejection) and found.supplier == "Acme Ltd"


def test_shown_trims_text_and_writes_dates_the_iso_way() -> None:
    assert (shown("  NR1 2DH "), shown(date(2027, 3, 1)), shown(None)) == (
        "NR1 2DH",
        "2027-03-01",
        "",
    )


# --- Columns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("request_id", "request_id"),
        ("Request ID", "request_id"),
        ("request-id", "request_id"),
        ("  REQUEST_ID ", "request_id"),
        ("Supplier  Name", "supplier_name"),
        ("supplier - name", "supplier_name"),
        ("", ""),
    ],
)
def test_column_key_folds_case_spaces_and_hyphens(heading: str, key: str) -> None:
    assert column_key(heading) == key


def test_both_flows_match_headings_alike(tmp_path: Path) -> None:
    """`Request ID` in a request file and `Supplier-Name` in a supplier file are both read."""
    request = {column.replace("_", " ").title(): value for column, value in request_row().items()}
    requests = read_request_file(write_csv(tmp_path / "r.csv", [request]), today=TODAY)
    supplier = {column.upper().replace("_", "-"): value for column, value in supplier_row().items()}
    suppliers = read_supplier_file(write_csv(tmp_path / "s.csv", [supplier]))
    assert (requests.file_error, requests.rejections, requests.warnings) == (None, [], [])
    assert (suppliers.file_error, suppliers.rejections, suppliers.warnings) == (None, [], [])
    assert len(requests.requests) == 1 and len(suppliers.suppliers) == 1


def _table(header: tuple[str, ...], *rows: tuple[str, ...]) -> Table:
    return Table(header, 1, tuple(TableRow(n, cells) for n, cells in enumerate(rows, start=2)))


def test_map_columns_gives_positions_and_warns_of_what_it_ignores() -> None:
    """Unknown headings and values under no heading are warnings, never a reason to stop."""
    table = _table(("ID", "Notes", "", "qty"), ("A", "call", "stray", "1"))
    columns = map_columns(Path("f.csv"), table, known=("id", "qty"), required=("id",), kind="test")
    assert columns.refusal is None
    assert columns.positions == {"id": 0, "qty": 3}
    assert columns.warnings == [
        "f.csv: column 'Notes' is not a test column; its values are ignored",
        "f.csv: column C has values but no heading; they are ignored",
    ]


def test_map_columns_refuses_missing_and_repeated_columns_together() -> None:
    """Every heading problem is named at once, so one edit fixes the file."""
    table = _table(("qty", "Qty", "note"), ("1", "2", "x"))
    columns = map_columns(
        Path("f.csv"), table, known=("id", "qty", "due"), required=("id", "due"), kind="test"
    )
    assert columns.refusal == FileRefusal(
        Path("f.csv"),
        "columns",
        "lacks the required columns id, due; and has more than one column named qty",
    )


def test_map_columns_refuses_a_table_without_data_rows() -> None:
    columns = map_columns(Path("f.csv"), _table(("id",)), known=("id",), required=("id",), kind="t")
    assert columns.refusal is not None and columns.refusal.kind == "empty"
    assert columns.refusal.message == "f.csv has a header row but no data rows"


def test_a_row_with_values_past_the_last_heading_has_an_overflow_reason(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a,b\n1,2\n1,2,3\n1,2,,\n", encoding="utf-8")
    table = read_table(path, max_rows=10)
    reasons = [overflow_reason(row, table.header) for row in table.rows]
    assert reasons == [
        None,
        "has more values than the heading row has columns (2): "
        "a comma inside a value that is not in quotes?",
        None,  # empty trailing cells are how spreadsheets pad rows, not values
    ]


def test_file_sha256_is_of_the_raw_bytes_and_empty_when_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n")
    assert file_sha256(path) == hashlib.sha256(b"a,b\r\n1,2\r\n").hexdigest()
    assert file_sha256(tmp_path / "gone.csv") == ""


# --- Cell validators ---------------------------------------------------------------------------


def test_cleaned_text_has_single_spaces_and_blank_is_none() -> None:
    assert cleaned("  Norfolk \t County\r\nHall ") == "Norfolk County Hall"
    assert cleaned(" \n ") is None
    assert cleaned(date(2027, 3, 15)) == "2027-03-15"  # a date cell in a text column


def test_the_text_validator_trims_and_limits() -> None:
    """Trimmed before the limit is counted; blank is None, or an error when required."""
    row = _Row.model_validate({"name": "  Ten  chars ", "note": " a  b "})
    assert (row.name, row.note) == ("Ten chars", "a b")
    with pytest.raises(ValidationError, match="is 6 characters long; at most 5 are allowed"):
        _Row.model_validate({"name": "x", "note": "abcdef"})
    assert _Row.model_validate({"name": "x", "note": "   "}).note is None
    with pytest.raises(ValidationError, match="a value is required"):
        _Row.model_validate({"name": " \t "})


@pytest.mark.parametrize("written", ["services", " SERVICES ", "Services"])
def test_one_of_accepts_any_case_and_gives_the_choice_s_spelling(written: str) -> None:
    assert _Row.model_validate({"name": "x", "kind": written}).kind == "Services"


def test_one_of_lists_the_choices_when_refusing() -> None:
    class Many(BaseModel):
        value: Annotated[str | None, one_of("Spend Authorized", "Prospective", "Other")] = None

    assert Many.model_validate({"value": "spend_authorized"}).value == "Spend Authorized"
    with pytest.raises(
        ValidationError, match="must be one of Spend Authorized, Prospective or Other"
    ):
        Many.model_validate({"value": "maybe"})
