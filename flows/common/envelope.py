"""The one ``--json`` document every flow prints: the contract with scripts and the scheduler.

::

    {
      "schema_version": 1,
      "flow": "raise-purchase-orders",
      "mode": "run",                      # "run", "dry-run" or "plan"
      "run_id": "20261203T090000Z-ab12cd",
      "status": "partial",                # succeeded, partial, aborted, failed; planned, dry-run
      "exit_code": 3,                     # rpa.exit_codes
      "target": "https://ehxx.fa.em2.oraclecloud.com",  # the Oracle target id, or null
      "counts": {"raised": 4, "rejected": 1, ...},      # items by status
      "items": [{"subject": "REQ-2026-0042", "status": "raised", "reference": "1004542",
                 "message": "", "file": "orders.csv", "details": {...}}],
      "files": [{"file": "...", "refused": null, "results_file": "...", "archived_to": "..."}],
      "warnings": ["..."],
      "aborted": null,                    # why the run stopped early, or why it could not start
      "log_file": "<logs>/runs/<run_id>/events.jsonl"
    }

``subject`` is what the item is about (a request id, a supplier), ``reference`` what Oracle
knows it by (a PO number, a supplier number); ``details`` holds what only one flow has. A flow
may add keys of its own at the top level; the keys above are always there. A change that
removes or renames one of them raises ``schema_version``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SCHEMA_VERSION = 1

Mode = Literal["run", "dry-run", "plan"]


@dataclass(frozen=True)
class EnvelopeItem:
    """One item as the JSON shows it."""

    subject: str
    status: str
    reference: str | None = None
    message: str = ""
    file: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "status": str(self.status),
            "reference": self.reference,
            "message": self.message,
            "file": self.file,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class EnvelopeFile:
    """One input file: refused (with the reason), or where it and its results went."""

    file: str
    refused: str | None = None
    results_file: str | None = None
    archived_to: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "refused": self.refused,
            "results_file": self.results_file,
            "archived_to": self.archived_to,
        }


def json_envelope(
    *,
    flow: str,
    mode: Mode,
    run_id: str,
    status: str,
    exit_code: int,
    target: str | None,
    counts: Mapping[str, int],
    items: Sequence[EnvelopeItem],
    files: Sequence[EnvelopeFile] = (),
    warnings: Sequence[str] = (),
    aborted: str | None = None,
    log_file: Path | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The document, with the shared keys first and the flow's own (``extra``) after them."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "flow": flow,
        "mode": mode,
        "run_id": run_id,
        "status": str(status),
        "exit_code": exit_code,
        "target": target,
        "counts": dict(counts),
        "items": [item.as_json() for item in items],
        "files": [f.as_json() for f in files],
        "warnings": list(warnings),
        "aborted": aborted,
        "log_file": str(log_file) if log_file is not None else None,
    }
    for key, value in extra.items():
        if key in document:
            raise ValueError(f"a flow's own key {key!r} would hide a shared one")
        document[key] = value
    return document
