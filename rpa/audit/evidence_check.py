"""Checking evidence files against the hashes the trail recorded, allowing for retention.

A file recorded by an ``item.result`` event or sealed by a digest must still have the same
SHA-256. A missing file is fine only when an ``audit.pruned`` event recorded its deletion with
that same hash; a sealed run's evidence folder must not hold files that were never sealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rpa.audit.digests import Digest
from rpa.audit.evidence import files_in, locate, relative_name, run_evidence_dir
from rpa.audit.problems import Problem, ProblemKind, PrunedFile, record_label
from rpa.ledger.chain import ChainEvent
from rpa.ledger.event_kinds import EventKind
from rpa.run_record import run_dir

FileHasher = Callable[[Path], str]


@dataclass(frozen=True)
class RecordedEvidence:
    """One statement of the trail: file ``path`` had hash ``sha256``."""

    path: str
    sha256: str
    run_id: str | None
    source: str  # which record said so
    seq: int | None = None
    digest_no: int | None = None


def _listed(payload_evidence: Any) -> Iterable[tuple[str, str]]:
    if not isinstance(payload_evidence, list):
        return []
    return [
        (str(e.get("path")), str(e.get("sha256"))) for e in payload_evidence if isinstance(e, dict)
    ]


def recorded_evidence(
    events: Iterable[ChainEvent], digests: Iterable[Digest]
) -> list[RecordedEvidence]:
    """Every (file, hash) statement in the item results and digests given."""
    found: list[RecordedEvidence] = []
    for event in events:
        if event.kind == EventKind.ITEM_RESULT:
            for path, sha in _listed(event.payload.get("evidence")):
                found.append(
                    RecordedEvidence(
                        path,
                        sha,
                        event.run_id,
                        record_label(event.seq, event.run_id, event.kind),
                        seq=event.seq,
                    )
                )
    for digest in digests:
        for item in digest.evidence:
            found.append(
                RecordedEvidence(
                    item.path,
                    item.sha256,
                    digest.run_id,
                    f"digest {digest.digest_no}",
                    digest_no=digest.digest_no,
                )
            )
    return found


def prune_index(prune_events: Iterable[ChainEvent]) -> dict[str, PrunedFile]:
    """The files retention deleted, by path, from the ``audit.pruned`` events."""
    index: dict[str, PrunedFile] = {}
    for event in prune_events:
        files = event.payload.get("files")
        for entry in files if isinstance(files, list) else []:
            if isinstance(entry, dict) and "path" in entry:
                index[str(entry["path"])] = PrunedFile(
                    path=str(entry["path"]),
                    sha256=str(entry.get("sha256")),
                    size=int(entry.get("size") or 0),
                    category=str(entry.get("category")),
                    pruned_at=event.at.isoformat(),
                    seq=event.seq,
                )
    return index


def check_evidence(
    recorded: Sequence[RecordedEvidence],
    pruned: dict[str, PrunedFile],
    logs_dir: Path,
    file_hash: FileHasher,
) -> tuple[list[Problem], list[PrunedFile]]:
    """Problems with the recorded files, and the recorded files retention pruned legitimately."""
    problems: list[Problem] = []
    legitimately_pruned: dict[str, PrunedFile] = {}
    reported: set[str] = set()
    current: dict[str, str | None] = {}
    for item in recorded:
        if item.path not in current:
            path = locate(item.path, logs_dir)
            current[item.path] = file_hash(path) if path.is_file() else None
        now = current[item.path]
        if item.path in reported or now == item.sha256:
            continue
        gone = pruned.get(item.path)
        if now is None and gone is not None and gone.sha256 == item.sha256:
            legitimately_pruned[item.path] = gone
            continue
        reported.add(item.path)
        if now is not None:
            message = (
                f"evidence file {item.path} changed: its SHA-256 is {now[:12]}…, "
                f"{item.source} recorded {item.sha256[:12]}…"
            )
            kind = ProblemKind.EVIDENCE_CHANGED
        elif gone is not None:
            message = (
                f"evidence file {item.path} was changed before retention pruned it "
                f"(pruned with SHA-256 {gone.sha256[:12]}…, {item.source} recorded "
                f"{item.sha256[:12]}…)"
            )
            kind = ProblemKind.EVIDENCE_CHANGED
        else:
            message = (
                f"evidence file {item.path} is missing and no prune recorded its "
                f"deletion ({item.source} recorded it)"
            )
            kind = ProblemKind.EVIDENCE_MISSING
        problems.append(
            Problem(
                kind,
                message,
                seq=item.seq,
                run_id=item.run_id,
                path=item.path,
                digest_no=item.digest_no,
            )
        )
    return problems, sorted(legitimately_pruned.values(), key=lambda p: p.path)


def check_unsealed_files(
    sealed_runs: Iterable[str], recorded: Sequence[RecordedEvidence], logs_dir: Path
) -> list[Problem]:
    """Files in a sealed run's evidence folder that no record of the trail mentions."""
    known = {item.path for item in recorded}
    problems: list[Problem] = []
    for run_id in sorted(set(sealed_runs)):
        for path in files_in(run_evidence_dir(run_dir(logs_dir, run_id))):
            name = relative_name(path, logs_dir)
            if name not in known:
                problems.append(
                    Problem(
                        ProblemKind.EVIDENCE_ADDED,
                        f"evidence file {name} was added after run {run_id} was sealed",
                        run_id=run_id,
                        path=name,
                    )
                )
    return problems
