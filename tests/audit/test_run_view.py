"""A run as support staff read it, including items the flow never reported itself."""

from __future__ import annotations

from pathlib import Path

from rpa.audit.run_view import load_run_view
from rpa.ledger import ItemState, Ledger
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from tests.audit.trail_support import (
    FLOW,
    SCOPE,
    SETTINGS,
    TARGET,
    Item,
    build_run,
    png_bytes,
    trigger,
)


def test_reported_items_carry_the_flows_result(ledger: Ledger, logs_dir: Path) -> None:
    """Items come from the flow's item.result records: outcome, reference, message,
    evidence, and the target the ledger keeps them under."""
    built = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-1", "raised", "1001"),
            Item("REQ-2", "failed", message="Timed out waiting for the page"),
        ],
    )
    view = load_run_view(ledger, built.record.run_id, logs_dir)
    assert view is not None
    first, second = view.items
    assert (first.subject, first.status, first.reference, first.reported) == (
        "REQ-1",
        "raised",
        "1001",
        True,
    )
    assert first.target == TARGET and first.action == "raise purchase order"
    assert [e.name for e in second.evidence] == ["REQ-2-failure.png", "REQ-2-trace.zip"]
    assert view.errors == [
        "run partial: 0 rejected, 1 failed",
        "REQ-2 failed: PageTimeoutError: Timed out waiting for the page",
    ]
    assert view.timeline[0].summary.startswith("Run started by operator j.smith on rpa-host-1")


def test_an_unreported_item_shows_its_last_ledger_state_and_files(
    ledger: Ledger, logs_dir: Path
) -> None:
    """A run that died mid-item still shows the item's last state and the files named after it."""
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=FLOW, trigger=trigger(), target_url=TARGET, settings=SETTINGS)
    run_id = recorder.record.run_id
    ledger.register(SCOPE, "REQ-2026-0042", source_file=None, content_hash="h", run_id=run_id)
    ledger.claim(SCOPE, "REQ-2026-0042", run_id=run_id, worker="w1")
    ledger.transition(SCOPE, "REQ-2026-0042", ItemState.CREATED, run_id=run_id, reference="100777")
    shot = recorder.run_dir / "evidence" / "REQ-2026-0042-failure.png"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(png_bytes())
    (shot.parent / "REQ-2026-00421-failure.png").write_bytes(png_bytes())  # another request
    recorder.finish(RunStatus.ABORTED, {}, "killed")
    view = load_run_view(ledger, run_id, logs_dir)
    assert view is not None
    [item] = view.items
    assert (item.status, item.reference, item.reported) == ("created", "100777", False)
    assert [e.name for e in item.evidence] == ["REQ-2026-0042-failure.png"]
    assert load_run_view(ledger, "20990101T000000Z-000000") is None
