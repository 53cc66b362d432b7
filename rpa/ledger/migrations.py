"""Upgrading a ledger database written by an earlier release, in place, in one transaction.

Version 5 -> 6: ``runs`` gains ``heartbeat_at``, empty for the runs already recorded (a run
still running under the earlier release is judged by its process, as it was).

Version 4 -> 5: ``audit_digests`` gains ``sealed_hashes``, empty for the digests already
written.

Version 3 -> 4: ``work_items`` gains ``content`` (what arrived, as canonical JSON), empty for
the items already recorded. Every upgrade from an older version adds it first.

Version 2 -> 3 (items keyed by their Oracle target, neutral words):

1. ``work_items`` and ``transitions``: the column ``po_number`` becomes ``reference``, and a
   ``target`` column is added;
2. the state ``raised`` becomes ``done`` (``work_items.state``, ``transitions.from_state`` and
   ``to_state``);
3. each item's target is taken from the run that registered it (``runs.target_url``, read by
   :func:`rpa.ledger.scope.recorded_target_id`): a URL becomes its target id; a ``sandbox:…``
   id (written by development builds that already knew targets) stays as it is; anything
   else — the previous release wrote ``embedded sandbox`` — becomes ``sandbox:unrecorded``, since
   that release did not record which sandbox it was. History rows take their item's target;
4. the unique key becomes ``(flow, target, item_key)`` and ``target`` ``NOT NULL``. PostgreSQL
   alters the tables; SQLite cannot alter a constraint, so it rebuilds both tables (create under
   a new name, copy, drop the old, rename) and creates their indexes again;
5. one ``step`` event in the audit chain records the upgrade.

The audit tables are not touched: every existing event keeps its bytes, so the chain and its
digests verify as before. Everything runs in the caller's transaction, so a failure leaves the
database exactly as the earlier release wrote it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.schema import AddConstraint

from rpa.ledger.chain import append_event
from rpa.ledger.database import is_sqlite
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import (
    SCHEMA_VERSION,
    audit_digests,
    audit_events,
    audit_head,
    metadata,
    runs,
    transitions,
    transitions_table,
    work_items,
    work_items_table,
)
from rpa.ledger.scope import UNRECORDED_SANDBOX, recorded_target_id
from rpa.ledger.states import ItemState

LEGACY_RAISED = "raised"  # ItemState.DONE's value up to schema version 2

# What version 2 called things that version 3 no longer has.
_V2_UNIQUE = "uq_work_items_flow_key"
_V2_INDEXES = ("ix_work_items_flow_state", "ix_transitions_flow_key", "ix_transitions_run")
_CHUNK = 500  # run ids per UPDATE: well below SQLite's limit on bound parameters


def upgrade(conn: Connection, found: int) -> None:
    """Bring a database of schema version ``found`` (1 to 5) to this release's version, in
    ``conn``'s transaction. The caller records the new version number."""
    # Version 1 had no audit tables (2 added them); the upgrade's own event needs them. Made
    # now, they already have every column of this release.
    metadata.create_all(conn, tables=[audit_events, audit_head, audit_digests], checkfirst=True)
    _add_missing_column(conn, "audit_digests", "sealed_hashes", "TEXT")
    _add_missing_column(conn, "runs", "heartbeat_at", _sql_type(conn, runs.c.heartbeat_at))
    # First: the version 3 rebuild below copies every column the tables now define.
    if found < 4:
        _add_content_column(conn)
    if found < 3:
        _rename_and_add_columns(conn)
        _rewrite_states(conn)
        _fill_targets(conn)
        if is_sqlite(conn.engine):
            _rebuild_sqlite_tables(conn)
        else:
            _alter_constraints(conn)
    append_event(
        conn,
        EventKind.STEP,
        {"action": "ledger schema upgraded", "from": found, "to": SCHEMA_VERSION},
        run_id=None,
        flow=None,
    )


def _sql_type(conn: Connection, column: Column[Any]) -> str:
    """The column's type as this database spells it (``DATETIME``, ``TIMESTAMP WITHOUT TIME
    ZONE``)."""
    return str(column.type.compile(dialect=conn.dialect))


def _add_missing_column(conn: Connection, table: str, column: str, sql_type: str) -> None:
    """A column the table gained (versions 5 and 6), empty in the rows already written: a digest
    keeps its bytes, and its hash, as it was."""
    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


def _add_content_column(conn: Connection) -> None:
    """Version 4: ``work_items.content``, empty for the items already recorded (their content
    was never kept; only its hash)."""
    conn.execute(text("ALTER TABLE work_items ADD COLUMN content TEXT"))


