"""What the ledger raises. Every error names the item (flow, target, key) so that a log line
alone explains it.

LedgerError
├── SchemaVersionError       the database was written by a newer version of the suite
├── ItemNotFoundError        no such (flow, target, item_key) was ever registered
├── IllegalTransitionError   the move is not in the state table, or lacks what it must record
├── NotHolderError           the caller's run does not hold the item (another run claimed it)
└── ReferenceConflictError   the item is already linked to a different reference
"""

from __future__ import annotations

from rpa.ledger.scope import ItemScope


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


class SchemaUpgradeNeededError(LedgerError):
    """A read-only opening found an older schema, which only a writable opening upgrades."""

    def __init__(self, url: str, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"The ledger {url} has schema version {found}, older than this release's "
            f"{supported}, and is opened read-only here: it must be opened once by this release "
            "with write access (any 'rpa run', or 'rpa items list' on the writable home) before "
            "it can be read without writing."
        )


class _ItemError(LedgerError):
    """An error about one work item: its flow, target and key are kept as attributes."""

    def __init__(self, scope: ItemScope, item_key: str, text: str) -> None:
        self.scope = scope
        self.flow = scope.flow
        self.target = scope.target
        self.item_key = item_key
        super().__init__(text)


class ItemNotFoundError(_ItemError):
    """The item was never registered (under this target)."""

    def __init__(self, scope: ItemScope, item_key: str) -> None:
        super().__init__(scope, item_key, f"No work item {item_key!r} is registered for {scope}.")


class IllegalTransitionError(_ItemError):
    """The requested move is not allowed from the item's current state."""

    def __init__(
        self, scope: ItemScope, item_key: str, from_state: str, to_state: str, why: str
    ) -> None:
        self.from_state = str(from_state)
        self.to_state = str(to_state)
        super().__init__(
            scope,
            item_key,
            f"Work item {item_key!r} of {scope} cannot move from '{from_state}' "
            f"to '{to_state}': {why}",
        )


class NotHolderError(_ItemError):
    """The run asking for a transition is not the run that claimed the item."""

    def __init__(self, scope: ItemScope, item_key: str, holder: str | None, caller: str) -> None:
        self.holder = holder
        self.caller = caller
        super().__init__(
            scope,
            item_key,
            f"Work item {item_key!r} of {scope} is held by run {holder!r}, "
            f"not by run {caller!r}; claim it before changing it.",
        )


class ReferenceConflictError(_ItemError):
    """A second reference (order number, supplier number) for one item: a duplicate record
    may exist in Oracle."""

    def __init__(self, scope: ItemScope, item_key: str, recorded: str, given: str) -> None:
        self.recorded = recorded
        self.given = given
        super().__init__(
            scope,
            item_key,
            f"Work item {item_key!r} of {scope} is already linked to reference {recorded!r}; "
            f"refusing to link it to {given!r} (a duplicate may exist in Oracle).",
        )
