"""Tests of the flows. Helpers here build request files the way buyers' tools write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl

# A fixed "today" keeps need-by dates meaningful whatever day the tests run.
TODAY = date(2026, 11, 29)

REQUIRED_HEADER = (
    "request_id", "procurement_bu", "supplier", "supplier_site", "description",
    "line_description", "category", "quantity", "uom", "unit_price", "need_by_date",
    "charge_account",
)  # fmt: skip


def request_row(**cells: str) -> dict[str, str]:
    """A valid one-line request row; keyword arguments replace or add cells."""
    row = {
        "request_id": "REQ-2026-0001",
        "procurement_bu": "NCC Highways BU",
        "supplier": "Broadland Highways Maintenance Ltd",
        "supplier_site": "BHM-NORWICH",
        "description": "Signage replacement, Norwich outer ring road",
        "line_description": "Sign face, Give Way, 750 mm",
        "category": "Highways",
        "quantity": "24",
        "uom": "Each",
        "unit_price": "86.50",
        "need_by_date": "2027-03-15",
        "charge_account": "1000-CC123-5100-000",
    }
    row.update(cells)
    return row


def csv_text(rows: Sequence[dict[str, str]], header: Sequence[str] | None = None) -> str:
    """CSV text for ``rows`` under ``header`` (default: every column the rows use, in order)."""
    if header is None:
        header = list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


def write_csv(
    path: Path, rows: Sequence[dict[str, str]], header: Sequence[str] | None = None
) -> Path:
    """Write ``rows`` as UTF-8 CSV (no byte-order mark) and return ``path``."""
    path.write_text(csv_text(rows, header), encoding="utf-8", newline="")
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write ``rows`` (header first) to the first sheet of a new workbook; return ``path``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
