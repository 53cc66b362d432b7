"""Reading request files: grouping rows into requests, header agreement, and what gets through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from flows.raise_purchase_orders.input_reader import read_request_file
from tests.flows import TODAY, request_row, write_csv, write_xlsx


def test_rows_sharing_a_request_id_form_one_order(tmp_path: Path) -> None:
    """Two lines of REQ-1 around a REQ-2 line make two requests, lines in file order."""
    path = write_csv(
        tmp_path / "requests.csv",
        [
            request_row(request_id="REQ-1", line_description="Sign face"),
            request_row(request_id="REQ-2"),
            request_row(request_id="REQ-1", line_description="Sign post", quantity="3"),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert result.file_error is None and result.rejections == []
    assert [r.request_id for r in result.requests] == ["REQ-1", "REQ-2"]
    first = result.requests[0]
    assert [line.line_description for line in first.lines] == ["Sign face", "Sign post"]
    assert [line.source_row for line in first.lines] == first.source_rows == [2, 4]
    assert first.source_file == path
    assert result.row_count == 3


def test_defaults_fill_optional_columns(tmp_path: Path) -> None:
    """Without optional columns: GBP, Goods, and the requisitioning BU is the procurement BU."""
    result = read_request_file(write_csv(tmp_path / "r.csv", [request_row()]), today=TODAY)
    request = result.requests[0]
    assert (request.currency, request.requisitioning_bu) == ("GBP", "NCC Highways BU")
    assert request.lines[0].line_type == "Goods"
    assert request.supplier_contact is None and request.lines[0].item is None


def test_all_optional_columns_are_read(tmp_path: Path) -> None:
    """Every optional column lands in its field, with case-insensitive line type and currency."""
    row = request_row(
        requisitioning_bu="NCC Corporate BU", currency="eur", item="NCC-HW-0003",
        line_type="services", ship_to_location="NCC-DEREHAM-DEPOT",
        deliver_to_location="NCC-AYLSHAM-DEPOT", supplier_contact="Robert Turner",
        buyer="Hughes, Sarah", requester="Walsh, Claire", document_style="Standard Purchase Order",
    )  # fmt: skip
    request = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY).requests[0]
    line = request.lines[0]
    assert (request.requisitioning_bu, request.currency, request.buyer) == (
        "NCC Corporate BU", "EUR", "Hughes, Sarah",
    )  # fmt: skip
    assert (request.supplier_contact, request.document_style) == (
        "Robert Turner", "Standard Purchase Order",
    )  # fmt: skip
    assert (line.item, line.line_type, line.requester) == (
        "NCC-HW-0003",
        "Services",
        "Walsh, Claire",
    )
    assert (line.ship_to_location, line.deliver_to_location) == (
        "NCC-DEREHAM-DEPOT", "NCC-AYLSHAM-DEPOT",
    )  # fmt: skip


def test_item_lines_may_leave_description_category_and_uom_blank(tmp_path: Path) -> None:
    """With an item number, Oracle supplies description, category and UOM."""
    row = request_row(item="NCC-DIG-0001", line_description="", category="", uom="")
    result = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY)
    assert result.rejections == []
    line = result.requests[0].lines[0]
    assert (line.item, line.line_description, line.category, line.uom) == (
        "NCC-DIG-0001", None, None, None,
    )  # fmt: skip


def test_pounds_thousands_separators_and_uk_dates(tmp_path: Path) -> None:
    """'£1,234.50' and '15/03/2027' read as the exact Decimal and date a buyer meant."""
    row = request_row(quantity="1,200", unit_price="£1,234.50", need_by_date="15/03/2027")
    line = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY).requests[0].lines[0]
    assert (line.quantity, line.unit_price, line.need_by_date) == (
        Decimal("1200"), Decimal("1234.50"), date(2027, 3, 15),
    )  # fmt: skip
    assert isinstance(line.unit_price, Decimal)


def test_column_names_ignore_case_spaces_and_separators(tmp_path: Path) -> None:
    """' Request ID ', 'UNIT_PRICE' and 'need-by date' all name the spec's columns."""
    row = request_row()
    header = [
        {
            "request_id": " Request ID ",
            "unit_price": "UNIT_PRICE",
            "need_by_date": "need-by date",
        }.get(name, name)
        for name in row
    ]
    path = tmp_path / "r.csv"
    path.write_text(",".join(header) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n")
    result = read_request_file(path, today=TODAY)
    assert result.file_error is None
    assert len(result.requests) == 1


def test_unknown_columns_are_warnings_not_errors(tmp_path: Path) -> None:
    """Extra columns are reported as warnings and the requests still go ahead."""
    row = request_row(Notes="call before delivery", **{"Budget holder": "J Smith"})
    result = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY)
    assert len(result.requests) == 1
    assert result.warnings == [
        "r.csv: column 'Notes' is not a purchase-request column; its values are ignored",
        "r.csv: column 'Budget holder' is not a purchase-request column; its values are ignored",
    ]


def test_values_under_a_blank_heading_are_a_warning(tmp_path: Path) -> None:
    """A value in a column without a heading is named by its column letter."""
    row = request_row(**{"": "stray"})
    result = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY)
    assert len(result.requests) == 1
    assert result.warnings == ["r.csv: column M has values but no heading; they are ignored"]


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    """Empty rows between requests neither fail nor count."""
    path = tmp_path / "r.csv"
    lines = write_csv(tmp_path / "x.csv", [request_row(), request_row(request_id="REQ-2")])
    text = lines.read_text().splitlines()
    path.write_text("\n".join([text[0], ",,,", text[1], "", "   ", text[2]]) + "\n")
    result = read_request_file(path, today=TODAY)
    assert (len(result.requests), result.rejections, result.row_count) == (2, [], 2)
    assert result.requests[1].source_rows == [6]


