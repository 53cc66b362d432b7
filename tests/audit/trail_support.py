"""Building real audit trails for the tests: runs driven through the real ledger and RunRecorder.

Each planned item goes through the moves the raise-purchase-orders flow makes (register, claim,
created, submitting, done / rejected / failed), keeps real evidence files (PNG screenshots,
a trace zip) under the run's evidence folder, and is reported with ``record_item``.
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.ledger.schema import utc_now
from rpa.run_record import RunRecord, RunStatus
from rpa.runs import RunRecorder
from rpa.trigger import Trigger, TriggerKind

FLOW = "raise-purchase-orders"
TARGET = "http://127.0.0.1:8765"  # what the runs record as their target, and the items' target
SCOPE = ItemScope(FLOW, TARGET)
SETTINGS = {"home": "/srv/rpa", "workers": 2, "sandbox": {"password": "not-hashed"}}


def png_bytes(
    width: int = 64,
    height: int = 40,
    rgb: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A real PNG image of one colour (what a browser screenshot file is, minus the content)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def write_trace(path: Path, note: str = "") -> Path:
    """A small zip shaped like a Playwright trace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("trace.trace", json.dumps({"type": "context-options", "note": note}))
        archive.writestr("trace.network", "")
    return path


@dataclass(frozen=True)
class Item:
    """One request of a planned run and what becomes of it."""

    request_id: str
    outcome: str = "raised"  # raised | rejected | failed
    po_number: str | None = None
    message: str = ""
    failure_class: str | None = None


@dataclass
class BuiltRun:
    record: RunRecord
    recorder: RunRecorder
    evidence: dict[str, list[Path]] = field(default_factory=dict)  # request id -> files


def trigger(operator: str = "j.smith") -> Trigger:
    return Trigger(kind=TriggerKind.OPERATOR, host="rpa-host-1", operator=operator)


def process_item(ledger: Ledger, recorder: RunRecorder, item: Item, worker: str) -> list[Path]:
    """Drive one item through the ledger and report it; returns its evidence files."""
    run_id = recorder.record.run_id
    scope = ItemScope(recorder.record.flow, TARGET)
    ledger.register(
        scope,
        item.request_id,
        source_file="requests.csv",
        content_hash=f"h-{item.request_id}",
        run_id=run_id,
    )
    assert ledger.claim(scope, item.request_id, run_id=run_id, worker=worker)
    folder = recorder.run_dir / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    evidence: list[Path] = []
    if item.outcome == "raised":
        assert item.po_number
        ledger.transition(
            scope, item.request_id, ItemState.CREATED, run_id=run_id, reference=item.po_number
        )
        ledger.transition(scope, item.request_id, ItemState.SUBMITTING, run_id=run_id)
        ledger.transition(scope, item.request_id, ItemState.DONE, run_id=run_id, attempt=1)
        shot = folder / f"{item.request_id}-confirmation.png"
        shot.write_bytes(png_bytes(rgb=(40, 120, 60)))
        evidence.append(shot)
        recorder.record_item(
            item.request_id,
            "raised",
            reference=item.po_number,
            attempts=1,
            evidence=evidence,
            details={"action": "raise purchase order"},
        )
    else:
        state = ItemState.REJECTED if item.outcome == "rejected" else ItemState.FAILED
        failure = item.failure_class or (
            "BusinessRuleError" if item.outcome == "rejected" else "PageTimeoutError"
        )
        ledger.transition(
            scope,
            item.request_id,
            state,
            run_id=run_id,
            message=item.message,
            failure_class=failure,
            attempt=2,
        )
        shot = folder / f"{item.request_id}-failure.png"
        shot.write_bytes(png_bytes(rgb=(200, 40, 40)))
        trace = write_trace(folder / f"{item.request_id}-trace.zip", item.request_id)
        evidence += [shot, trace]
        recorder.record_item(
            item.request_id,
            item.outcome,
            message=item.message,
            failure_class=failure,
            attempts=2,
            evidence=evidence,
            details={"action": "raise purchase order"},
        )
    return evidence


def build_run(
    ledger: Ledger,
    logs_dir: Path,
    items: list[Item],
    *,
    status: RunStatus | None = None,
    flow: str = FLOW,
    operator: str = "j.smith",
    finish: bool = True,
    days_ago: int = 0,
) -> BuiltRun:
    """A whole run: start, every item, finish with its digest (unless ``finish`` is False).

    ``days_ago`` makes the run's clock that many days behind, so the run started and ended
    then, as its record and its audit records both say (for retention).
    """
    if days_ago:
        past = utc_now() - timedelta(days=days_ago)
        with patch("rpa.runs.utc_now", lambda: past):
            return build_run(
                ledger, logs_dir, items, status=status, flow=flow, operator=operator, finish=finish
            )
    recorder = RunRecorder(ledger, logs_dir)
    recorder.start(flow=flow, trigger=trigger(operator), target_url=TARGET, settings=SETTINGS)
    recorder.record_browser_version("Chromium 131.0.6778.85")
    built = BuiltRun(recorder.record, recorder)
    for item in items:
        built.evidence[item.request_id] = process_item(ledger, recorder, item, "w1")
    if finish:
        outcomes = [i.outcome for i in items]
        counts = {o: outcomes.count(o) for o in ("raised", "rejected", "failed")}
        final = status or (
            RunStatus.SUCCEEDED if set(outcomes) <= {"raised"} else RunStatus.PARTIAL
        )
        built.record = recorder.finish(
            final,
            counts,
            None
            if final is RunStatus.SUCCEEDED
            else f"{counts['rejected']} rejected, {counts['failed']} failed",
        )
    return built
