"""The ledger: every work item's state and the full history of its transitions.

Each public method is one short transaction. Writes lock what they read (``BEGIN IMMEDIATE`` on
SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL) and update with the state they read in the
``WHERE`` clause, so two workers or two processes can never both move one item. Every item
method takes the :class:`~rpa.ledger.scope.ItemScope` (flow and Oracle target) it works in.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from types import TracebackType

from sqlalchemy import Connection, RowMapping, and_, func, insert, inspect, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from rpa.ledger.chain import ensure_chain_head
from rpa.ledger.database import (
    BUSY_TIMEOUT_S,
    create_ledger_engine,
    read_transaction,
    write_transaction,
)
from rpa.ledger.errors import (
    IllegalTransitionError,
    ItemNotFoundError,
    LedgerError,
    NotHolderError,
    ReferenceConflictError,
    SchemaUpgradeNeededError,
    SchemaVersionError,
)
from rpa.ledger.migrations import upgrade
from rpa.ledger.models import Claim, LedgerItem, Registration, Transition
from rpa.ledger.rows import append_history, select_item, select_item_by_id
from rpa.ledger.schema import (
    RUN_STATUS_RUNNING,
    SCHEMA_VERSION,
    metadata,
    runs,
    schema_version,
    transitions,
    utc_now,
    work_items,
)
from rpa.ledger.scope import ItemScope
from rpa.ledger.states import (
    CLAIMABLE_STATES,
    HELD_STATES,
    NEEDS_MESSAGE,
    NEEDS_REFERENCE,
    RESENDABLE_STATES,
    ItemState,
    check_move,
)
from rpa.redaction import redact_text


class Ledger:
    """Exactly-once bookkeeping for the flows, in a SQL database (SQLite or PostgreSQL).

    Create one per process (see :mod:`rpa.ledger.database`); it is safe to share between threads.
    """

    def __init__(
        self, url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_S, _read_only: bool = False
    ) -> None:
        """Open (and create or upgrade) the ledger; :meth:`open_read_only` never writes.
        ``busy_timeout_s``: how long a SQLite write waits for another process's lock."""
        self.url = make_url(url).render_as_string(hide_password=True)  # safe to log
        self.read_only = _read_only
        self.engine = create_ledger_engine(url, busy_timeout_s=busy_timeout_s, read_only=_read_only)
        try:
            if _read_only:
                self._check_schema()
            else:
                self._ensure_schema()
        except BaseException:
            # A refused ledger (newer schema, unreachable server) is never returned to be
            # closed: release its pooled connections (a PostgreSQL session each) here.
            self.engine.dispose()
            raise

    @classmethod
    def open_read_only(cls, url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Ledger:
        """The ledger opened for reading only: no schema is created or upgraded, and nothing is
        written to the database or beside it (see :mod:`rpa.ledger.read_only`). A SQLite file
        must exist. An older schema raises :class:`SchemaUpgradeNeededError`."""
        return cls(url, busy_timeout_s=busy_timeout_s, _read_only=True)

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.url!r})"

    # --- schema -------------------------------------------------------------------------------

    def _check_schema(self) -> None:
        """Read-only: the schema must be this release's (nothing is created or upgraded)."""
        try:
            with read_transaction(self.engine) as conn:
                found = (
                    conn.execute(
                        select(schema_version.c.version).where(schema_version.c.id == 1)
                    ).scalar_one_or_none()
                    if inspect(conn).has_table(schema_version.name)
                    else None
                )
        except BaseException:
            self.close()
            raise
        if found is not None and int(found) > SCHEMA_VERSION:
            self.close()
            raise SchemaVersionError(int(found), SCHEMA_VERSION)
        if found is None or int(found) < SCHEMA_VERSION:
            self.close()
            raise SchemaUpgradeNeededError(
                self.url, 0 if found is None else int(found), SCHEMA_VERSION
            )

    def _ensure_schema(self) -> None:
        try:
            self._create_schema()
        except IntegrityError:
            # PostgreSQL: another process created the tables at the same moment; they exist now.
            self._create_schema()

    def _create_schema(self) -> None:
        with write_transaction(self.engine) as conn:
            found = self._recorded_version(conn)
            if found is not None and found > SCHEMA_VERSION:
                raise SchemaVersionError(found, SCHEMA_VERSION)
            if found is not None and found < SCHEMA_VERSION:
                # Before create_all: the old tables must be reshaped, not left as they are.
                upgrade(conn, found)
                conn.execute(
                    update(schema_version)
                    .where(schema_version.c.id == 1)
                    .values(version=SCHEMA_VERSION, updated_at=utc_now())
                )
            metadata.create_all(conn, checkfirst=True)
            if found is None:
                conn.execute(
                    insert(schema_version).values(
                        id=1, version=SCHEMA_VERSION, updated_at=utc_now()
                    )
                )
            ensure_chain_head(conn)

    @staticmethod
    def _recorded_version(conn: Connection) -> int | None:
        """The database's schema version, or None for a database without the ledger's tables.

        The row is locked (PostgreSQL), so of two processes opening an old database at once,
        one upgrades it and the other waits, then reads the new version.
        """
        if not inspect(conn).has_table(schema_version.name):
            return None
        found = conn.execute(
            select(schema_version.c.version).where(schema_version.c.id == 1).with_for_update()
        ).scalar_one_or_none()
        return None if found is None else int(found)

    # --- registering and reading --------------------------------------------------------------

    def register(
        self,
        scope: ItemScope,
        item_key: str,
        *,
        source_file: str | PathLike[str] | None,
        content_hash: str | None,
        run_id: str,
        content: str | None = None,
    ) -> Registration:
        """Record a new pending item; a known item is returned unchanged (idempotent).

        ``content_changed`` tells the flow that the same key arrived again with other content,
        so it can report "already processed with different content" instead of acting. The same
        key under another target is another item.
        """
        try:
            with write_transaction(self.engine) as conn:
                row = select_item(conn, scope, item_key)
                if row is None:
                    return Registration(
                        self._insert_item(
                            conn,
                            scope,
                            item_key,
                            None if source_file is None else str(source_file),
                            content_hash,
                            content,
                            run_id,
                        ),
                        is_new=True,
                        content_changed=False,
                    )
        except IntegrityError:
            # PostgreSQL: a concurrent registration of the same key won the insert.
            row = None
        item = self.get(scope, item_key) if row is None else LedgerItem.from_row(row)
        if item is None:  # pragma: no cover - the unique key was violated, so the row exists
            raise LedgerError(f"Work item {item_key!r} of {scope} vanished while registering.")
        changed = content_hash is not None and item.content_hash != content_hash
        return Registration(item, is_new=False, content_changed=changed)

    def _insert_item(
        self,
        conn: Connection,
        scope: ItemScope,
        item_key: str,
        source_file: str | None,
        content_hash: str | None,
        content: str | None,
        run_id: str,
    ) -> LedgerItem:
        now = utc_now()
        values = {
            "flow": scope.flow,
            "target": scope.target,
            "item_key": item_key,
            "state": ItemState.PENDING.value,
            "source_file": source_file,
            "content_hash": content_hash,
            "content": content,
            "run_id": run_id,
            "claim_count": 0,
            "registered_run_id": run_id,
            "registered_at": now,
            "updated_at": now,
        }
        inserted = conn.execute(insert(work_items).values(**values)).inserted_primary_key
        assert inserted is not None  # an INSERT always reports its new key
        item_id = int(inserted[0])
        append_history(conn, item_id, scope, item_key, None, ItemState.PENDING, run_id=run_id)
        return LedgerItem.from_row(select_item_by_id(conn, item_id))

    def get(self, scope: ItemScope, item_key: str) -> LedgerItem | None:
        """The item as last recorded, or None when it was never registered under ``scope``."""
        with read_transaction(self.engine) as conn:
            row = select_item(conn, scope, item_key)
        return None if row is None else LedgerItem.from_row(row)

    def items(
        self, scope: ItemScope, states: Iterable[ItemState] | None = None
    ) -> list[LedgerItem]:
        """The scope's items (optionally only those in ``states``), in registration order."""
        stmt = (
            select(work_items)
            .where(work_items.c.flow == scope.flow, work_items.c.target == scope.target)
            .order_by(work_items.c.id)
        )
        if states is not None:
            stmt = stmt.where(work_items.c.state.in_([ItemState(s).value for s in states]))
        with read_transaction(self.engine) as conn:
            rows = conn.execute(stmt).mappings().all()
        return [LedgerItem.from_row(row) for row in rows]

    def all_items(
        self,
        *,
        flow: str | None = None,
        states: Iterable[ItemState] | None = None,
        limit: int = 500,
    ) -> list[LedgerItem]:
        """Items of every target (a support view: ``rpa items list``), the most recently
        changed first, optionally of one flow and in some states."""
        stmt = select(work_items).order_by(work_items.c.updated_at.desc(), work_items.c.id.desc())
        if flow is not None:
            stmt = stmt.where(work_items.c.flow == flow)
        if states is not None:
            stmt = stmt.where(work_items.c.state.in_([ItemState(s).value for s in states]))
        with read_transaction(self.engine) as conn:
            rows = conn.execute(stmt.limit(limit)).mappings().all()
        return [LedgerItem.from_row(row) for row in rows]

    def history(self, scope: ItemScope, item_key: str) -> list[Transition]:
        """Every recorded transition of the item, oldest first (registration included)."""
        stmt = (
            select(transitions)
            .where(
                transitions.c.flow == scope.flow,
                transitions.c.target == scope.target,
                transitions.c.item_key == item_key,
            )
            .order_by(transitions.c.id)
        )
        with read_transaction(self.engine) as conn:
            rows = conn.execute(stmt).mappings().all()
        return [Transition.from_row(row) for row in rows]

    def counts(self, scope: ItemScope) -> dict[ItemState, int]:
        """How many of the scope's items are in each state (every state present, zero or not)."""
        stmt = (
            select(work_items.c.state, func.count())
            .where(work_items.c.flow == scope.flow, work_items.c.target == scope.target)
            .group_by(work_items.c.state)
        )
        with read_transaction(self.engine) as conn:
            found = {ItemState(state): int(n) for state, n in conn.execute(stmt).all()}
        return {state: found.get(state, 0) for state in ItemState}

    def unknown_outcome_items(self, scope: ItemScope) -> list[LedgerItem]:
        """Items whose run died while holding them: each needs an Oracle search when claimed."""
        return self.items(scope, [ItemState.ABANDONED])

    # --- changing state -------------------------------------------------------------------------

    def claim(self, scope: ItemScope, item_key: str, *, run_id: str, worker: str) -> Claim | None:
        """Atomically take the item for ``run_id``/``worker``; None when it is not claimable.

        Only one of any number of racing workers or processes wins. The item must be pending,
        failed or abandoned; held or final items are never taken.
        """
        with write_transaction(self.engine) as conn:
            row = select_item(conn, scope, item_key, for_update=True)
            if row is None:
                raise ItemNotFoundError(scope, item_key)
            previous = ItemState(row["state"])
            if previous not in CLAIMABLE_STATES:
                return None
            now = utc_now()
            changed = conn.execute(
                update(work_items)
                .where(work_items.c.id == row["id"], work_items.c.state == previous.value)
                .values(
                    state=ItemState.IN_PROGRESS.value,
                    run_id=run_id,
                    worker=worker,
                    claim_count=work_items.c.claim_count + 1,
                    claimed_at=now,
                    updated_at=now,
                    message=None,
                    failure_class=None,
                )
            ).rowcount
            if changed != 1:  # pragma: no cover - the row lock makes this unreachable
                return None
            append_history(
                conn,
                row["id"],
                scope,
                item_key,
                previous,
                ItemState.IN_PROGRESS,
                run_id=run_id,
                worker=worker,
                reference=row["reference"],
                at=now,
            )
            return Claim(LedgerItem.from_row(select_item_by_id(conn, row["id"])), previous)

    def transition(
        self,
        scope: ItemScope,
        item_key: str,
        to_state: ItemState,
        *,
        run_id: str,
        reference: str | None = None,
        message: str | None = None,
        failure_class: str | None = None,
        attempt: int | None = None,
        repeat_ok: bool = False,
    ) -> LedgerItem:
        """Move an item the run holds to ``to_state``, recording it in the history.

        ``reference`` is what Oracle gave back (an order number, a supplier number). With
        ``repeat_ok``, an item already in ``to_state`` with the same reference is left as it
        is: a retried step repeating what is recorded already.

        Raises :class:`IllegalTransitionError` for a move not in the state table (or without the
        reference or message it must record), :class:`NotHolderError` when another run holds
        the item, :class:`ReferenceConflictError` for a second, different reference.
        """
        wanted = ItemState(to_state)
        # Oracle's messages are stored for people to read: no secret may travel with them.
        message = redact_text(message) if message else message
        with write_transaction(self.engine) as conn:
            row = select_item(conn, scope, item_key, for_update=True)
            if row is None:
                raise ItemNotFoundError(scope, item_key)
            current = ItemState(row["state"])
            if repeat_ok and current is wanted and row["reference"] == reference:
                return LedgerItem.from_row(row)
            check_move(scope, item_key, current, wanted)
            if row["run_id"] != run_id:
                raise NotHolderError(scope, item_key, row["run_id"], run_id)
            recorded = row["reference"]
            if reference and recorded and reference != recorded:
                raise ReferenceConflictError(scope, item_key, recorded, reference)
            kept = reference or recorded
            if wanted in NEEDS_REFERENCE and not kept:
                raise IllegalTransitionError(
                    scope, item_key, current, wanted, "the reference must be recorded"
                )
            if wanted in NEEDS_MESSAGE and not message:
                raise IllegalTransitionError(
                    scope, item_key, current, wanted, "a message saying why must be recorded"
                )
            now = utc_now()
            conn.execute(
                update(work_items)
                .where(work_items.c.id == row["id"], work_items.c.state == current.value)
                .values(
                    state=wanted.value,
                    reference=kept,
                    message=message,
                    failure_class=failure_class,
                    updated_at=now,
                )
            )
            append_history(
                conn,
                row["id"],
                scope,
                item_key,
                current,
                wanted,
                run_id=run_id,
                worker=row["worker"],
                reference=kept,
                message=message,
                failure_class=failure_class,
                attempt=attempt,
                at=now,
            )
            return LedgerItem.from_row(select_item_by_id(conn, row["id"]))

    def resend(
        self,
        scope: ItemScope,
        item_key: str,
        *,
        run_id: str,
        source_file: str | PathLike[str] | None,
        content_hash: str | None,
        content: str | None,
    ) -> LedgerItem:
        """The item arrived again after it ended ``rejected`` or ``failed``: it is to be tried
        again, with what arrived now (a person may have fixed the file, or Oracle).

        A rejected item becomes ``pending`` and loses its reference (the history keeps it, and
        the flow still finds in Oracle whatever an earlier attempt made); a failed one stays
        ``failed``, claimable as it was. Either way the new content replaces the old, and the
        history records the resend with the earlier outcome. Any other item is returned as it
        is: only those two may be resent.
        """
        return self._reopen(
            scope,
            item_key,
            run_id=run_id,
            why=f"Sent again in run {run_id}",
            failed_to_pending=False,
            arrived=(None if source_file is None else str(source_file), content_hash, content),
        )

    def retry(self, scope: ItemScope, item_key: str, *, by: str) -> LedgerItem:
        """A person asks for a ``rejected`` or ``failed`` item to be tried again (``rpa items
        retry``): it becomes ``pending`` with the content the ledger kept, and later runs take
        it up (a failed one gets ``retry.max_runs`` more runs). ``by`` names who asked."""
        return self._reopen(
            scope, item_key, run_id=None, why=f"Retry asked by {by}", failed_to_pending=True
        )

    def _reopen(
        self,
        scope: ItemScope,
        item_key: str,
        *,
        run_id: str | None,
        why: str,
        failed_to_pending: bool,
        arrived: tuple[str | None, str | None, str | None] | None = None,
    ) -> LedgerItem:
        with write_transaction(self.engine) as conn:
            row = select_item(conn, scope, item_key, for_update=True)
            if row is None:
                raise ItemNotFoundError(scope, item_key)
            current = ItemState(row["state"])
            if current not in RESENDABLE_STATES:
                return LedgerItem.from_row(row)
            to_pending = current is ItemState.REJECTED or failed_to_pending
            wanted = ItemState.PENDING if to_pending else current
            message = redact_text(
                f"{why}; it had ended {current.value} in run {row['run_id']}: "
                f"{row['message'] or 'no message'}"
            )
            source_file, content_hash, content = arrived or (
                row["source_file"],
                row["content_hash"],
                row["content"],
            )
            now = utc_now()
            conn.execute(
                update(work_items)
                .where(work_items.c.id == row["id"], work_items.c.state == current.value)
                .values(
                    state=wanted.value,
                    source_file=source_file,
                    content_hash=content_hash,
                    content=content,
                    reference=None if current is ItemState.REJECTED else row["reference"],
                    run_id=run_id or row["run_id"],
                    updated_at=now,
                )
            )
            append_history(
                conn,
                row["id"],
                scope,
                item_key,
                current,
                wanted,
                run_id=run_id,
                reference=row["reference"],
                message=message,
                at=now,
            )
            return LedgerItem.from_row(select_item_by_id(conn, row["id"]))

    def left_for_later_runs(self, scope: ItemScope, *, max_runs: int) -> list[LedgerItem]:
        """The scope's items a run takes up without their file: pending, failed or abandoned
        ones whose content the ledger kept (an --input file is not seen again), a failed one
        only until ``max_runs`` runs have tried it since it last became pending."""
        states = (ItemState.PENDING, ItemState.FAILED, ItemState.ABANDONED)
        return [
            item
            for item in self.items(scope, states)
            if item.content is not None
            and (item.state is not ItemState.FAILED or self.runs_tried(scope, item) < max_runs)
        ]

    def runs_tried(self, scope: ItemScope, item: LedgerItem) -> int:
        """How many runs have claimed the item since it last became pending."""
        history = self.history(scope, item.item_key)
        since = max(
            (n for n, t in enumerate(history) if t.to_state is ItemState.PENDING), default=0
        )
        return len({t.run_id for t in history[since:] if t.to_state is ItemState.IN_PROGRESS})

    def release_stale(self, scope: ItemScope, *, run_id: str) -> list[LedgerItem]:
        """Mark ``abandoned`` the scope's items held by runs that are no longer running.

        Call at the start of a run, after :func:`rpa.runs.abort_dead_runs` has marked the runs
        whose process died. Items held by a run still recorded as running (another live
        process) are left alone, and so are other targets' items: the next run against their
        Oracle releases them, and searches that Oracle. ``run_id`` is the releasing run,
        recorded in the history.
        """
        live_runs = select(runs.c.run_id).where(runs.c.status == RUN_STATUS_RUNNING)
        stale = select(work_items).where(
            work_items.c.flow == scope.flow,
            work_items.c.target == scope.target,
            work_items.c.state.in_([s.value for s in HELD_STATES]),
            or_(work_items.c.run_id.is_(None), work_items.c.run_id.not_in(live_runs)),
            or_(work_items.c.run_id.is_(None), work_items.c.run_id != run_id),
        )
        released: list[LedgerItem] = []
        with write_transaction(self.engine) as conn:
            for row in conn.execute(stale.with_for_update()).mappings().all():
                released.append(self._abandon(conn, scope, row, run_id))
        return released

    def release_claim(
        self, scope: ItemScope, item_key: str, *, run_id: str, reason: str
    ) -> LedgerItem:
        """Give up ``run_id``'s hold on an item it cannot finish, for a reason that is not the
        item's: the run is stopping (a refused sign-in, a page unlike the UI profile).

        The item becomes ``abandoned``, as if its run had died: claimable by the next run, which
        searches Oracle first (the attempt may have got part of the way), and never ``rejected``
        or ``failed``, which would count against the item. An item not held (already released,
        or finished) is returned as it is. ``reason`` is recorded in the history.

        Raises :class:`NotHolderError` when another run holds the item. Should a run die before
        releasing, :meth:`release_stale` at the next run's start does the same.
        """
        with write_transaction(self.engine) as conn:
            row = select_item(conn, scope, item_key, for_update=True)
            if row is None:
                raise ItemNotFoundError(scope, item_key)
            if ItemState(row["state"]) not in HELD_STATES:
                return LedgerItem.from_row(row)
            if row["run_id"] != run_id:
                raise NotHolderError(scope, item_key, row["run_id"], run_id)
            message = redact_text(
                f"Run {run_id} stopped while the item was {row['state']} ({reason}); what "
                "happened in Oracle is unknown until Oracle is searched."
            )
            return self._abandon(conn, scope, row, run_id, message)

    def _abandon(
        self,
        conn: Connection,
        scope: ItemScope,
        row: RowMapping,
        run_id: str,
        message: str | None = None,
    ) -> LedgerItem:
        message = message or (
            f"Run {row['run_id']} ended while the item was {row['state']}; what happened in "
            "Oracle is unknown until Oracle is searched."
        )
        now = utc_now()
        conn.execute(
            update(work_items)
            .where(and_(work_items.c.id == row["id"], work_items.c.state == row["state"]))
            .values(
                state=ItemState.ABANDONED.value,
                run_id=run_id,
                worker=None,
                message=message,
                failure_class=None,
                updated_at=now,
            )
        )
        append_history(
            conn,
            row["id"],
            scope,
            row["item_key"],
            ItemState(row["state"]),
            ItemState.ABANDONED,
            run_id=run_id,
            reference=row["reference"],
            message=message,
            at=now,
        )
        return LedgerItem.from_row(select_item_by_id(conn, row["id"]))
