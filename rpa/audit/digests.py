"""Digests: periodic seals over the audit chain, with the hashes of a run's evidence files.

A digest is written when a run ends (and when retention prunes files). It records the chain's
head at that moment (the last event's ``seq`` and hash), the range of events since the previous
digest, the run's own first and last event and how many it had, and the SHA-256 of every
evidence file of the run. Digests are chained to each other by hash, like the events, and each
is also written as a JSON file under ``<logs>/audit/digests/``: a copy outside the database
that an auditor can take away (see ``docs/audit.md``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from rpa.audit.evidence import EvidenceFile
from rpa.ledger.canonical import canonical_json, digest_hash, utc_text
from rpa.ledger.chain import lock_chain_head
from rpa.ledger.schema import audit_digests, audit_events, audit_head, utc_now

DIGESTS_DIR = Path("audit") / "digests"


@dataclass(frozen=True)
class Digest:
    """One digest, as stored."""

    digest_no: int
    at: datetime
    reason: str  # "run" or "prune"
    run_id: str | None
    first_seq: int
    last_seq: int
    head_hash: str
    run_first_seq: int | None
    run_last_seq: int | None
    run_event_count: int | None
    evidence: tuple[EvidenceFile, ...]
    prev_digest_hash: str
    digest_hash: str
    # The hash of every record first_seq..last_seq, in order; None in digests written before
    # digests held them (their hash does not cover the field, so they verify as they were).
    sealed_hashes: tuple[str, ...] | None = None

    def hashed_fields(self) -> dict[str, Any]:
        """The fields the digest hash covers, as hashed."""
        fields: dict[str, Any] = {
            "digest_no": self.digest_no,
            "at": utc_text(self.at),
            "reason": self.reason,
            "run_id": self.run_id,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "head_hash": self.head_hash,
            "run_first_seq": self.run_first_seq,
            "run_last_seq": self.run_last_seq,
            "run_event_count": self.run_event_count,
            "evidence": [e.as_dict() for e in self.evidence],
            "prev_digest_hash": self.prev_digest_hash,
        }
        if self.sealed_hashes is not None:
            fields["sealed_hashes"] = list(self.sealed_hashes)
        return fields

    def sealed_hash_of(self, seq: int) -> str | None:
        """The hash this digest sealed for record ``seq``, when it holds one."""
        if self.sealed_hashes is None or not self.first_seq <= seq <= self.last_seq:
            return None
        index = seq - self.first_seq
        return self.sealed_hashes[index] if index < len(self.sealed_hashes) else None

    def recomputed_hash(self) -> str:
        return digest_hash(self.hashed_fields())

    def as_dict(self) -> dict[str, Any]:
        """The digest as written to its file and printed by ``--json``."""
        return {**self.hashed_fields(), "digest_hash": self.digest_hash}

    @classmethod
    def from_row(cls, row: RowMapping) -> Digest:
        try:
            listed = json.loads(row["evidence"])
            evidence = tuple(EvidenceFile.from_dict(e) for e in listed)
        except (ValueError, KeyError, TypeError):
            evidence = (EvidenceFile("(unreadable evidence list)", "", 0),)
        sealed: tuple[str, ...] | None = None
        if row.get("sealed_hashes") is not None:
            try:
                sealed = tuple(str(h) for h in json.loads(row["sealed_hashes"]))
            except (ValueError, TypeError):
                sealed = ("(unreadable list of sealed hashes)",)
        names = [n for n in cls.__dataclass_fields__ if n not in ("evidence", "sealed_hashes")]
        return cls(evidence=evidence, sealed_hashes=sealed, **{n: row[n] for n in names})


def write_digest(
    conn: Connection,
    *,
    reason: str,
    run_id: str | None,
    evidence: Sequence[EvidenceFile] = (),
) -> Digest:
    """Seal the chain as it stands; call inside the write transaction that appended to it."""
    head = lock_chain_head(conn)
    run_first = run_last = run_count = None
    if run_id is not None:
        run_first, run_last, run_count = conn.execute(
            select(func.min(audit_events.c.seq), func.max(audit_events.c.seq), func.count()).where(
                audit_events.c.run_id == run_id
            )
        ).one()
    previous_last = conn.execute(
        select(audit_digests.c.last_seq).where(audit_digests.c.digest_no == head["digest_no"])
    ).scalar_one_or_none()
    first_seq = (previous_last or 0) + 1
    sealed_hashes = tuple(
        conn.execute(
            select(audit_events.c.hash)
            .where(audit_events.c.seq.between(first_seq, int(head["seq"])))
            .order_by(audit_events.c.seq)
        ).scalars()
    )
    digest = Digest(
        digest_no=int(head["digest_no"]) + 1,
        at=utc_now(),
        reason=reason,
        run_id=run_id,
        first_seq=first_seq,
        last_seq=int(head["seq"]),
        head_hash=head["hash"],
        run_first_seq=run_first,
        run_last_seq=run_last,
        run_event_count=run_count,
        evidence=tuple(sorted(evidence, key=lambda e: e.path)),
        prev_digest_hash=head["digest_hash"],
        digest_hash="",
        sealed_hashes=sealed_hashes,
    )
    sealed = Digest(**{**digest.__dict__, "digest_hash": digest.recomputed_hash()})
    values = sealed.hashed_fields()
    values.update(
        at=sealed.at,
        evidence=canonical_json(values["evidence"]),
        sealed_hashes=canonical_json(values["sealed_hashes"]),
        digest_hash=sealed.digest_hash,
    )
    conn.execute(insert(audit_digests).values(**values))
    conn.execute(
        update(audit_head)
        .where(audit_head.c.id == 1)
        .values(
            digest_no=sealed.digest_no,
            digest_hash=sealed.digest_hash,
        )
    )
    return sealed


def digest_file(logs_dir: Path, digest_no: int) -> Path:
    """Where digest ``digest_no`` is written as a file."""
    return logs_dir / DIGESTS_DIR / f"digest-{digest_no:08d}.json"


def save_digest_file(logs_dir: Path, digest: Digest) -> Path:
    """Write the digest's file (after its transaction committed), atomically."""
    path = digest_file(logs_dir, digest.digest_no)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(
        json.dumps(digest.as_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    temporary.replace(path)
    return path


def read_digest_file(path: Path) -> dict[str, Any] | None:
    """A digest file's content, or None when it is missing or not a JSON object."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def digests_of(conn: Connection, run_id: str | None = None) -> list[Digest]:
    """All digests (or those of one run), oldest first."""
    stmt = select(audit_digests).order_by(audit_digests.c.digest_no)
    if run_id is not None:
        stmt = stmt.where(audit_digests.c.run_id == run_id)
    return [Digest.from_row(row) for row in conn.execute(stmt).mappings().all()]
