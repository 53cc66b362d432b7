"""The flow's view of the ledger: each planned change to a supplier is one work item.

Item keys are ``<supplier-key>:<action>:<digest>`` (see ``Change.item_key``). The ledger's states
are read in this flow's terms: ``in_progress`` applying, ``created`` the supplier record exists
(its number is recorded) while its address, site and contact are still being added, ``done``
applied and read back, ``rejected`` Oracle or the file needs a person, ``failed`` a system failure
outlasted the retries. The item's ``reference`` is the Oracle supplier number. Items are kept
per Oracle target: a change applied in a sandbox is not applied in production.

A change Oracle holds for approval (change control) is ``done`` too: the flow's part is over
and it must never be submitted again. Its message says so and names the change request
(``awaiting approval: change request CR-1001 …``, see ``is_awaiting``), so that the same change
met again later (its request was rejected) is told apart from one that was applied. The ledger's
schema is unchanged.

Exactly once: a run that dies leaves its item held; the next run marks it ``abandoned``
(``release_stale``) and, for a supplier of its file, takes that same item again instead of a new
one — after re-reading Oracle, so what the dead run did is never done twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.sync_suppliers.change_requests import AWAITING_NOTE, PendingChange
from flows.sync_suppliers.plan_model import ITEM_KEY_SUPPLIER_MAX, Change
from rpa.ledger import ItemScope, ItemState, Ledger, LedgerItem

FLOW = "sync-suppliers"
# A supplier can only be taken again from these states; held and final items are left alone.
_OPEN_STATES = (ItemState.PENDING, ItemState.FAILED, ItemState.ABANDONED)


def is_awaiting(item: LedgerItem) -> bool:
    """A done item whose change Oracle held for approval (``ChangeBook.awaiting``)."""
    return item.state is ItemState.DONE and (item.message or "").startswith(AWAITING_NOTE)


def supplier_key_of(item_key: str) -> str:
    """The supplier part of an item key (names may contain ':', the last two parts do not)."""
    return item_key.rsplit(":", 2)[0]


@dataclass(frozen=True)
class Taken:
    """A claimed item: its key, and whether an earlier run may already have acted on it."""

    item_key: str
    resumed: bool


class ChangeBook:
    """Ledger operations of one run of the flow."""

    def __init__(self, ledger: Ledger, run_id: str, target: str, worker: str = "w1") -> None:
        """``target`` is the run's Oracle target id (``TargetSource.target_id``)."""
        self.ledger = ledger
        self.run_id = run_id
        self.scope = ItemScope(FLOW, target)
        self.worker = worker
        self._open: dict[str, LedgerItem] = {}

    def release_stale(self) -> list[LedgerItem]:
        """Mark items of dead runs abandoned, and remember every open item by supplier."""
        released = self.ledger.release_stale(self.scope, run_id=self.run_id)
        for item in self.ledger.items(self.scope, _OPEN_STATES):
            self._open[supplier_key_of(item.item_key)] = item  # the latest one wins
        return released

    def open_item(self, supplier_key: str) -> LedgerItem | None:
        """An unfinished item of an earlier run for this supplier, if there is one."""
        return self._open.get(supplier_key[:ITEM_KEY_SUPPLIER_MAX])

    def take(self, change: Change, source_file: str) -> Taken | LedgerItem:
        """Claim the item for ``change``: the supplier's unfinished item, else a new one.

        Returns the ledger item instead when it cannot be claimed (another run holds it, or the
        same change against the same Oracle state was finished before).
        """
        earlier = self.open_item(change.key)
        key = earlier.item_key if earlier is not None else change.item_key
        if earlier is None:
            self.ledger.register(
                self.scope, key, source_file=source_file, content_hash=None, run_id=self.run_id
            )
        claim = self.ledger.claim(self.scope, key, run_id=self.run_id, worker=self.worker)
        if claim is None:
            item = self.ledger.get(self.scope, key)
            assert item is not None  # registered above or found open
            return item
        self._open.pop(change.key[:ITEM_KEY_SUPPLIER_MAX], None)
        return Taken(key, resumed=claim.outcome_unknown)

    def move(
        self,
        item_key: str,
        state: ItemState,
        *,
        number: str | None = None,
        message: str | None = None,
        failure_class: str | None = None,
        attempt: int | None = None,
    ) -> None:
        self.ledger.transition(
            self.scope,
            item_key,
            state,
            run_id=self.run_id,
            reference=number,
            message=message,
            failure_class=failure_class,
            attempt=attempt,
            repeat_ok=True,  # a retry may repeat a step that is already recorded
        )

    def created(self, item_key: str, number: str) -> None:
        self.move(item_key, ItemState.CREATED, number=number)

    def applied(
        self, item_key: str, number: str, message: str | None = None, attempt: int | None = None
    ) -> None:
        self.move(item_key, ItemState.DONE, number=number, message=message, attempt=attempt)

    def awaiting(
        self,
        item_key: str,
        number: str,
        pending: PendingChange,
        note: str = "",
        attempt: int | None = None,
    ) -> str:
        """Oracle holds the change for approval: the item is done (never submitted again), its
        message starting ``awaiting approval: ``. Returns that message."""
        message = f"{AWAITING_NOTE}submitted to Oracle as {pending.describe()}"
        if note:
            message += f"; {note}"
        self.move(item_key, ItemState.DONE, number=number, message=message, attempt=attempt)
        return message

    def rejected(
        self, item_key: str, message: str, failure_class: str, attempt: int | None = None
    ) -> None:
        self.move(
            item_key,
            ItemState.REJECTED,
            message=message,
            failure_class=failure_class,
            attempt=attempt,
        )

    def released(self, item_key: str, reason: str) -> None:
        """The run stops with this change in hand, for a reason that is not the change's (a
        refused sign-in, a page unlike the UI profile): its claim is given up, so the next run
        takes the same item again after re-reading Oracle, instead of it being rejected or
        failed."""
        self.ledger.release_claim(self.scope, item_key, run_id=self.run_id, reason=reason)

    def failed(
        self, item_key: str, message: str, failure_class: str, attempt: int | None = None
    ) -> None:
        self.move(
            item_key,
            ItemState.FAILED,
            message=message,
            failure_class=failure_class,
            attempt=attempt,
        )
