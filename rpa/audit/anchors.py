"""Anchors: the chain head, written where the bot's host cannot change it.

Someone who can write to both the ledger and the logs directory can rewrite the whole trail
consistently — every record, every digest and every digest file — or put back an older copy
of all of it. What they cannot rewrite is a copy of the chain head kept elsewhere: on
write-once storage or the audit team's share. An anchor is that copy: the head's ``seq`` and
hash, the last digest's number and hash, and when it was taken. ``rpa audit verify --anchor``
proves the chain still extends every anchor: the record at the anchored ``seq`` still has the
anchored hash (so nothing up to it was rewritten) and the ledger reaches that far (so it was
not rolled back).

An anchor file is written once and never replaced: its name holds the time and ``seq``, and it
is created exclusively.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from rpa.audit.problems import Problem, ProblemKind, record_label
from rpa.ledger.canonical import utc_text
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import audit_digests, audit_events, audit_head, utc_now

ANCHOR_FORMAT = "myoracle-rpa audit anchor 1"
ANCHOR_GLOB = "anchor-*.json"


@dataclass(frozen=True)
class Anchor:
    """The chain head at one moment."""

    seq: int
    hash: str
    digest_no: int
    digest_hash: str
    at: str  # UTC, ISO 8601
    host: str
    ledger: str  # the ledger's URL, without any password

    def as_dict(self) -> dict[str, Any]:
        return {"format": ANCHOR_FORMAT, **asdict(self)}

    @property
    def file_name(self) -> str:
        stamp = datetime.fromisoformat(self.at).astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        return f"anchor-{stamp}-seq{self.seq:08d}.json"

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Anchor:
        if values.get("format") != ANCHOR_FORMAT:
            raise ValueError(f"not an anchor file (format {values.get('format')!r})")
        return cls(
            seq=int(values["seq"]),
            hash=str(values["hash"]),
            digest_no=int(values["digest_no"]),
            digest_hash=str(values["digest_hash"]),
            at=str(values["at"]),
            host=str(values.get("host", "")),
            ledger=str(values.get("ledger", "")),
        )


def current_anchor(engine: Engine, ledger_name: str, now: datetime | None = None) -> Anchor:
    """The chain head as it stands (reads only)."""
    with read_transaction(engine) as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).mappings().first()
    return Anchor(
        seq=int(head["seq"]) if head else 0,
        hash=head["hash"] if head else "0" * 64,
        digest_no=int(head["digest_no"]) if head else 0,
        digest_hash=head["digest_hash"] if head else "0" * 64,
        at=utc_text(now or utc_now()),
        host=socket.gethostname(),
        ledger=ledger_name,
    )


def write_anchor(anchor: Anchor, folder: Path) -> Path:
    """Write ``anchor`` as a new file in ``folder``; an existing file is never replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / anchor.file_name
    text = json.dumps(anchor.as_dict(), indent=2, sort_keys=True) + "\n"
    # "x": created exclusively, so a second anchor of the same moment cannot replace the first.
    with path.open("x", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return path


@dataclass(frozen=True)
class AnchorFile:
    """One anchor file as read: its anchor, or why it could not be read."""

    path: Path
    anchor: Anchor | None
    error: str | None = None


def read_anchors(locations: Iterable[Path]) -> list[AnchorFile]:
    """The anchors in each location: an anchor file, or a folder of them (``anchor-*.json``)."""
    found: list[AnchorFile] = []
    for location in locations:
        paths = sorted(location.glob(ANCHOR_GLOB)) if location.is_dir() else [location]
        for path in paths:
            try:
                found.append(AnchorFile(path, Anchor.from_dict(json.loads(path.read_text()))))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                found.append(AnchorFile(path, None, reason))
    return found


def check_anchors(engine: Engine, anchors: Sequence[AnchorFile]) -> list[Problem]:
    """Problems of the chain against each anchor: it must reach, and still hold, every one."""
    problems: list[Problem] = []
    with read_transaction(engine) as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).mappings().first()
        head_seq = int(head["seq"]) if head else 0
        for found in anchors:
            anchor = found.anchor
            if anchor is None:
                problems.append(
                    Problem(
                        ProblemKind.ANCHOR_MISMATCH,
                        f"anchor {found.path} cannot be read ({found.error}): it was damaged, "
                        "or is not an anchor file",
                    )
                )
                continue
            taken = f"anchor {found.path.name} (taken {anchor.at[:19].replace('T', ' ')} UTC)"
            if anchor.seq > head_seq:
                problems.append(
                    Problem(
                        ProblemKind.ROLLED_BACK,
                        f"{taken} records the chain up to seq {anchor.seq}, but the ledger ends "
                        f"at seq {head_seq}: it was put back from an older copy, or records "
                        "were removed from its end",
                        seq=head_seq + 1,
                    )
                )
                continue
            if anchor.seq > 0:
                row = conn.execute(
                    select(audit_events.c.hash, audit_events.c.run_id, audit_events.c.kind).where(
                        audit_events.c.seq == anchor.seq
                    )
                ).first()
                if row is None or row.hash != anchor.hash:
                    label = (
                        record_label(anchor.seq, row.run_id, row.kind)
                        if row is not None
                        else f"seq {anchor.seq}"
                    )
                    now = f"now {row.hash[:12]}…" if row is not None else "now missing"
                    problems.append(
                        Problem(
                            ProblemKind.ANCHOR_MISMATCH,
                            f"{label} is not the record {taken} holds (hash "
                            f"{anchor.hash[:12]}…, {now}): the chain up to seq {anchor.seq} "
                            "was rewritten since",
                            seq=anchor.seq,
                        )
                    )
            if anchor.digest_no > 0:
                digest_hash = conn.execute(
                    select(audit_digests.c.digest_hash).where(
                        audit_digests.c.digest_no == anchor.digest_no
                    )
                ).scalar_one_or_none()
                if digest_hash != anchor.digest_hash:
                    problems.append(
                        Problem(
                            ProblemKind.ANCHOR_MISMATCH,
                            f"digest {anchor.digest_no} is not the one {taken} holds: the "
                            "digests were "
                            + ("deleted" if digest_hash is None else "rewritten")
                            + " since",
                            digest_no=anchor.digest_no,
                        )
                    )
    return problems
