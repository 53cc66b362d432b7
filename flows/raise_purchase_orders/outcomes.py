"""What became of each request in a run, in the words of the results file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class ItemStatus(StrEnum):
    RAISED = "raised"  # this run raised it (or finished an order an earlier run had started)
    DUPLICATE = "duplicate"  # raised before this run: its existing number is reported
    REJECTED = "rejected"  # bad data or an Oracle rule: a person must act; final
    FAILED = "failed"  # a system failure outlasted the retries: picked up again next run


@dataclass
class ItemOutcome:
    request_id: str
    status: ItemStatus
    source_file: Path | None
    po_number: str | None = None
    message: str = ""
    failure_class: str | None = None
    attempts: int = 0
    evidence: list[Path] = field(default_factory=list)
    duration_s: float | None = None  # wall time a worker spent on it in this run

    def as_json(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "status": self.status.value,
            "po_number": self.po_number,
            "message": self.message,
            "file": self.source_file.name if self.source_file else None,
            "attempts": self.attempts,
            "duration_s": self.duration_s,
            "evidence": [str(p) for p in self.evidence],
        }
