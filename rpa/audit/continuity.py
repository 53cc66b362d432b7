"""Is the ledger the one the digest files were written from, and not an older copy of it?

Every digest is also a file under ``<logs>/audit/digests/``. A digest file numbered beyond the
last digest the ledger holds can only mean that the ledger lost what it once held: the
database was deleted (a new, empty one has no digests at all) or put back from an older copy.
Verification reports it, and a run refuses to start over it, since its first digest would
overwrite a file that seals records the ledger no longer has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rpa.audit.anchors import AnchorFile
from rpa.audit.digests import DIGESTS_DIR, read_digest_file
from rpa.audit.problems import Problem, ProblemKind

_DIGEST_FILE = re.compile(r"digest-(\d{8})\.json")


class TrailContinuityError(RuntimeError):
    """The ledger is behind the digest files beside it: nothing may be appended to it."""


@dataclass(frozen=True)
class DigestFilesAhead:
    """Digest files beyond the ledger's last digest, and the furthest record they seal."""

    first_no: int
    last_no: int
    last_seq: int | None  # the highest record sealed, when the last file is readable
    last_at: str | None

    @property
    def numbers(self) -> str:
        if self.first_no == self.last_no:
            return f"digest {self.first_no}"
        return f"digests {self.first_no}–{self.last_no}"


def digest_file_numbers(logs_dir: Path) -> list[int]:
    """The numbers of the digest files in ``<logs>/audit/digests/``, ascending."""
    folder = logs_dir / DIGESTS_DIR
    if not folder.is_dir():
        return []
    found = (_DIGEST_FILE.fullmatch(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def files_ahead(logs_dir: Path, ledger_digest_no: int) -> DigestFilesAhead | None:
    """The digest files numbered beyond ``ledger_digest_no``, or None when there are none."""
    ahead = [n for n in digest_file_numbers(logs_dir) if n > ledger_digest_no]
    if not ahead:
        return None
    content = read_digest_file(logs_dir / DIGESTS_DIR / f"digest-{ahead[-1]:08d}.json") or {}
    last_seq = content.get("last_seq")
    at = content.get("at")
    return DigestFilesAhead(
        ahead[0],
        ahead[-1],
        last_seq if isinstance(last_seq, int) else None,
        at if isinstance(at, str) else None,
    )


def _sealing(ahead: DigestFilesAhead) -> str:
    verb = "seals" if ahead.first_no == ahead.last_no else "seal"
    sealed = f" {verb} records up to seq {ahead.last_seq}" if ahead.last_seq is not None else ""
    when = (
        f" (the last written {ahead.last_at[:19].replace('T', ' ')} UTC)" if ahead.last_at else ""
    )
    return f"{ahead.numbers}{sealed}{when}"


def rollback_problem(
    ahead: DigestFilesAhead, *, head_seq: int, head_digest_no: int, logs_dir: Path
) -> Problem:
    """Verification's problem for a ledger behind its digest files."""
    folder = logs_dir / DIGESTS_DIR
    if head_digest_no == 0 and head_seq == 0:
        what = "the ledger holds no audit trail at all: it was deleted and made anew"
    else:
        what = (
            f"the ledger ends at digest {head_digest_no} and seq {head_seq}: it was put back "
            "from an older copy, or records and digests were removed from its end"
        )
    return Problem(
        ProblemKind.ROLLED_BACK,
        f"{_sealing(ahead)} in {folder}, but {what}",
        seq=ahead.last_seq,
        digest_no=ahead.first_no,
    )


def missing_ledger_problem(
    ledger_path: Path, logs_dir: Path, anchors: Sequence[AnchorFile] = ()
) -> Problem | None:
    """Verification's problem for a ledger file that is gone while digest files or anchors
    say a trail was written; None when nothing says so (a new installation)."""
    ahead = files_ahead(logs_dir, 0)
    if ahead is not None:
        evidence = f"{_sealing(ahead)} in {logs_dir / DIGESTS_DIR}"
        seq, digest_no = ahead.last_seq, ahead.first_no
    else:
        furthest = _furthest(anchors)
        if furthest is None:
            return None
        evidence = f"{furthest.path} anchors a chain of {furthest.seq} records"
        seq, digest_no = furthest.seq, None
    return Problem(
        ProblemKind.LEDGER_MISSING,
        f"the ledger {ledger_path} does not exist, but {evidence}: the ledger was deleted or moved",
        seq=seq,
        digest_no=digest_no,
    )


@dataclass(frozen=True)
class _Furthest:
    path: Path
    seq: int


def _furthest(anchors: Sequence[AnchorFile]) -> _Furthest | None:
    readable = [(a.anchor.seq, a.path) for a in anchors if a.anchor is not None]
    if not readable or max(readable)[0] == 0:
        return None
    seq, path = max(readable)
    return _Furthest(path, seq)


def refuse_if_behind(
    logs_dir: Path,
    *,
    ledger: str,
    head_seq: int,
    head_digest_no: int,
    anchors: Sequence[AnchorFile] = (),
) -> None:
    """Raise :class:`TrailContinuityError` when digest files or anchors are ahead of the
    ledger."""
    ahead = files_ahead(logs_dir, head_digest_no)
    furthest = _furthest(anchors)
    if ahead is not None:
        evidence = f"{_sealing(ahead)} in {logs_dir / DIGESTS_DIR}"
    elif furthest is not None and furthest.seq > head_seq:
        evidence = f"{furthest.path} anchors a chain of {furthest.seq} records"
    else:
        return
    ledger = ledger.removeprefix("sqlite:///")  # a SQLite ledger is named by its file
    state = (
        "holds no audit trail"
        if head_seq == 0
        else f"ends at digest {head_digest_no} (seq {head_seq})"
    )
    raise TrailContinuityError(
        f"The ledger {ledger} {state}, but {evidence}: it was deleted or put back from an "
        "older copy, so nothing may be added to it. Restore the latest ledger from backup; "
        "to start a new trail on purpose, see 'Starting a new trail' in docs/audit.md."
    )