def test_header_disagreement_rejects_the_request_naming_values_and_rows(tmp_path: Path) -> None:
    """A supplier that differs between rows rejects the request, saying which rows say what."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            request_row(request_id="REQ-1"),
            request_row(request_id="REQ-1", supplier="Norfolk Road Markings Ltd"),
            request_row(request_id="REQ-2"),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert [r.request_id for r in result.requests] == ["REQ-2"]
    [rejection] = result.rejections
    assert (rejection.request_id, rejection.row, rejection.column) == ("REQ-1", 3, "supplier")
    assert rejection.message == (
        "r.csv row 3, column supplier, value 'Norfolk Road Markings Ltd': differs from row 2 "
        "('Broadland Highways Maintenance Ltd'): every row of request REQ-1 must have the same "
        "supplier"
    )


def test_header_agreement_ignores_case_spacing_and_defaults(tmp_path: Path) -> None:
    """'GBP' vs blank currency and spacing or case differences are the same value."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            request_row(currency="GBP", requisitioning_bu=""),
            request_row(
                currency="", requisitioning_bu="NCC Highways BU", supplier_site="bhm-norwich "
            ),
            request_row(
                currency="gbp", description="Signage  replacement, Norwich outer ring road"
            ),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert result.rejections == []
    assert len(result.requests[0].lines) == 3


def test_request_ids_differing_only_in_case_are_rejected(tmp_path: Path) -> None:
    """REQ-1 and req-1 are not silently merged or raised as two orders."""
    path = write_csv(
        tmp_path / "r.csv", [request_row(request_id="REQ-1"), request_row(request_id="req-1")]
    )
    result = read_request_file(path, today=TODAY)
    assert result.requests == []
    assert [(r.row, r.column, r.value) for r in result.rejections] == [(3, "request_id", "req-1")]


def test_a_bad_line_rejects_its_whole_request_with_every_problem(tmp_path: Path) -> None:
    """All problems of a request are reported at once; its good lines are not raised."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            request_row(request_id="REQ-1", unit_price="-3"),
            request_row(request_id="REQ-1"),
            request_row(request_id="REQ-1", need_by_date="2026-11-28", charge_account=""),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert result.requests == []
    assert [r.message for r in result.rejections] == [
        "r.csv row 2, column unit_price, value '-3': must be greater than 0",
        "r.csv row 4, column need_by_date, value '2026-11-28': "
        "is in the past (today is 2026-11-29)",
        "r.csv row 4, column charge_account: a value is required",
    ]


def test_good_requests_come_through_beside_bad_ones(tmp_path: Path) -> None:
    """Bad requests in a file do not hold back the good ones."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            request_row(request_id="REQ-1"),
            request_row(request_id="REQ-2", quantity="zero"),
            request_row(request_id="REQ-3", need_by_date="2027-02-30"),
            request_row(request_id="REQ-4"),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert [r.request_id for r in result.requests] == ["REQ-1", "REQ-4"]
    assert [r.request_id for r in result.rejections] == ["REQ-2", "REQ-3"]


def test_rows_without_request_id_are_rejected_on_their_own(tmp_path: Path) -> None:
    """A row with no request id is rejected alone; the rows around it still make requests."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            request_row(request_id="REQ-1"),
            request_row(request_id="  "),
            request_row(request_id="REQ-1"),
        ],
    )
    result = read_request_file(path, today=TODAY)
    assert [(r.request_id, len(r.lines)) for r in result.requests] == [("REQ-1", 2)]
    [rejection] = result.rejections
    assert (rejection.request_id, rejection.row, rejection.column) == (None, 3, "request_id")
    assert rejection.message.startswith("r.csv row 3, column request_id: a value is required")


def test_a_row_with_more_values_than_headings_is_rejected(tmp_path: Path) -> None:
    """An unquoted comma shifts values into no column: the row's request is rejected."""
    good = write_csv(tmp_path / "x.csv", [request_row()]).read_text().splitlines()
    path = tmp_path / "r.csv"
    path.write_text(good[0] + "\n" + good[1] + ",extra\n")
    [rejection] = read_request_file(path, today=TODAY).rejections
    assert (rejection.row, rejection.column) == (2, None)
    assert "more values than the heading row has columns (12)" in rejection.message


def test_xlsx_with_date_and_number_cells(tmp_path: Path) -> None:
    """XLSX requests read from real date and number cells like their CSV equivalents."""
    row = request_row()
    header = list(row)
    values: list[object] = list(row.values())
    values[header.index("need_by_date")] = date(2027, 3, 15)
    values[header.index("quantity")] = 24
    values[header.index("unit_price")] = 86.5
    path = write_xlsx(tmp_path / "r.xlsx", [header, values])
    xlsx = read_request_file(path, today=TODAY)
    csv = read_request_file(write_csv(tmp_path / "r.csv", [row]), today=TODAY)
    assert xlsx.rejections == [] and csv.rejections == []
    assert xlsx.requests[0].content_hash == csv.requests[0].content_hash
    assert xlsx.requests[0].lines[0].need_by_date == date(2027, 3, 15)


def test_xlsx_rejection_shows_a_date_cell_as_iso_text(tmp_path: Path) -> None:
    """A past need-by date typed as a date cell is reported readably."""
    row = request_row()
    header = list(row)
    values: list[object] = list(row.values())
    values[header.index("need_by_date")] = date(2025, 1, 31)
    path = write_xlsx(tmp_path / "r.xlsx", [header, values])
    [rejection] = read_request_file(path, today=TODAY).rejections
    assert rejection.message == (
        "r.xlsx row 2, column need_by_date, value '2025-01-31': "
        "is in the past (today is 2026-11-29)"
    )
