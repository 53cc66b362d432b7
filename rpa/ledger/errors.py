"""What the ledger raises. Every error names the item so that a log line alone explains it.

LedgerError
├── SchemaVersionError       the database was written by a newer version of the suite
├── ItemNotFoundError        no such (flow, item_key) was ever registered
├── IllegalTransitionError   the move is not in the state table, or lacks what it must record
├── NotHolderError           the caller's run does not hold the item (another run claimed it)
└── OrderNumberConflictError the item is already linked to a different order number
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of the ledger's errors."""


class SchemaVersionError(LedgerError):
    """The database's schema is newer than this code understands."""

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"The ledger database has schema version {found}, but this version of the suite "
            f"understands up to {supported}. Upgrade the suite before using this database."
        )


class ItemNotFoundError(LedgerError):
    """The item was never registered."""

    def __init__(self, flow: str, item_key: str) -> None:
        self.flow = flow
        self.item_key = item_key
        super().__init__(f"No work item {item_key!r} is registered for flow {flow!r}.")


class IllegalTransitionError(LedgerError):
    """The requested move is not allowed from the item's current state."""

    def __init__(self, flow: str, item_key: str, from_state: str, to_state: str, why: str) -> None:
        self.flow = flow
        self.item_key = item_key
        self.from_state = str(from_state)
        self.to_state = str(to_state)
        super().__init__(
            f"Work item {item_key!r} of flow {flow!r} cannot move from '{from_state}' "
            f"to '{to_state}': {why}"
        )


class NotHolderError(LedgerError):
    """The run asking for a transition is not the run that claimed the item."""

    def __init__(self, flow: str, item_key: str, holder: str | None, caller: str) -> None:
        self.flow = flow
        self.item_key = item_key
        self.holder = holder
        self.caller = caller
        super().__init__(
            f"Work item {item_key!r} of flow {flow!r} is held by run {holder!r}, "
            f"not by run {caller!r}; claim it before changing it."
        )


class OrderNumberConflictError(LedgerError):
    """A second order number for one item: a duplicate order may exist in Oracle."""

    def __init__(self, flow: str, item_key: str, recorded: str, given: str) -> None:
        self.flow = flow
        self.item_key = item_key
        self.recorded = recorded
        self.given = given
        super().__init__(
            f"Work item {item_key!r} of flow {flow!r} is already linked to order {recorded!r}; "
            f"refusing to link it to {given!r} (a duplicate order may exist in Oracle)."
        )
