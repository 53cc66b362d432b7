"""The ledger: exactly-once bookkeeping of work items, in SQLite or PostgreSQL.

Typical use by a flow (the states and rules are described in ``docs/ledger.md``)::

    ledger = Ledger(settings.effective_ledger_url)
    ledger.release_stale(FLOW, run_id=run_id)          # items whose run died -> abandoned
    reg = ledger.register(FLOW, request_id, source_file=..., content_hash=..., run_id=run_id)
    claim = ledger.claim(FLOW, request_id, run_id=run_id, worker="worker-1")
    if claim:
        if claim.outcome_unknown:
            ...                                         # search Oracle before acting
        ledger.transition(FLOW, request_id, ItemState.CREATED, run_id=run_id, po_number="1001")
"""

from rpa.ledger.errors import (
    IllegalTransitionError,
    ItemNotFoundError,
    LedgerError,
    NotHolderError,
    OrderNumberConflictError,
    SchemaVersionError,
)
from rpa.ledger.models import Claim, LedgerItem, Registration, Transition
from rpa.ledger.states import (
    ALLOWED_TRANSITIONS,
    CLAIMABLE_STATES,
    FINAL_STATES,
    HELD_STATES,
    ItemState,
    can_transition,
    is_final,
)
from rpa.ledger.store import Ledger

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CLAIMABLE_STATES",
    "FINAL_STATES",
    "HELD_STATES",
    "Claim",
    "IllegalTransitionError",
    "ItemNotFoundError",
    "ItemState",
    "Ledger",
    "LedgerError",
    "LedgerItem",
    "NotHolderError",
    "OrderNumberConflictError",
    "Registration",
    "SchemaVersionError",
    "Transition",
    "can_transition",
    "is_final",
]
