"""Reading item rows and appending history rows, inside a caller's transaction.

Each history row is mirrored by an event in the audit chain, in the same transaction, so the
audit trail records every state change the ledger records and nothing else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select

from rpa.ledger.chain import append_event
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import transitions, utc_now, work_items
from rpa.ledger.scope import ItemScope
from rpa.ledger.states import ItemState


def select_item(
    conn: Connection, scope: ItemScope, item_key: str, *, for_update: bool = False
) -> RowMapping | None:
    """The item's row, or None; ``for_update`` locks it until the transaction ends."""
    stmt = select(work_items).where(
        work_items.c.flow == scope.flow,
        work_items.c.target == scope.target,
        work_items.c.item_key == item_key,
    )
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).mappings().first()


def select_item_by_id(conn: Connection, item_id: int) -> RowMapping:
    """The row of an item known to exist."""
    return conn.execute(select(work_items).where(work_items.c.id == item_id)).mappings().one()


def append_history(
    conn: Connection,
    item_id: int,
    scope: ItemScope,
    item_key: str,
    from_state: ItemState | None,
    to_state: ItemState,
    **details: Any,
) -> None:
    """Record one move of an item; ``details`` are the other transitions columns."""
    details.setdefault("at", utc_now())
    append_event(
        conn,
        EventKind.ITEM_TRANSITION,
        {
            "from_state": None if from_state is None else from_state.value,
            "to_state": to_state.value,
            # The event's own columns have no room for the target; without it an auditor could
            # not tell a sandbox item from the production item with the same key.
            "target": scope.target,
            **{
                k: details.get(k)
                for k in ("worker", "reference", "message", "failure_class", "attempt")
            },
        },
        run_id=details.get("run_id"),
        flow=scope.flow,
        subject=item_key,
        reference=details.get("reference"),
        at=details["at"],
    )
    conn.execute(
        insert(transitions).values(
            item_id=item_id,
            flow=scope.flow,
            target=scope.target,
            item_key=item_key,
            from_state=None if from_state is None else from_state.value,
            to_state=to_state.value,
            **details,
        )
    )
