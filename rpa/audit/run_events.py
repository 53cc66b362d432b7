"""What a run's audit records contain: the payloads of ``run.started``, ``run.finished`` and
``item.result``, and closing a run in the chain with its digest.

:class:`rpa.runs.RunRecorder` calls these inside its own transactions; keeping the record
contents here puts the whole audit format next to the code that verifies it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from rpa.audit.digests import Digest, write_digest
from rpa.audit.evidence import EvidenceFile, describe_all, relative_name
from rpa.ledger.chain import append_event
from rpa.ledger.event_kinds import EventKind

if TYPE_CHECKING:  # rpa.runs imports this module
    from rpa.run_record import RunRecord


def started_payload(record: RunRecord, logs_dir: Path) -> dict[str, Any]:
    """Who or what started the run, with which code, browser, target, settings and inputs."""
    return {
        "trigger": record.trigger.as_dict(),
        "pid": record.pid,
        "code_version": record.code_version,
        "browser_version": record.browser_version,
        "playwright_version": record.playwright_version,
        "target_url": record.target_url,
        "config_hash": record.config_hash,
        "input_files": [asdict(f) for f in record.input_files],
        "started_at": record.started_at.isoformat(),
        "run_dir": relative_name(Path(record.run_dir), logs_dir) if record.run_dir else None,
    }


def finished_payload(record: RunRecord, **extra: Any) -> dict[str, Any]:
    """How the run ended."""
    return {
        "status": record.status.value,
        "counts": record.counts,
        "message": record.message,
        "ended_at": None if record.ended_at is None else record.ended_at.isoformat(),
        "duration_s": record.duration_s,
        "browser_version": record.browser_version,
        **extra,
    }


def item_result_payload(
    logs_dir: Path,
    status: str,
    *,
    reference: str | None,
    message: str | None,
    failure_class: str | None,
    attempts: int,
    evidence: Sequence[Path],
    details: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """What the run did to one item; evidence files are named and hashed now.

    Records written before the ledger spoke neutrally held ``po_number``, ``supplier_id``,
    ``action``, ``before`` and ``after`` at the top level instead of ``reference`` and
    ``details``: :mod:`rpa.audit.item_payloads` reads both.
    """
    described = describe_all(evidence, logs_dir)
    recorded = {e.path for e in described}
    missing = [
        name for name in (relative_name(p, logs_dir) for p in evidence) if name not in recorded
    ]
    payload: dict[str, Any] = {
        "status": str(status),
        "reference": reference,
        "message": message,
        "failure_class": failure_class,
        "attempts": attempts,
        "evidence": [e.as_dict() for e in described],
        "details": dict(details) if details is not None else None,
        "worker": threading.current_thread().name,
    }
    if missing:  # asked to record a file that does not exist: say so rather than drop it
        payload["evidence_missing"] = missing
    return payload


def close_in_chain(
    conn: Connection, record: RunRecord, evidence: Sequence[EvidenceFile], **extra: Any
) -> Digest:
    """Append the run's end to the chain and seal it with the run's digest (same transaction)."""
    append_event(
        conn,
        EventKind.RUN_FINISHED,
        finished_payload(record, **extra),
        run_id=record.run_id,
        flow=record.flow,
        at=record.ended_at,
    )
    return write_digest(conn, reason="run", run_id=record.run_id, evidence=evidence)
