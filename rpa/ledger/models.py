"""What the ledger hands back: immutable snapshots of rows, never live objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping

from rpa.ledger.scope import ItemScope
from rpa.ledger.states import ItemState, is_final


@dataclass(frozen=True)
class LedgerItem:
    """One work item as the ledger last recorded it."""

    flow: str
    target: str  # the Oracle it belongs to (see rpa.ledger.scope)
    item_key: str
    state: ItemState
    source_file: str | None
    content_hash: str | None
    content: str | None  # canonical JSON of what arrived last (None before schema version 4)
    reference: str | None  # what Oracle gave back: an order number, a supplier number
    message: str | None
    failure_class: str | None
    run_id: str | None  # the run holding the item, or the last run that changed it
    worker: str | None
    claim_count: int
    registered_run_id: str | None
    registered_at: datetime
    updated_at: datetime
    claimed_at: datetime | None

    @property
    def scope(self) -> ItemScope:
        return ItemScope(self.flow, self.target)

    @property
    def is_final(self) -> bool:
        """True once the item is done or rejected: no run may touch it again."""
        return is_final(self.state)

    @classmethod
    def from_row(cls, row: RowMapping) -> LedgerItem:
        values: dict[str, Any] = {name: row[name] for name in cls.__dataclass_fields__}
        values["state"] = ItemState(row["state"])
        return cls(**values)


@dataclass(frozen=True)
class Transition:
    """One recorded change of an item's state (``from_state`` is None for its registration)."""

    flow: str
    target: str
    item_key: str
    from_state: ItemState | None
    to_state: ItemState
    at: datetime
    run_id: str | None
    worker: str | None
    reference: str | None
    message: str | None
    failure_class: str | None
    attempt: int | None

    @classmethod
    def from_row(cls, row: RowMapping) -> Transition:
        values: dict[str, Any] = {name: row[name] for name in cls.__dataclass_fields__}
        values["from_state"] = ItemState(row["from_state"]) if row["from_state"] else None
        values["to_state"] = ItemState(row["to_state"])
        return cls(**values)


@dataclass(frozen=True)
class Registration:
    """The answer to :meth:`Ledger.register`: the item, and what the registration found."""

    item: LedgerItem
    is_new: bool  # False: the item was already known, and is returned unchanged
    content_changed: bool  # known item whose recorded content hash differs from the given one


@dataclass(frozen=True)
class Claim:
    """A won claim: the item (now in_progress, held by the claiming run) and where it came from.

    A lost claim is ``None``, so ``if ledger.claim(...):`` reads naturally.
    """

    item: LedgerItem
    previous_state: ItemState

    @property
    def outcome_unknown(self) -> bool:
        """True unless the item was untouched (pending): Oracle must be searched before acting.

        A failed or abandoned item may already have a record in Oracle (its reference is in
        ``item.reference`` when the ledger learnt it, but a crash can come before that).
        """
        return self.previous_state is not ItemState.PENDING
