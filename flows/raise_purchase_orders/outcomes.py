"""What became of each request in a run (statuses: :class:`flows.common.outcomes.ItemStatus`:
raised, duplicate, rejected or failed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.common.outcomes import ItemStatus


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
