"""Edits of what the support tools show — the tables and run.json — are caught by verification.

``rpa runs`` and the viewer read ``runs``, ``work_items``, ``transitions`` and each ``run.json``;
the chain holds the same facts. Each test edits the real SQLite file or the real file under
logs/ the way someone with access to the host would, and checks that verification names the
table (or file), the key and the field, with the value the chain holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpa.audit.problems import ProblemKind
from rpa.audit.verify import verify_trail
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from tests.audit.conftest import Rpa
from tests.audit.trail_support import (
    FLOW,
    SETTINGS,
    TARGET,
    BuiltRun,
    Item,
    build_run,
    trigger,
)
from tests.ledger_backends import Sql


@pytest.fixture
def built(ledger: Ledger, logs_dir: Path) -> list[BuiltRun]:
    return [
        build_run(
            ledger,
            logs_dir,
            [
                Item("REQ-2026-0001", "raised", "100231"),
                Item("REQ-2026-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
            ],
            operator="ops.scheduler",
        ),
        build_run(ledger, logs_dir, [Item("REQ-2026-0003", "failed", message="Timed out")]),
    ]


def _state_problems(ledger: Ledger, logs_dir: Path) -> list[str]:
    report = verify_trail(ledger.engine, logs_dir)
    assert not report.ok, "the edit went unnoticed"
    assert {p.kind for p in report.problems} == {ProblemKind.STATE_DIFFERS}, report.problems
    return [p.message for p in report.problems]


def test_an_untouched_trail_has_no_state_problem(
    ledger: Ledger, logs_dir: Path, built: list[BuiltRun]
) -> None:
    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems


def test_an_edited_order_number_in_work_items_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    sql("UPDATE work_items SET reference = '9999999' WHERE item_key = 'REQ-2026-0001'")
    (message,) = _state_problems(ledger, logs_dir)
    assert message.startswith("table work_items, item REQ-2026-0001 (raise-purchase-orders,")
    assert 'field reference: "9999999" there, but the audit trail records "100231"' in message


def test_an_edited_state_in_work_items_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    sql("UPDATE work_items SET state = 'done' WHERE item_key = 'REQ-2026-0002'")
    (message,) = _state_problems(ledger, logs_dir)
    assert "item REQ-2026-0002" in message and 'field state: "done" there' in message
    assert '"rejected"' in message


def test_an_edited_operator_and_status_in_runs_are_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    run_id = built[0].record.run_id
    sql(
        "UPDATE runs SET operator = 'J Innocent', status = 'succeeded' WHERE run_id = ?",
        run_id,
    )
    messages = _state_problems(ledger, logs_dir)
    assert len(messages) == 2
    assert any(
        m.startswith(f'table runs, run {run_id}, field trigger.operator: "J Innocent" there')
        and '"ops.scheduler"' in m
        for m in messages
    )
    assert any(f'run {run_id}, field status: "succeeded" there' in m for m in messages)


def test_an_edited_run_json_is_named(ledger: Ledger, logs_dir: Path, built: list[BuiltRun]) -> None:
    run_id = built[1].record.run_id
    path = logs_dir / "runs" / run_id / "run.json"
    content = json.loads(path.read_text())
    content["trigger"]["operator"] = "J Innocent"
    content["counts"]["failed"] = 0
    path.write_text(json.dumps(content, indent=2))
    messages = _state_problems(ledger, logs_dir)
    assert sorted(m.split(":")[0] for m in messages) == [
        f"file runs/{run_id}/run.json, field counts",
        f"file runs/{run_id}/run.json, field trigger.operator",
    ]


def test_a_deleted_run_json_is_named(ledger: Ledger, logs_dir: Path, built: list[BuiltRun]) -> None:
    run_id = built[1].record.run_id
    (logs_dir / "runs" / run_id / "run.json").unlink()
    (message,) = _state_problems(ledger, logs_dir)
    assert message.startswith(f"file runs/{run_id}/run.json is missing")


def test_a_deleted_or_edited_history_row_is_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    sql(
        "UPDATE transitions SET message = 'Approved by J Innocent' "
        "WHERE item_key = 'REQ-2026-0002' AND to_state = 'rejected'",
    )
    sql(
        "DELETE FROM transitions WHERE item_key = 'REQ-2026-0003' AND to_state = 'in_progress'",
    )
    messages = _state_problems(ledger, logs_dir)
    assert len(messages) == 2
    edited = next(m for m in messages if "REQ-2026-0002" in m)
    assert edited.startswith("table transitions, item REQ-2026-0002")
    assert 'field message: "Approved by J Innocent" there' in edited
    assert '"Supplier site BHM-NORWICH is inactive"' in edited
    deleted = next(m for m in messages if "REQ-2026-0003" in m)
    assert "table transitions, item REQ-2026-0003" in deleted and "rows were deleted" in deleted


def test_added_and_deleted_rows_are_named(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    sql(
        "INSERT INTO work_items (flow, target, item_key, state, reference, claim_count, "
        "registered_at, updated_at) SELECT flow, target, 'REQ-2026-0666', 'done', '1000666', 1, "
        "registered_at, updated_at FROM work_items WHERE item_key = 'REQ-2026-0001'",
    )
    sql("DELETE FROM transitions WHERE item_key = 'REQ-2026-0003'")
    sql("DELETE FROM work_items WHERE item_key = 'REQ-2026-0003'")
    sql("DELETE FROM runs WHERE run_id = ?", built[1].record.run_id)
    messages = _state_problems(ledger, logs_dir)
    assert any(
        "item REQ-2026-0666" in m and "row was added outside the suite" in m for m in messages
    )
    assert any("item REQ-2026-0003" in m and "the row was deleted" in m for m in messages)
    assert any(
        f"table runs, run {built[1].record.run_id}: the row is missing" in m for m in messages
    )


def test_one_runs_check_covers_its_run_record(
    ledger: Ledger, logs_dir: Path, sql: Sql, built: list[BuiltRun]
) -> None:
    """``verify --run`` checks the run's row and run.json too (and only that run's)."""
    first, second = (b.record.run_id for b in built)
    sql("UPDATE runs SET message = 'all fine' WHERE run_id = ?", first)
    assert verify_trail(ledger.engine, logs_dir, run_id=second).ok
    report = verify_trail(ledger.engine, logs_dir, run_id=first)
    assert [p.kind for p in report.problems] == [ProblemKind.STATE_DIFFERS]
    assert f"table runs, run {first}, field message" in report.problems[0].message


def test_runs_show_says_a_forged_run_record_is_not_what_the_trail_holds(
    rpa: Rpa, sql: Sql, built: list[BuiltRun]
) -> None:
    """``rpa runs show`` shows the row as it is, and its integrity line says it was forged."""
    run_id = built[0].record.run_id
    sql("UPDATE runs SET operator = 'J Innocent' WHERE run_id = ?", run_id)
    shown = rpa("runs", "show", run_id)
    assert "by operator J Innocent" in shown.stdout
    assert "Integrity   FAILED: 1 problem(s); first: [state_differs] table runs" in shown.stdout
    assert '"ops.scheduler"' in shown.stdout
    assert rpa("audit", "verify").exit_code == 5


def test_resends_retries_and_releases_replay_to_the_same_state(
    ledger: Ledger, logs_dir: Path, built: list[BuiltRun]
) -> None:
    """Every kind of move the ledger makes (a resend of a rejected item, a person's retry of a
    failed one, a released claim, an abandoned item) replays to exactly the tables' state."""
    scope = ItemScope(FLOW, TARGET)
    recorder = RunRecorder(ledger, logs_dir)
    run_id = recorder.start(
        flow=FLOW, trigger=trigger(), target_url=TARGET, settings=SETTINGS
    ).run_id
    ledger.resend(
        scope,
        "REQ-2026-0002",
        run_id=run_id,
        source_file="fixed.csv",
        content_hash="h2",
        content='{"supplier":"fixed"}',
    )
    ledger.retry(scope, "REQ-2026-0003", by="a.jones")
    for key in ("REQ-2026-0002", "REQ-2026-0003"):
        assert ledger.claim(scope, key, run_id=run_id, worker="w2")
    ledger.transition(scope, "REQ-2026-0002", ItemState.CREATED, run_id=run_id, reference="1002")
    ledger.release_claim(scope, "REQ-2026-0002", run_id=run_id, reason="the page changed")
    recorder.finish(RunStatus.ABORTED, message="stopped")
    # REQ-2026-0003 is still held by the finished run: the next run releases it as abandoned.
    next_run = RunRecorder(ledger, logs_dir)
    next_id = next_run.start(
        flow=FLOW, trigger=trigger(), target_url=TARGET, settings=SETTINGS
    ).run_id
    assert [i.item_key for i in ledger.release_stale(scope, run_id=next_id)] == ["REQ-2026-0003"]
    next_run.finish(RunStatus.SUCCEEDED)
    report = verify_trail(ledger.engine, logs_dir)
    assert report.ok, report.problems
