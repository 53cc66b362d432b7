"""Appending to the audit chain, inside the caller's ledger transaction.

Every ledger change that matters to an auditor (an item registered, claimed or moved; a run
started or finished) appends one event in the same transaction as the change itself: both are
committed, or neither is. The append locks the one-row chain head first, so however many
threads and processes append at once, each event gets the next ``seq`` and links to the hash of
the event really written before it. The record and hash format is in ``docs/audit.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from rpa.ledger.canonical import GENESIS_HASH, canonical_json, event_hash, utc_text
from rpa.ledger.schema import audit_events, audit_head, utc_now
from rpa.redaction import redact, redact_text


@dataclass(frozen=True)
class ChainEvent:
    """One event of the audit chain, as stored."""

    seq: int
    at: datetime
    run_id: str | None
    flow: str | None
    kind: str
    subject: str | None
    reference: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    # The stored payload text when it is not valid JSON any more (someone edited it badly).
    unreadable_payload: str | None = None

    def hashed_fields(self) -> dict[str, Any]:
        """The fields the hash covers, as hashed (see :func:`rpa.ledger.canonical.event_hash`)."""
        return {
            "seq": self.seq,
            "at": utc_text(self.at),
            "run_id": self.run_id,
            "flow": self.flow,
            "kind": self.kind,
            "subject": self.subject,
            "reference": self.reference,
            "payload": self.payload if self.unreadable_payload is None else self.unreadable_payload,
            "prev_hash": self.prev_hash,
        }

    def recomputed_hash(self) -> str:
        """The hash this event's current content should have."""
        return event_hash(self.hashed_fields())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values, for ``--json`` output and auditors' exports."""
        return {**self.hashed_fields(), "hash": self.hash}

    @classmethod
    def from_row(cls, row: RowMapping) -> ChainEvent:
        text = row["payload"]
        payload: dict[str, Any] = {}
        unreadable = None
        try:
            parsed = json.loads(text)
        except ValueError:
            unreadable = text
        else:
            if isinstance(parsed, dict):
                payload = parsed
            else:
                unreadable = text
        return cls(
            seq=row["seq"],
            at=row["at"],
            run_id=row["run_id"],
            flow=row["flow"],
            kind=row["kind"],
            subject=row["subject"],
            reference=row["reference"],
            payload=payload,
            prev_hash=row["prev_hash"],
            hash=row["hash"],
            unreadable_payload=unreadable,
        )


def _json_safe(value: Any) -> Any:
    """``value`` with only what canonical JSON can hold: an append must never fail on data."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities have no JSON spelling
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def ensure_chain_head(conn: Connection) -> None:
    """Create the chain head row of an empty chain, if the database has none yet."""
    exists = conn.execute(select(audit_head.c.id).where(audit_head.c.id == 1)).first()
    if exists is None:
        conn.execute(
            insert(audit_head).values(
                id=1,
                seq=0,
                hash=GENESIS_HASH,
                digest_no=0,
                digest_hash=GENESIS_HASH,
                updated_at=utc_now(),
            )
        )


def lock_chain_head(conn: Connection) -> RowMapping:
    """The chain head, locked until the caller's transaction ends."""
    stmt = select(audit_head).where(audit_head.c.id == 1).with_for_update()
    head = conn.execute(stmt).mappings().first()
    if head is None:  # a database created before the chain existed, opened by a reader only
        ensure_chain_head(conn)
        head = conn.execute(stmt).mappings().one()
    return head


def append_event(
    conn: Connection,
    kind: str,
    payload: Mapping[str, Any],
    *,
    run_id: str | None,
    flow: str | None,
    subject: str | None = None,
    reference: str | None = None,
    at: datetime | None = None,
) -> ChainEvent:
    """Append one event after the current head; call inside a write transaction.

    The payload is redacted first (secret-looking keys and registered secret values become
    ``***``), so no password, cookie or token can enter the chain.
    """
    head = lock_chain_head(conn)
    # Through canonical text and back: the payload hashed is exactly what a verifier will read.
    text = canonical_json(_json_safe(redact(dict(payload))))
    event = ChainEvent(
        seq=int(head["seq"]) + 1,
        at=at or utc_now(),
        run_id=run_id,
        flow=flow,
        kind=str(kind),
        subject=None if subject is None else redact_text(str(subject)),
        reference=None if reference is None else redact_text(str(reference)),
        payload=json.loads(text),
        prev_hash=head["hash"],
        hash="",
    )
    digest = event.recomputed_hash()
    conn.execute(
        insert(audit_events).values(
            seq=event.seq,
            at=event.at,
            run_id=run_id,
            flow=flow,
            kind=event.kind,
            subject=event.subject,
            reference=event.reference,
            payload=text,
            prev_hash=event.prev_hash,
            hash=digest,
        )
    )
    conn.execute(
        update(audit_head)
        .where(audit_head.c.id == 1)
        .values(
            seq=event.seq,
            hash=digest,
            updated_at=utc_now(),
        )
    )
    return ChainEvent(**{**event.__dict__, "hash": digest})
