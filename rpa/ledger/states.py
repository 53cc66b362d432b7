"""The states of a work item and the moves allowed between them.

A work item is one unit a flow must do exactly once in Oracle (one purchase request, one
supplier change). Its state says how far it got, as far as the ledger knows. The words are the
ledger's own, the same for every flow; each flow maps them to its own (a purchase order is
"raised" when its item is ``done``)::

    pending --claim--> in_progress --> created --> submitting --> done  (final)
    in_progress, created, submitting --> rejected  (final)
    in_progress, created, submitting --> failed
    in_progress, created --> done  (resumed: Oracle already shows the work finished)
    submitting --> created  (a search showed the record still Incomplete)
    failed, abandoned --claim--> in_progress
    rejected --resend--> pending  (sent again by a person; a failed item resent stays failed)
    in_progress, created, submitting --release_stale--> abandoned  (the holding run died)
    in_progress, created, submitting --release_claim--> abandoned  (the holding run stopped
                                                        for a reason not the item's)

``failed`` and ``abandoned`` are claimable again by a later run. Whenever an item is claimed from
any state but ``pending``, something may already have happened in Oracle, so the flow must search
Oracle before acting (see :attr:`rpa.ledger.models.Claim.outcome_unknown`).
"""

from __future__ import annotations

from enum import StrEnum

from rpa.ledger.errors import IllegalTransitionError
from rpa.ledger.scope import ItemScope


class ItemState(StrEnum):
    """Where a work item stands. Stored as its value; never rename a member's value."""

    PENDING = "pending"  # registered; nothing done in Oracle
    IN_PROGRESS = "in_progress"  # claimed by a worker, which may be creating the record
    CREATED = "created"  # a record exists in Oracle but is unfinished; its reference is known
    SUBMITTING = "submitting"  # submit clicked; outcome unknown until confirmed
    # Finished in Oracle and its reference read back. Databases of schema version 2 stored
    # "raised" here; the upgrade to 3 rewrites it (Ledger._create_schema).
    DONE = "done"
    REJECTED = "rejected"  # business failure (bad data or an Oracle rule): a person must act
    FAILED = "failed"  # system failure after all retries of one run; the next run retries
    # Its run died, or stopped for a reason not the item's, mid-item; the outcome in Oracle is
    # unknown until searched.
    ABANDONED = "abandoned"


FINAL_STATES: frozenset[ItemState] = frozenset({ItemState.DONE, ItemState.REJECTED})

# States an item may be sent again from (Ledger.resend): a rejected item is final for the run
# that rejected it, not for a person who fixed the cause and sends it again.
RESENDABLE_STATES: frozenset[ItemState] = frozenset({ItemState.REJECTED, ItemState.FAILED})

# States a worker may claim an item from (the claim moves it to in_progress).
CLAIMABLE_STATES: frozenset[ItemState] = frozenset(
    {ItemState.PENDING, ItemState.FAILED, ItemState.ABANDONED}
)

# States in which a live worker holds the item; if that worker's run died, the item is stale.
HELD_STATES: frozenset[ItemState] = frozenset(
    {ItemState.IN_PROGRESS, ItemState.CREATED, ItemState.SUBMITTING}
)

# Moves made with Ledger.transition(), by the worker holding the item. Entering in_progress is
# only possible through claim() (an atomic compare-and-set), entering abandoned only through
# release_stale() or release_claim(): neither is a step a worker takes on its own item.
ALLOWED_TRANSITIONS: dict[ItemState, frozenset[ItemState]] = {
    ItemState.PENDING: frozenset(),
    ItemState.IN_PROGRESS: frozenset(
        {
            ItemState.CREATED,
            # a resumed item whose record Oracle already shows as finished
            ItemState.DONE,
            ItemState.REJECTED,
            ItemState.FAILED,
        }
    ),
    ItemState.CREATED: frozenset(
        {ItemState.SUBMITTING, ItemState.DONE, ItemState.REJECTED, ItemState.FAILED}
    ),
    ItemState.SUBMITTING: frozenset(
        {
            ItemState.DONE,
            # Oracle refused the submit (a rule), or a search showed the record still Incomplete
            ItemState.REJECTED,
            ItemState.CREATED,
            ItemState.FAILED,
        }
    ),
    ItemState.DONE: frozenset(),
    ItemState.REJECTED: frozenset(),
    ItemState.FAILED: frozenset(),
    ItemState.ABANDONED: frozenset(),
}

# States that need something recorded with them, so the ledger can answer later questions.
NEEDS_REFERENCE: frozenset[ItemState] = frozenset(
    {ItemState.CREATED, ItemState.SUBMITTING, ItemState.DONE}
)
NEEDS_MESSAGE: frozenset[ItemState] = frozenset({ItemState.REJECTED, ItemState.FAILED})


def is_final(state: ItemState) -> bool:
    """True when nothing may ever happen to the item again."""
    return state in FINAL_STATES


def can_transition(from_state: ItemState, to_state: ItemState) -> bool:
    """True when :meth:`Ledger.transition` accepts this move."""
    return to_state in ALLOWED_TRANSITIONS[from_state]


def check_move(scope: ItemScope, item_key: str, current: ItemState, to_state: ItemState) -> None:
    """Raise :class:`IllegalTransitionError` unless ``transition()`` may make this move."""
    if to_state is ItemState.IN_PROGRESS:
        why = "an item enters in_progress only through claim()"
    elif to_state is ItemState.ABANDONED:
        why = "an item is abandoned only by release_stale() or release_claim()"
    elif to_state in ALLOWED_TRANSITIONS[current]:
        return
    elif not ALLOWED_TRANSITIONS[current] and current in CLAIMABLE_STATES:
        why = "the item is not claimed; claim it first"
    elif not ALLOWED_TRANSITIONS[current]:
        why = "the item is final"
    else:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current]))
        why = f"from {current.value} only {allowed} may follow"
    raise IllegalTransitionError(scope, item_key, current, to_state, why)
