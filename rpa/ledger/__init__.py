"""The ledger: exactly-once bookkeeping of work items, in SQLite or PostgreSQL.

Items are keyed by flow, Oracle target and key (:class:`ItemScope` holds the first two), so work
done in a sandbox never counts as done in production. Typical use by a flow (the states and
rules are described in ``docs/ledger.md``)::

    ledger = Ledger(settings.effective_ledger_url)
    scope = ItemScope(FLOW, target.target_id)
    ledger.release_stale(scope, run_id=run_id)          # items whose run died -> abandoned
    reg = ledger.register(scope, request_id, source_file=..., content_hash=..., run_id=run_id)
    claim = ledger.claim(scope, request_id, run_id=run_id, worker="worker-1")
    if claim:
        if claim.outcome_unknown:
            ...                                         # search Oracle before acting
        ledger.transition(scope, request_id, ItemState.CREATED, run_id=run_id, reference="1001")
        # or, when the run must stop with it in hand (a refused sign-in): claimable again
        ledger.release_claim(scope, request_id, run_id=run_id, reason="sign-in refused")
"""

from rpa.ledger.errors import (
    IllegalTransitionError,
    ItemNotFoundError,
    LedgerError,
    NotHolderError,
    ReferenceConflictError,
    SchemaUpgradeNeededError,
    SchemaVersionError,
)
from rpa.ledger.models import Claim, LedgerItem, Registration, Transition
from rpa.ledger.scope import ItemScope
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
    "ItemScope",
    "ItemState",
    "Ledger",
    "LedgerError",
    "LedgerItem",
    "NotHolderError",
    "ReferenceConflictError",
    "Registration",
    "SchemaUpgradeNeededError",
    "SchemaVersionError",
    "Transition",
    "can_transition",
    "is_final",
]
