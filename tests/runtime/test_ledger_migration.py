"""Upgrading a ledger written by the previous release (schema 2) to schema 3, in place.

The fixture ``tests/fixtures/release_0_1_home`` is a real home made with that release (see its
README): two purchase orders raised in the embedded sandbox, two against a sandbox started by
URL, one supplier change applied there, and a rerun reporting duplicates. Each test works on a
copy in ``tmp_path``; the fixture itself is never opened with the new code.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    select,
    text,
    update,
)

from rpa.audit.queries import find_reference
from rpa.audit.run_view import load_run_view
from rpa.audit.verify import verify_trail
from rpa.ledger import ItemScope, ItemState, Ledger, SchemaVersionError
from rpa.ledger import migrations as ledger_migrations
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import (
    SCHEMA_VERSION,
    UtcDateTime,
    audit_digests,
    audit_events,
    audit_head,
    runs,
    schema_version,
)
from rpa.ledger.scope import recorded_target_id
from rpa.run_heartbeat import last_heartbeats
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from rpa.trigger import detect_trigger
from tests.ledger_backends import ledger_url_for

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "release_0_1_home"
PO_FLOW = "raise-purchase-orders"
SUPPLIER_FLOW = "sync-suppliers"
UNRECORDED_SANDBOX = "sandbox:unrecorded"  # the embedded sandbox of the previous release
BY_URL = "http://127.0.0.1:36973"  # the sandbox started with `rpa sandbox serve --port 0`
EMBEDDED_RUN = "20261203T082232Z-b52d6c"
URL_RUN = "20261203T082338Z-210b6c"
SUPPLIER_RUN = "20261203T082432Z-065818"
DUPLICATES_RUN = "20261203T082445Z-647348"
SUPPLIER_KEY = "norwich commercial tyres:update:a6c0920d1c51"
PREVIOUS_RELEASE_EVENTS = 40  # chain records the previous release wrote
# What each item was in the previous release: (flow, key) -> (state, po_number, target).
EXPECTED = {
    (PO_FLOW, "REQ-2026-0001"): ("done", "1004542", UNRECORDED_SANDBOX),
    (PO_FLOW, "REQ-2026-0002"): ("done", "1004543", UNRECORDED_SANDBOX),
    (PO_FLOW, "REQ-2026-0003"): ("done", "1004542", BY_URL),
    (PO_FLOW, "REQ-2026-0004"): ("done", "1004543", BY_URL),
    (SUPPLIER_FLOW, SUPPLIER_KEY): ("done", "30030", BY_URL),
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A copy of the release 0.1 home: its ledger and its logs (digests and evidence)."""
    copy = tmp_path / "home"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns("README.md"))
    return copy


def _path(home: Path) -> Path:
    return home / "state" / "ledger.sqlite3"


def _url(home: Path) -> str:
    return f"sqlite:///{_path(home)}"


