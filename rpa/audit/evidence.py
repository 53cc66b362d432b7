"""Evidence files: where they live, how they are named in the audit trail, and their hashes.

A run's evidence (confirmation screenshots; on failure a screenshot and a Playwright trace) is
kept under ``<logs>/runs/<run_id>/evidence/``. The audit trail names each file by its path
relative to the logs directory, so the whole logs directory can be moved or restored elsewhere
and still be verified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from rpa.ledger.canonical import sha256_file

EVIDENCE_DIR = "evidence"


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file as the audit trail recorded it."""

    path: str  # relative to the logs directory, with forward slashes (absolute if outside it)
    sha256: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> EvidenceFile:
        return cls(str(values["path"]), str(values["sha256"]), int(values["size"]))

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def relative_name(path: Path, logs_dir: Path) -> str:
    """How the audit trail names ``path``: relative to the logs directory when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(logs_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def describe(path: Path, logs_dir: Path) -> EvidenceFile:
    """Name, hash and size of an existing evidence file."""
    return EvidenceFile(relative_name(path, logs_dir), sha256_file(path), path.stat().st_size)


def describe_all(paths: Iterable[Path], logs_dir: Path) -> list[EvidenceFile]:
    """Each existing file of ``paths`` described once, sorted by name; missing ones skipped."""
    seen: dict[str, EvidenceFile] = {}
    for path in paths:
        if path.is_file():
            described = describe(path, logs_dir)
            seen[described.path] = described
    return [seen[name] for name in sorted(seen)]


def locate(name: str, logs_dir: Path) -> Path:
    """The file the audit trail calls ``name``."""
    candidate = Path(name)
    return candidate if candidate.is_absolute() else logs_dir / candidate


def served_evidence(logs_dir: Path, name: str) -> Path | None:
    """The evidence file ``name`` (``runs/<run_id>/evidence/...``, relative to the logs
    directory) when it is a regular file inside that run's evidence folder, else None.

    ``name`` is checked segment by segment before the file system is asked anything: no empty,
    ``.`` or ``..`` segment, no backslash, NUL or leading slash. The resolved file must still lie
    under ``<logs>/runs/<run_id>/evidence/``, so a symbolic link cannot lead out of it either
    (not to the run record, the run's log, the audit digests, or anything beyond the logs).
    """
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return None
    if len(parts) < 4 or parts[0] != "runs" or parts[2] != EVIDENCE_DIR:
        return None
    folder = logs_dir.resolve() / "runs" / parts[1] / EVIDENCE_DIR
    target = (folder / "/".join(parts[3:])).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        return None
    return target


def run_evidence_dir(run_dir: Path) -> Path:
    """The folder of one run's evidence files."""
    return run_dir / EVIDENCE_DIR


def files_in(folder: Path) -> list[Path]:
    """Every regular file under ``folder`` (none when it does not exist), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".tmp"))