def _rename_and_add_columns(conn: Connection) -> None:
    # Plain DDL: SQLAlchemy Core has no construct for renaming a column, and this spelling is
    # the same on SQLite (3.25+) and PostgreSQL. The column starts nullable: it is filled next.
    for table in ("work_items", "transitions"):
        conn.execute(text(f"ALTER TABLE {table} RENAME COLUMN po_number TO reference"))
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN target VARCHAR(300)"))


def _rewrite_states(conn: Connection) -> None:
    done = ItemState.DONE.value
    conn.execute(update(work_items).where(work_items.c.state == LEGACY_RAISED).values(state=done))
    conn.execute(
        update(transitions).where(transitions.c.to_state == LEGACY_RAISED).values(to_state=done)
    )
    conn.execute(
        update(transitions).where(transitions.c.from_state == LEGACY_RAISED).values(from_state=done)
    )


def _fill_targets(conn: Connection) -> None:
    # The URL is normalised in Python, so runs are grouped by the target they map to: one
    # UPDATE per target (and per chunk of run ids), however many runs the ledger holds.
    registering = (
        select(work_items.c.registered_run_id, runs.c.target_url)
        .select_from(work_items.outerjoin(runs, runs.c.run_id == work_items.c.registered_run_id))
        .where(work_items.c.registered_run_id.is_not(None))
        .distinct()
    )
    by_target: dict[str, list[str]] = {}
    for run_id, target_url in conn.execute(registering).all():
        by_target.setdefault(recorded_target_id(target_url), []).append(run_id)
    for target, run_ids in by_target.items():
        for start in range(0, len(run_ids), _CHUNK):
            conn.execute(
                update(work_items)
                .where(work_items.c.registered_run_id.in_(run_ids[start : start + _CHUNK]))
                .values(target=target)
            )
    # An item without a registering run: nothing says where it was done; like a non-URL.
    conn.execute(
        update(work_items).where(work_items.c.target.is_(None)).values(target=UNRECORDED_SANDBOX)
    )
    item_target = (
        select(work_items.c.target)
        .where(work_items.c.id == transitions.c.item_id)
        .scalar_subquery()
    )
    conn.execute(update(transitions).values(target=item_target))


def _rebuild_sqlite_tables(conn: Connection) -> None:
    """New tables with the version 3 constraints, the rows copied as they are, old ones dropped.

    The new ``transitions`` refers to the new ``work_items`` from the start, and the child is
    dropped before its parent, so foreign keys hold at every step; renaming the new
    ``work_items`` rewrites that reference to the final name (SQLite 3.26+).
    """
    staging = MetaData()
    new_items = work_items_table(staging, "work_items_v3")
    new_history = transitions_table(staging, "transitions_v3", items="work_items_v3")
    staging.create_all(conn)
    _copy(conn, work_items, new_items)
    _copy(conn, transitions, new_history)
    conn.execute(text("DROP TABLE transitions"))
    conn.execute(text("DROP TABLE work_items"))
    conn.execute(text("ALTER TABLE work_items_v3 RENAME TO work_items"))
    conn.execute(text("ALTER TABLE transitions_v3 RENAME TO transitions"))
    _create_indexes(conn)


def _copy(conn: Connection, source: Table, into: Table) -> None:
    names = [c.name for c in source.columns]
    conn.execute(insert(into).from_select(names, select(*(source.c[n] for n in names))))
    copied = conn.execute(select(func.count()).select_from(into)).scalar_one()
    kept = conn.execute(select(func.count()).select_from(source)).scalar_one()
    if copied != kept:  # pragma: no cover - INSERT … SELECT copies every row or raises
        raise RuntimeError(f"copying {source.name} kept {copied} of {kept} rows")


def _alter_constraints(conn: Connection) -> None:
    """PostgreSQL (and any database that alters constraints): change the tables in place."""
    for table in ("work_items", "transitions"):
        conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN target SET NOT NULL"))
    conn.execute(text(f"ALTER TABLE work_items DROP CONSTRAINT {_V2_UNIQUE}"))
    for name in _V2_INDEXES:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for constraint in work_items.constraints:
        if constraint.name == "uq_work_items_flow_target_key":
            conn.execute(AddConstraint(constraint))
    _create_indexes(conn)


def _create_indexes(conn: Connection) -> None:
    for index in (*work_items.indexes, *transitions.indexes):
        index.create(conn, checkfirst=True)