def _raw(home: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from SQLite, without the ledger's code (and without upgrading anything)."""
    with sqlite3.connect(_path(home)) as conn:
        rows = conn.execute(sql).fetchall()
    conn.close()
    return rows


def _schema_sql(home: Path) -> list[tuple[Any, ...]]:
    return _raw(home, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def test_the_fixture_is_a_ledger_of_release_0_1() -> None:
    """The fixture really is what the previous release wrote: schema 2, po_number, 'raised'."""
    with sqlite3.connect(FIXTURE / "state" / "ledger.sqlite3") as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
        columns = {row[1] for row in conn.execute("PRAGMA table_info(work_items)")}
        assert "po_number" in columns and "target" not in columns
        states = {row[0] for row in conn.execute("SELECT state FROM work_items")}
        assert states == {"raised"}
    conn.close()


def test_opening_upgrades_in_place_keeping_states_and_references(home: Path) -> None:
    """Schema 3: every item is done with its PO or supplier number, under the target of the
    run that registered it; the history follows; the upgrade is the chain's newest record."""
    with Ledger(_url(home)) as ledger:
        with read_transaction(ledger.engine) as conn:
            assert conn.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION
            last = conn.execute(
                select(audit_events).order_by(audit_events.c.seq.desc()).limit(1)
            ).mappings()
            (upgrade,) = list(last)
        items = {}
        for flow, target in {(f, t) for (f, _k), (_s, _r, t) in EXPECTED.items()}:
            for item in ledger.items(ItemScope(flow, target)):
                items[(item.flow, item.item_key)] = (item.state.value, item.reference, item.target)
        assert items == EXPECTED

        history = ledger.history(ItemScope(PO_FLOW, BY_URL), "REQ-2026-0003")
        assert [(t.from_state, t.to_state) for t in history] == [
            (None, ItemState.PENDING),
            (ItemState.PENDING, ItemState.IN_PROGRESS),
            (ItemState.IN_PROGRESS, ItemState.CREATED),
            (ItemState.CREATED, ItemState.SUBMITTING),
            (ItemState.SUBMITTING, ItemState.DONE),
        ]
        assert {t.target for t in history} == {BY_URL}
        assert [t.reference for t in history][-1] == "1004542"
        assert ledger.get(ItemScope(PO_FLOW, BY_URL), "REQ-2026-0001") is None

    assert upgrade["seq"] == PREVIOUS_RELEASE_EVENTS + 1 and upgrade["kind"] == "step"
    assert upgrade["run_id"] is None
    assert json.loads(upgrade["payload"]) == {
        "action": "ledger schema upgraded",
        "from": 2,
        "to": SCHEMA_VERSION,
    }
    # No trace of the old words is left in the item tables.
    assert _raw(home, "SELECT count(*) FROM work_items WHERE state = 'raised'") == [(0,)]
    assert _raw(
        home, "SELECT count(*) FROM transitions WHERE 'raised' IN (from_state, to_state)"
    ) == [(0,)]
    indexes = {name for kind, name, _sql in _schema_sql(home) if kind == "index"}
    assert {"ix_work_items_scope_state", "ix_transitions_scope_key", "ix_transitions_run"} <= (
        indexes
    )
    assert _raw(home, "PRAGMA foreign_key_check") == []
    assert _raw(home, "PRAGMA integrity_check") == [("ok",)]


def test_the_upgraded_trail_verifies(home: Path) -> None:
    """``rpa audit verify`` (a child process, as installed) passes after the upgrade: the old
    records, digests and evidence are untouched, and the upgrade's record is chained on."""
    Ledger(_url(home)).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), "audit", "verify", "--json"],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["problems"] == []
    assert report["events_checked"] == PREVIOUS_RELEASE_EVENTS + 1
    assert (report["digests_checked"], report["evidence_checked"]) == (4, 4)
    assert report["undigested_events"] == 1  # the upgrade: sealed by the next run's digest


def test_a_second_open_is_a_no_op(home: Path) -> None:
    """Once upgraded, opening again changes neither the tables, the rows nor the chain."""
    Ledger(_url(home)).close()
    schema = _schema_sql(home)
    version = _raw(home, "SELECT version, updated_at FROM schema_version")
    events = _raw(home, "SELECT seq, hash FROM audit_events ORDER BY seq")
    items = _raw(home, "SELECT * FROM work_items ORDER BY id")

    Ledger(_url(home)).close()

    assert _schema_sql(home) == schema
    assert _raw(home, "SELECT version, updated_at FROM schema_version") == version
    assert _raw(home, "SELECT seq, hash FROM audit_events ORDER BY seq") == events
    assert _raw(home, "SELECT * FROM work_items ORDER BY id") == items


def test_a_newer_schema_is_refused_and_left_alone(home: Path) -> None:
    """A database of a later release's schema is not touched by this code."""
    later = SCHEMA_VERSION + 1
    with sqlite3.connect(_path(home)) as conn:
        conn.execute(f"UPDATE schema_version SET version = {later}")
    conn.close()
    schema = _schema_sql(home)

    with pytest.raises(SchemaVersionError, match=f"version {later}"):
        Ledger(_url(home))

    assert _schema_sql(home) == schema
    assert _raw(home, "SELECT count(*) FROM audit_events") == [(PREVIOUS_RELEASE_EVENTS,)]


