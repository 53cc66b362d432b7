"""Workbooks that would exhaust memory are refused from the zip's directory, before any XML is
parsed; one bad file is refused and the rest of the inbox goes on; a file of the documented
maximum (20,000 rows) is read in bounded memory, measured in a child process."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from flows.common import tabular
from flows.common.tabular import TableRefusedError, read_table
from flows.raise_purchase_orders.input_reader import read_request_file
from tests.flows import TODAY, request_row, write_csv, write_xlsx

REPO = Path(__file__).resolve().parents[2]


def _one_request() -> list[list[str]]:
    row = request_row()
    return [list(row), list(row.values())]


def _with_part(source: Path, target: Path, name: str, content: bytes) -> Path:
    """``source``'s workbook with its part ``name`` replaced by ``content``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != name:
                new.writestr(item, old.read(item.filename))
        new.writestr(name, content)
    return target


def test_millions_of_shared_strings_are_refused_before_parsing(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "plain.xlsx", _one_request())
    count = tabular.XLSX_MAX_SHARED_STRINGS + 1
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        + f'count="{count}" uniqueCount="{count}">'.encode()
        + b"<si><t>x</t></si>" * 10
        + b"</sst>"
    )
    bomb = _with_part(workbook, tmp_path / "strings.xlsx", "xl/sharedStrings.xml", strings)
    with pytest.raises(TableRefusedError) as refused:
        read_table(bomb, max_rows=20_000)
    assert refused.value.kind == "too-large"
    assert f"holds {count:,} distinct texts" in refused.value.reason


def test_a_workbook_that_unpacks_far_beyond_any_request_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check at a lower bound, so the test need not write gigabytes."""
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED_BYTES", 1024 * 1024)
    workbook = write_xlsx(tmp_path / "plain.xlsx", _one_request())
    padding = b"<!--" + b" " * (2 * 1024 * 1024) + b"-->"
    bomb = _with_part(workbook, tmp_path / "bomb.xlsx", "docProps/padding.xml", padding)
    assert bomb.stat().st_size < 64 * 1024  # small on disk, as a bomb is
    with pytest.raises(TableRefusedError, match="unpacks to 2 MB, far more than any request"):
        read_table(bomb, max_rows=20_000)


def test_a_refused_workbook_does_not_stop_the_other_files(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [request_row()])
    workbook = write_xlsx(tmp_path / "plain.xlsx", _one_request())
    huge = b'<sst xmlns="x" uniqueCount="99999999">'
    bad = _with_part(workbook, tmp_path / "bad.xlsx", "xl/sharedStrings.xml", huge)
    read_bad = read_request_file(bad, today=TODAY)
    read_good = read_request_file(good, today=TODAY)
    assert read_bad.file_error is not None and read_bad.file_error.kind == "too-large"
    assert len(read_good.requests) == 1


@pytest.mark.slow
def test_a_20000_row_workbook_is_read_in_bounded_memory(tmp_path: Path) -> None:
    rows = [
        request_row(request_id=f"REQ-2026-{n // 4:05d}", line_description=f"Item {n}")
        for n in range(20_000)
    ]
    header = list(rows[0])
    path = write_xlsx(tmp_path / "big.xlsx", [header, *([row[h] for h in header] for row in rows)])
    script = (
        "import resource, sys\n"
        "from flows.raise_purchase_orders.input_reader import read_request_file\n"
        "from tests.flows import TODAY\n"
        "read = read_request_file(__import__('pathlib').Path(sys.argv[1]), today=TODAY)\n"
        "assert read.file_error is None and len(read.requests) == 5000, read.file_error\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    peak_mb = int(done.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux
    assert peak_mb < 300, f"reading 20,000 rows peaked at {peak_mb:.0f} MB"
