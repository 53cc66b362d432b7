"""Every cell rule of a purchase request: what is accepted, and what rejection each break gets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import RequestRejection, read_request_file
from tests.flows import TODAY, request_row, write_csv

LONG_NAME = "N" * 241


def _read_one(tmp_path: Path, **cells: str) -> tuple[list[PurchaseRequest], list[RequestRejection]]:
    result = read_request_file(write_csv(tmp_path / "r.csv", [request_row(**cells)]), today=TODAY)
    assert result.file_error is None
    return result.requests, result.rejections


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"request_id": "REQ 1"}, "request_id", "letters, digits and the characters - _ / ."),
        ({"request_id": "[REQ-1]"}, "request_id", "may only contain letters, digits"),
        ({"request_id": "REQ-£1"}, "request_id", "may only contain letters, digits"),
        ({"request_id": "R" * 41}, "request_id", "is 41 characters long; at most 40 are allowed"),
        ({"procurement_bu": ""}, "procurement_bu", "a value is required"),
        ({"supplier": ""}, "supplier", "a value is required"),
        ({"supplier_site": " "}, "supplier_site", "a value is required"),
        ({"description": ""}, "description", "a value is required"),
        ({"supplier": LONG_NAME}, "supplier", "is 241 characters long; at most 240 are allowed"),
        ({"buyer": LONG_NAME}, "buyer", "at most 240 are allowed"),
        ({"currency": "GBPX"}, "currency", "must be a 3-letter ISO currency code, such as GBP"),
        ({"currency": "£"}, "currency", "must be a 3-letter ISO currency code"),
        ({"line_type": "Materials"}, "line_type", "must be Goods or Services"),
        ({"line_description": ""}, "line_description", "required when no item number is given"),
        ({"category": ""}, "category", "required when no item number is given"),
        ({"uom": ""}, "uom", "required when no item number is given"),
        ({"line_description": LONG_NAME}, "line_description", "at most 240 are allowed"),
        ({"quantity": ""}, "quantity", "a value is required"),
        ({"quantity": "0"}, "quantity", "must be greater than 0"),
        ({"quantity": "-2"}, "quantity", "must be greater than 0"),
        ({"quantity": "ten"}, "quantity", "is not a number"),
        ({"quantity": "2.12345"}, "quantity", "has more than 4 decimal places"),
        ({"quantity": "1,000,000,000"}, "quantity", "must be at most 999,999,999.9999"),
        ({"unit_price": "-3"}, "unit_price", "must be greater than 0"),
        ({"unit_price": "£0.00"}, "unit_price", "must be greater than 0"),
        ({"unit_price": "0.00001"}, "unit_price", "has more than 4 decimal places"),
        ({"unit_price": "12,34"}, "unit_price", "is not a number"),
        ({"unit_price": "$12"}, "unit_price", "is not a number"),
        ({"need_by_date": ""}, "need_by_date", "a value is required"),
        ({"need_by_date": "2026-11-28"}, "need_by_date", "is in the past (today is 2026-11-29)"),
        ({"need_by_date": "28/11/2026"}, "need_by_date", "is in the past"),
        ({"need_by_date": "31/04/2027"}, "need_by_date", "is not a real calendar date"),
        ({"need_by_date": "03/15/2027"}, "need_by_date", "looks month-first (US)"),
        ({"need_by_date": "2027/03/15"}, "need_by_date", "write it as YYYY-MM-DD or DD/MM/YYYY"),
        ({"charge_account": ""}, "charge_account", "a value is required"),
        ({"charge_account": "1000-CC123-5100"}, "charge_account", "like 1000-CC123-5100-000"),
        ({"charge_account": "1000-123-5100-000"}, "charge_account", "must be a charge account"),
        ({"charge_account": "1000.CC123.5100.000"}, "charge_account", "must be a charge account"),
    ],
)  # fmt: skip
def test_a_broken_rule_rejects_the_request(
    tmp_path: Path, cells: dict[str, str], column: str, reason: str
) -> None:
    """Each rule's rejection names the column and says what is wrong; nothing is raised."""
    requests, rejections = _read_one(tmp_path, **cells)
    assert requests == []
    assert [r.column for r in rejections] == [column]
    assert reason in rejections[0].reason
    value = cells[column].strip()
    expected_start = f"r.csv row 2, column {column}" + (f", value '{value[:59]}" if value else ":")
    assert rejections[0].message.startswith(expected_start)


