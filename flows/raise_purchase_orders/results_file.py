"""The results file a buyer gets back for a request file: one row per request.

``request_id,status,po_number,message,run_id`` with status ``raised`` (the order was submitted;
``po_number`` is Oracle's), ``duplicate`` (an earlier run raised it already; its ``po_number``),
``rejected`` (bad data: ``message`` lists every problem with file, row, column and value) or
``failed`` (Oracle or the bot failed; ``message`` says why, the request is tried again). A run
that stopped early also writes ``pending`` (in hand when it stopped) and ``not_started``; both
only in the copy kept in the run's folder, since a file with such requests is not archived.

Written as UTF-8 with a byte-order mark so that Excel shows pound signs and accents, and
atomically (a temporary file renamed over the target), so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, TextIO

from pydantic import BaseModel, ConfigDict

from flows.raise_purchase_orders.input_reader import RequestRejection

ResultStatus = Literal[
    "raised", "duplicate", "rejected", "conflict", "failed", "pending", "not_started"
]
RESULT_COLUMNS = ("request_id", "status", "po_number", "message", "run_id")
# A cell starting with one of these is a formula to Excel ("CSV injection"); a buyer's own text
# echoed back in a message must never run as one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ResultRow(BaseModel):
    """The outcome of one request (``request_id`` is None for a row that had none)."""

    model_config = ConfigDict(frozen=True)

    request_id: str | None
    status: ResultStatus
    po_number: str | None = None
    message: str = ""
    run_id: str


def rejection_rows(rejections: Iterable[RequestRejection], run_id: str) -> list[ResultRow]:
    """One ``rejected`` row per request, its problems joined; each id-less row on its own."""
    by_request: dict[str | None, list[str]] = {}
    rows: list[ResultRow] = []
    for rejection in rejections:
        if rejection.request_id is None:
            rows.append(_rejected(None, [rejection.message], run_id))
        else:
            by_request.setdefault(rejection.request_id, []).append(rejection.message)
    rows[:0] = [_rejected(rid, messages, run_id) for rid, messages in by_request.items()]
    return rows


def _rejected(request_id: str | None, messages: list[str], run_id: str) -> ResultRow:
    return ResultRow(
        request_id=request_id, status="rejected", message="; ".join(messages), run_id=run_id
    )


def write_results(path: Path, rows: Iterable[ResultRow]) -> None:
    """Write ``rows`` to ``path`` (replacing it whole); the folder must exist."""

    def write(stream: TextIO) -> None:
        writer = csv.writer(stream)
        writer.writerow(RESULT_COLUMNS)
        for row in rows:
            writer.writerow(
                _safe(value)
                for value in (
                    row.request_id or "",
                    row.status,
                    row.po_number or "",
                    row.message,
                    row.run_id,
                )
            )

    _replace_whole(path, write, encoding="utf-8-sig")


def write_warnings(path: Path, warnings: Iterable[str]) -> None:
    """The file's warnings (columns ignored, values under no heading, formula-like text), one
    per line, beside its results file: what was read is not all the buyer wrote."""
    _replace_whole(path, lambda stream: stream.writelines(f"{w}\n" for w in warnings))


def _replace_whole(path: Path, write: Callable[[TextIO], None], *, encoding: str = "utf-8") -> None:
    """Write a file atomically: a temporary file beside the target, renamed over it, so a crash
    never leaves half a file."""
    # Beside the target, so os.replace is a rename within one file system; opened like any new
    # file (not mkstemp's owner-only mode), so buyers who can read the folder can read it.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("x", encoding=encoding, newline="") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)  # os.replace: atomic on POSIX and Windows
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
