"""What a verification of the audit trail can find, in words an auditor can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class ProblemKind(StrEnum):
    """The kinds of damage verification tells apart."""

    EDITED = "edited"  # a record's content no longer matches its hash
    DELETED = "deleted"  # records missing from the chain
    INSERTED = "inserted"  # a record the suite never wrote there
    REORDERED = "reordered"  # a record moved from where it was written
    DIGEST_EDITED = "digest_edited"  # a digest changed, or its file disagrees with the database
    DIGEST_DELETED = "digest_deleted"  # a digest (or its file) is missing
    DIGEST_MISMATCH = "digest_mismatch"  # the chain no longer matches what a digest sealed
    EVIDENCE_CHANGED = "evidence_changed"  # an evidence file's bytes changed
    EVIDENCE_MISSING = "evidence_missing"  # an evidence file is gone, and no prune covers it
    EVIDENCE_ADDED = "evidence_added"  # a file in a sealed run's evidence folder was never sealed
    ROLLED_BACK = "rolled_back"  # digest files seal more than the ledger holds: an older copy
    LEDGER_MISSING = "ledger_missing"  # the ledger file is gone, its digest files remain
    STATE_DIFFERS = "state_differs"  # a table or run.json says other than the chain recorded
    ANCHOR_MISMATCH = "anchor_mismatch"  # the chain does not extend a head anchored elsewhere


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the trail; ``message`` names the record or file precisely."""

    kind: ProblemKind
    message: str
    seq: int | None = None  # the chain record concerned
    run_id: str | None = None
    event_kind: str | None = None
    path: str | None = None  # the evidence file, relative to the logs directory
    digest_no: int | None = None

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["kind"] = self.kind.value
        return values


@dataclass(frozen=True)
class PrunedFile:
    """A file the retention period deleted, as the prune event recorded it."""

    path: str
    sha256: str
    size: int
    category: str  # "evidence" or "debug_log"
    pruned_at: str  # UTC ISO 8601
    seq: int  # the audit.pruned event

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def record_label(seq: int, run_id: str | None, kind: str | None) -> str:
    """How a chain record is named in messages: ``seq 42 (run 2026…-ab12cd, item.result)``."""
    details = ", ".join(p for p in (f"run {run_id}" if run_id else None, kind) if p)
    return f"seq {seq} ({details})" if details else f"seq {seq}"