@pytest.mark.parametrize(
    ("cells", "field", "expected"),
    [
        ({"request_id": "REQ/2026_01.a-B"}, "request_id", "REQ/2026_01.a-B"),
        ({"request_id": "R" * 40, "description": "D" * 197}, "request_id", "R" * 40),
        ({"currency": " usd "}, "currency", "USD"),
        ({"supplier": "  Anglia   Tarmac Ltd "}, "supplier", "Anglia Tarmac Ltd"),
        ({"description": "D" * 224}, "description", "D" * 224),
    ],
)  # fmt: skip
def test_header_values_accepted(
    tmp_path: Path, cells: dict[str, str], field: str, expected: str
) -> None:
    """Allowed request ids, lower-case currencies, extra spaces and the longest description."""
    requests, rejections = _read_one(tmp_path, **cells)
    assert rejections == []
    assert getattr(requests[0], field) == expected


@pytest.mark.parametrize(
    ("cells", "field", "expected"),
    [
        ({"line_type": "SERVICES"}, "line_type", "Services"),
        ({"line_type": " goods "}, "line_type", "Goods"),
        ({"quantity": "2.1234"}, "quantity", Decimal("2.1234")),
        ({"quantity": "2.500000"}, "quantity", Decimal("2.5")),
        ({"quantity": "999,999,999.9999"}, "quantity", Decimal("999999999.9999")),
        ({"unit_price": "0.0001"}, "unit_price", Decimal("0.0001")),
        ({"unit_price": "£ 12"}, "unit_price", Decimal("12")),
        ({"need_by_date": "2026-11-29"}, "need_by_date", TODAY),
        ({"need_by_date": "1/2/2027"}, "need_by_date", date(2027, 2, 1)),
        ({"charge_account": "1000-cc123-5100-000"}, "charge_account", "1000-CC123-5100-000"),
        ({"item": "NCC-DIG-0001", "category": "", "uom": ""}, "item", "NCC-DIG-0001"),
    ],
)  # fmt: skip
def test_line_values_accepted(
    tmp_path: Path, cells: dict[str, str], field: str, expected: object
) -> None:
    """Case-insensitive line types, 4 decimal places, today's date, lower-case accounts."""
    requests, rejections = _read_one(tmp_path, **cells)
    assert rejections == []
    assert getattr(requests[0].lines[0], field) == expected


def test_description_length_leaves_room_for_the_request_id(tmp_path: Path) -> None:
    """'[REQ-2026-0001] ' takes 16 of Oracle's 240 characters, so 225 are too many."""
    requests, rejections = _read_one(tmp_path, description="D" * 225)
    assert requests == []
    assert rejections[0].reason == (
        "is 225 characters long; with the request id in front, Oracle's 240-character order "
        "description leaves room for 224"
    )


def test_description_room_follows_the_prefix_format(tmp_path: Path) -> None:
    """A tenant's longer prefix format shortens the room for the description."""
    path = write_csv(tmp_path / "r.csv", [request_row(description="D" * 224)])
    result = read_request_file(path, today=TODAY, request_id_prefix_format="RPA {request_id}: ")
    assert "leaves room for 221" in result.rejections[0].reason
    result = read_request_file(path, today=TODAY)
    assert result.requests[0].order_description() == "[REQ-2026-0001] " + "D" * 224


def test_one_row_reports_all_its_problems(tmp_path: Path) -> None:
    """Several bad cells in one row give one rejection each, in the file's column order."""
    requests, rejections = _read_one(
        tmp_path, currency="pounds", quantity="0", unit_price="abc", charge_account="x"
    )
    assert requests == []
    # request_row() adds the currency column after the required ones
    assert [r.column for r in rejections] == [
        "quantity",
        "unit_price",
        "charge_account",
        "currency",
    ]
    assert {r.row for r in rejections} == {2}


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    """A very long bad value is cut in the message but kept whole in the rejection."""
    _, rejections = _read_one(tmp_path, supplier=LONG_NAME)
    assert rejections[0].value == LONG_NAME
    assert f"value '{'N' * 59}…'" in rejections[0].message
