"""The example request files in examples/ read as documented in docs/request-files.md."""

from __future__ import annotations

from pathlib import Path

from flows.raise_purchase_orders.input_reader import read_request_file
from tests.flows import TODAY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_example_csv_reads_without_problems() -> None:
    """Five requests, the multi-line ones grouped, nothing rejected or warned about."""
    result = read_request_file(EXAMPLES / "purchase-requests.csv", today=TODAY)
    assert (result.file_error, result.rejections, result.warnings) == (None, [], [])
    assert [(r.request_id, len(r.lines)) for r in result.requests] == [
        ("REQ-2026-0001", 2),
        ("REQ-2026-0002", 3),
        ("REQ-2026-0003", 2),
        ("REQ-2026-0004", 2),
        ("REQ-2026-0005", 1),
    ]
    laptops = result.requests[1]
    assert [line.item for line in laptops.lines] == ["NCC-DIG-0001", "NCC-DIG-0003", "NCC-DIG-0002"]
    assert all(line.line_description is None for line in laptops.lines)
    assert result.requests[2].lines[0].line_type == "Services"


def test_example_xlsx_holds_the_same_requests_as_the_csv() -> None:
    """The workbook (real date and number cells) asks for exactly the CSV's orders."""
    from_csv = read_request_file(EXAMPLES / "purchase-requests.csv", today=TODAY)
    from_xlsx = read_request_file(EXAMPLES / "purchase-requests.xlsx", today=TODAY)
    assert (from_xlsx.file_error, from_xlsx.rejections, from_xlsx.warnings) == (None, [], [])
    assert [r.content_hash for r in from_xlsx.requests] == [
        r.content_hash for r in from_csv.requests
    ]
    assert [r.source_rows for r in from_xlsx.requests] == [r.source_rows for r in from_csv.requests]


def test_example_with_errors_rejects_the_bad_requests_only() -> None:
    """Bad date, negative price, disagreeing supplier and missing account are each rejected."""
    result = read_request_file(EXAMPLES / "purchase-requests-with-errors.csv", today=TODAY)
    assert [r.request_id for r in result.requests] == ["REQ-2026-0101", "REQ-2026-0106"]
    assert [m.message for m in result.rejections] == [
        "purchase-requests-with-errors.csv row 3, column need_by_date, value '31/02/2027': "
        "is not a real calendar date",
        "purchase-requests-with-errors.csv row 4, column unit_price, value '-95.00': "
        "must be greater than 0",
        "purchase-requests-with-errors.csv row 6, column supplier, value "
        "'East Coast Winter Gritting Ltd': differs from row 5 ('Broadland Highways Maintenance "
        "Ltd'): every row of request REQ-2026-0104 must have the same supplier",
        "purchase-requests-with-errors.csv row 6, column supplier_site, value 'ECWG-KINGS-LYNN': "
        "differs from row 5 ('BHM-NORWICH'): every row of request REQ-2026-0104 must have the "
        "same supplier_site",
        "purchase-requests-with-errors.csv row 7, column charge_account: a value is required",
    ]