def test_a_failed_upgrade_leaves_the_schema_2_database_as_it_was(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upgrade is one transaction: if its last step fails, nothing of it remains, and the
    next open upgrades the database from the start."""
    schema = _schema_sql(home)
    items = _raw(home, "SELECT * FROM work_items ORDER BY id")

    def broken(_conn: object) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(ledger_migrations, "_create_indexes", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        Ledger(_url(home))
    assert _schema_sql(home) == schema
    assert _raw(home, "SELECT * FROM work_items ORDER BY id") == items
    assert _raw(home, "SELECT count(*) FROM audit_events") == [(PREVIOUS_RELEASE_EVENTS,)]

    monkeypatch.undo()
    with Ledger(_url(home)) as ledger:
        item = ledger.get(ItemScope(PO_FLOW, UNRECORDED_SANDBOX), "REQ-2026-0001")
        assert item is not None and item.reference == "1004542"


def test_old_records_read_like_new_ones(home: Path) -> None:
    """Runs of the previous release (po_number, supplier_id, action at the top of their
    records) show their references and targets in ``runs show`` and ``runs find``."""
    logs = home / "logs"
    with Ledger(_url(home)) as ledger:
        embedded = load_run_view(ledger, EMBEDDED_RUN, logs)
        by_url = load_run_view(ledger, URL_RUN, logs)
        supplier = load_run_view(ledger, SUPPLIER_RUN, logs)
        duplicates = load_run_view(ledger, DUPLICATES_RUN, logs)
        found = find_reference(ledger.engine, "1004542")
        assert verify_trail(ledger.engine, logs, run_id=URL_RUN).ok
    assert embedded and by_url and supplier and duplicates
    first = embedded.items[0]
    assert (first.subject, first.status, first.reference) == ("REQ-2026-0001", "raised", "1004542")
    assert first.target == UNRECORDED_SANDBOX and first.action == "raise purchase order"
    assert [e.name for e in first.evidence] == ["REQ-2026-0001-confirmation.png"]
    assert [(i.reference, i.target) for i in by_url.items] == [
        ("1004542", BY_URL),
        ("1004543", BY_URL),
    ]
    assert [(i.subject, i.status, i.reference) for i in supplier.items] == [
        (SUPPLIER_KEY, "raised", "30030")  # the old release's ledger word, as it was recorded
    ]
    assert [(i.status, i.reference) for i in duplicates.items] == [
        ("duplicate", "1004542"),
        ("duplicate", "1004543"),
    ]
    assert any("reference 1004542" in t.summary for t in by_url.timeline)
    assert [(i.target, i.item_key) for i in found.items] == [
        (UNRECORDED_SANDBOX, "REQ-2026-0001"),
        (BY_URL, "REQ-2026-0003"),
    ]


def test_after_the_upgrade_work_is_kept_per_target(home: Path) -> None:
    """A request raised in the old release's embedded sandbox is done there, and new work for
    any other Oracle: the rule the upgrade exists for."""
    with Ledger(_url(home)) as ledger:
        run = "20261204T090000Z-abcdef"
        again = ledger.register(
            ItemScope(PO_FLOW, UNRECORDED_SANDBOX),
            "REQ-2026-0001",
            source_file="requests.csv",
            content_hash=None,
            run_id=run,
        )
        assert not again.is_new and again.item.state is ItemState.DONE
        production = ItemScope(PO_FLOW, "https://ehxx.fa.em2.oraclecloud.com")
        fresh = ledger.register(
            production, "REQ-2026-0001", source_file="requests.csv", content_hash=None, run_id=run
        )
        assert fresh.is_new and fresh.item.state is ItemState.PENDING


# --- PostgreSQL ---------------------------------------------------------------------------------
# The same upgrade through ALTER TABLE, on a fresh database of the PostgreSQL test server
# (the ``postgres_url`` fixture of tests/postgres.py).


def _v2_item_tables(meta: MetaData) -> tuple[Table, Table]:
    """``work_items`` and ``transitions`` exactly as schema 2 declared them."""
    items = Table(
        "work_items",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("flow", String(64), nullable=False),
        Column("item_key", String(200), nullable=False),
        Column("state", String(20), nullable=False),
        Column("source_file", String(1000)),
        Column("content_hash", String(128)),
        Column("po_number", String(64)),
        Column("message", Text),
        Column("failure_class", String(200)),
        Column("run_id", String(64)),
        Column("worker", String(200)),
        Column("claim_count", Integer, nullable=False, default=0),
        Column("registered_run_id", String(64)),
        Column("registered_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("claimed_at", UtcDateTime),
        UniqueConstraint("flow", "item_key", name="uq_work_items_flow_key"),
        Index("ix_work_items_flow_state", "flow", "state"),
    )
    history = Table(
        "transitions",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("item_id", Integer, ForeignKey("work_items.id"), nullable=False),
        Column("flow", String(64), nullable=False),
        Column("item_key", String(200), nullable=False),
        Column("from_state", String(20)),
        Column("to_state", String(20), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("run_id", String(64)),
        Column("worker", String(200)),
        Column("po_number", String(64)),
        Column("message", Text),
        Column("failure_class", String(200)),
        Column("attempt", Integer),
        Index("ix_transitions_flow_key", "flow", "item_key", "id"),
        Index("ix_transitions_run", "run_id"),
    )
    return items, history


def _copy_release_0_1_into(postgres_url: str, home: Path) -> None:
    """Schema 2 in PostgreSQL, holding every row of the release 0.1 ledger, ids and all."""
    v2 = MetaData()
    items, history = _v2_item_tables(v2)
    # Digests as schema 2 had them: without the sealed hashes of schema 5.
    digests = Table(
        "audit_digests",
        v2,
        *(c._copy() for c in audit_digests.columns if c.name != "sealed_hashes"),
    )
    # Runs as schema 2 had them: without the heartbeat of schema 6.
    runs_v2 = Table("runs", v2, *(c._copy() for c in runs.columns if c.name != "heartbeat_at"))
    kept = [schema_version, audit_events, audit_head]
    source = create_engine(_url(home))  # plain SQLAlchemy: no Ledger, so no upgrade here
    target = create_engine(postgres_url)
    try:
        with target.begin() as conn:
            kept[0].metadata.create_all(conn, tables=kept)
            v2.create_all(conn)
            for table in [schema_version, runs_v2, items, history, *kept[1:], digests]:
                with source.connect() as reading:
                    rows = [dict(r) for r in reading.execute(select(table)).mappings()]
                if rows:
                    conn.execute(insert(table), rows)
            for name in ("work_items", "transitions"):
                # Ids were copied, not drawn: move each sequence past them, as real use had.
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    finally:
        source.dispose()
        target.dispose()


@pytest.mark.postgres
def test_postgres_upgrades_with_alter_table(postgres_url: str, home: Path) -> None:
    """The release 0.1 rows in a schema-2 PostgreSQL database: opened, upgraded by ALTER TABLE,
    the items keep state and numbers under their targets, and the chain still verifies."""
    _copy_release_0_1_into(postgres_url, home)

    with Ledger(postgres_url) as ledger:
        with read_transaction(ledger.engine) as conn:
            assert conn.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION
            constraints = set(
                conn.execute(
                    text(
                        "SELECT conname FROM pg_constraint WHERE conrelid = 'work_items'::regclass"
                    )
                ).scalars()
            )
            indexes = set(
                conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                .scalars()
                .all()
            )
        found = {}
        for flow, target in {(f, t) for (f, _k), (_s, _r, t) in EXPECTED.items()}:
            for item in ledger.items(ItemScope(flow, target)):
                found[(item.flow, item.item_key)] = (item.state.value, item.reference, item.target)
        assert found == EXPECTED
        assert "uq_work_items_flow_target_key" in constraints
        assert "uq_work_items_flow_key" not in constraints
        assert {"ix_work_items_scope_state", "ix_transitions_scope_key"} <= indexes
        assert not {"ix_work_items_flow_state", "ix_transitions_flow_key"} & indexes
        report = verify_trail(ledger.engine, home / "logs")
        assert report.ok, report.problems
        assert report.events_checked == PREVIOUS_RELEASE_EVENTS + 1
        # New work lands after the copied rows, under its own target.
        fresh = ledger.register(
            ItemScope(PO_FLOW, BY_URL),
            "REQ-2026-0001",
            source_file=None,
            content_hash=None,
            run_id="r",
        )
        assert fresh.is_new and fresh.item.target == BY_URL
        events = verify_trail(ledger.engine, home / "logs").events_checked

    with Ledger(postgres_url) as again:  # a second open changes nothing
        assert verify_trail(again.engine, home / "logs").events_checked == events


@pytest.mark.parametrize(
    ("recorded", "target"),
    [
        ("embedded sandbox", UNRECORDED_SANDBOX),  # what the previous release wrote
        (None, UNRECORDED_SANDBOX),
        ("", UNRECORDED_SANDBOX),
        ("https://EHXX.fa.em2.oraclecloud.com/", "https://ehxx.fa.em2.oraclecloud.com"),
        ("http://127.0.0.1:36973", BY_URL),
        ("https://ehxx.fa.em2.oraclecloud.com:443/fscmUI", "https://ehxx.fa.em2.oraclecloud.com"),
        ("sandbox:/srv/rpa/sandbox", "sandbox:/srv/rpa/sandbox"),  # already a target id
    ],
)
def test_the_target_of_a_recorded_run(recorded: str | None, target: str) -> None:
    """How the upgrade (and the run view) reads the target a run recorded, in any release."""
    assert recorded_target_id(recorded) == target


def test_a_schema_3_database_gains_the_content_column(tmp_path: Path) -> None:
    """Version 3 -> 4: the items recorded before keep everything and have no content (only
    its hash was kept); a new registration keeps its content, and a resend replaces it."""
    path = tmp_path / "v3.sqlite3"
    scope = ItemScope(PO_FLOW, BY_URL)
    with Ledger(f"sqlite:///{path}") as ledger:
        ledger.register(scope, "REQ-OLD", source_file="a.csv", content_hash="h1", run_id="r1")
    with sqlite3.connect(path) as raw:  # what schema version 3 looked like
        raw.execute("ALTER TABLE work_items DROP COLUMN content")
        raw.execute("UPDATE schema_version SET version = 3")
    raw.close()

    with Ledger(f"sqlite:///{path}") as ledger:
        with read_transaction(ledger.engine) as conn:
            assert conn.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION
        old = ledger.get(scope, "REQ-OLD")
        assert old is not None
        assert (old.state, old.content_hash, old.content) == (ItemState.PENDING, "h1", None)
        new = ledger.register(
            scope, "REQ-NEW", source_file="b.csv", content_hash="h2", content='{"a":1}', run_id="r2"
        )
        assert new.item.content == '{"a":1}'
        assert verify_trail(ledger.engine, tmp_path / "logs").ok


# --- 5 -> 6: the runs' heartbeat, on both databases ---------------------------------------------


def test_a_schema_5_ledger_gains_the_run_heartbeat(
    request: pytest.FixtureRequest, ledger_backend: str, tmp_path: Path
) -> None:
    """A ledger of schema 5 (no ``runs.heartbeat_at``) is upgraded in place: the column is
    added, empty for the runs already there, the upgrade is a chain record, the trail verifies,
    and a new run beats."""
    url = ledger_url_for(request, ledger_backend, tmp_path / "state" / "ledger.sqlite3")
    logs = tmp_path / "logs"
    with Ledger(url) as ledger:
        old = RunRecorder(ledger, logs)
        old.start(flow=PO_FLOW, trigger=detect_trigger(), target_url=None, settings={})
        old.finish(RunStatus.SUCCEEDED, {})
        with ledger.engine.begin() as conn:  # back to schema 5, as the earlier release left it
            conn.exec_driver_sql("ALTER TABLE runs DROP COLUMN heartbeat_at")
            conn.execute(update(schema_version).values(version=5))

    with Ledger(url) as upgraded:
        with read_transaction(upgraded.engine) as conn:
            assert conn.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION
            rows = conn.execute(select(runs.c.run_id, runs.c.heartbeat_at)).all()
            last = conn.execute(
                select(audit_events.c.payload).order_by(audit_events.c.seq.desc()).limit(1)
            ).scalar_one()
        assert rows == [(old.record.run_id, None)]
        assert json.loads(last) == {"action": "ledger schema upgraded", "from": 5, "to": 6}
        new = RunRecorder(upgraded, logs)
        new.start(flow=PO_FLOW, trigger=detect_trigger(), target_url=None, settings={})
        assert last_heartbeats(upgraded.engine, [new.record.run_id])[new.record.run_id] == (
            new.record.started_at
        )
        new.finish(RunStatus.SUCCEEDED, {})
        report = verify_trail(upgraded.engine, logs)
        assert report.ok, report.problems
