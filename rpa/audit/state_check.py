"""Do the tables and files the support tools show say what the audit chain recorded?

``rpa runs``, ``rpa items`` and the viewer read the current state from the ledger's tables
(``runs``, ``work_items``, ``transitions``) and from each run's ``run.json``, not from the chain.
Every change to those tables is written in the same transaction as a chain record that
describes it, so replaying the chain gives exactly what they must hold. Any difference is a
table row or file edited, added or deleted outside the suite, and is named by table, key and
field, with the value the chain holds.

Rows the chain cannot speak for are left alone: runs and items recorded before the chain existed
(older than its first record). Records of earlier releases are read in their own shapes: the
state ``raised`` (now ``done``), ``po_number`` for the reference, no ``target``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from rpa.audit.item_payloads import payload_reference
from rpa.audit.problems import Problem, ProblemKind
from rpa.ledger.chain import ChainEvent
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import runs, transitions, work_items
from rpa.run_record import RUN_JSON, RunRecord

_LEGACY_STATES = {"raised": "done"}  # what schema 3 renamed in the tables, never in the chain
_REOPENED_FROM = {"rejected", "failed"}  # a resend or retry: the only moves out of these two
_RUN_FIELDS_WHILE_RUNNING = ("ended_at", "duration_s", "counts")  # change without a record


def _state(value: Any) -> Any:
    return _LEGACY_STATES.get(value, value)


def _shown(value: Any) -> str:
    text = "(none)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "…"


def _differs(
    where: str, name: str, found: Any, recorded: Any, seq: int | None, run: str | None
) -> Problem:
    return Problem(
        ProblemKind.STATE_DIFFERS,
        f"{where}, field {name}: {_shown(found)} there, but the audit trail records "
        f"{_shown(recorded)}" + (f" (seq {seq})" if seq is not None else ""),
        seq=seq,
        run_id=run,
    )


# --- runs and run.json ---------------------------------------------------------------------------


@dataclass
class _RecordedRun:
    """A run as the chain tells it: the fields its records hold, and the last record's seq."""

    flow: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    finished: bool = False


def _recorded_runs(events: Iterable[ChainEvent]) -> dict[str, _RecordedRun]:
    found: dict[str, _RecordedRun] = {}
    for event in events:
        if event.run_id is None:
            continue
        payload = event.payload
        if event.kind == EventKind.RUN_STARTED.value:
            run = found.setdefault(event.run_id, _RecordedRun(event.flow))
            run.fields.update(
                {k: payload[k] for k in _STARTED_FIELDS if k in payload},
                status="running",
                flow=event.flow,
            )
        elif event.run_id not in found:
            continue  # a run whose start the chain does not hold: the chain check names that
        else:
            run = found[event.run_id]
            if event.kind == EventKind.RUN_BROWSER.value and "browser_version" in payload:
                run.fields["browser_version"] = payload["browser_version"]
            elif event.kind == EventKind.RUN_FINISHED.value:
                run.fields.update({k: payload[k] for k in _FINISHED_FIELDS if k in payload})
                run.finished = True
            else:
                continue
        run.seq = event.seq
    return found


_STARTED_FIELDS = (
    "trigger",
    "code_version",
    "browser_version",
    "playwright_version",
    "target_url",
    "config_hash",
    "input_files",
    "started_at",
)
_FINISHED_FIELDS = ("status", "counts", "message", "ended_at", "duration_s", "browser_version")


def _compare_run(
    where: str, shown: Mapping[str, Any], recorded: _RecordedRun, run_id: str
) -> list[Problem]:
    problems = []
    for name, value in _flat(recorded.fields).items():
        if not recorded.finished and name in _RUN_FIELDS_WHILE_RUNNING:
            continue
        found = _flat(shown).get(name)
        if _comparable(found) != _comparable(value):
            problems.append(_differs(where, name, found, value, recorded.seq, run_id))
    return problems


def _flat(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The trigger's parts as fields of their own (``trigger.operator``): named one by one."""
    flat = {k: v for k, v in fields.items() if k != "trigger"}
    trigger = fields.get("trigger")
    if isinstance(trigger, Mapping):
        flat.update({f"trigger.{k}": v for k, v in trigger.items()})
    elif "trigger" in fields:
        flat["trigger"] = trigger
    return flat


def _comparable(value: Any) -> Any:
    """Values as JSON reads them back: tuples are lists, numbers compare by value."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def check_runs(
    conn: Connection,
    events: Sequence[ChainEvent],
    logs_dir: Path,
    *,
    run_id: str | None = None,
    chain_began: datetime | None = None,
) -> list[Problem]:
    """Problems of the ``runs`` rows and ``run.json`` files against the chain's run records.

    ``run_id`` limits the check to one run; ``chain_began`` (the first record's time) tells a
    run recorded before the chain existed from one added behind the suite's back.
    """
    recorded = _recorded_runs(events)
    stmt = select(runs)
    if run_id is not None:
        stmt = stmt.where(runs.c.run_id == run_id)
    rows = {row["run_id"]: RunRecord.from_row(row) for row in conn.execute(stmt).mappings()}
    problems: list[Problem] = []
    for the_id in sorted(rows.keys() | recorded.keys()):
        if run_id is not None and the_id != run_id:
            continue
        row, chain = rows.get(the_id), recorded.get(the_id)
        if chain is None:
            assert row is not None
            if chain_began is not None and row.started_at >= chain_began:
                problems.append(
                    Problem(
                        ProblemKind.STATE_DIFFERS,
                        f"table runs, run {the_id}: the audit trail has no record of this run; "
                        "the row was added outside the suite",
                        run_id=the_id,
                    )
                )
            continue
        if row is None:
            problems.append(
                Problem(
                    ProblemKind.STATE_DIFFERS,
                    f"table runs, run {the_id}: the row is missing, but the audit trail records "
                    "the run: the row was deleted",
                    seq=chain.seq,
                    run_id=the_id,
                )
            )
        else:
            problems += _compare_run(f"table runs, run {the_id}", row.as_dict(), chain, the_id)
        problems += _check_run_json(logs_dir, the_id, chain)
    return problems


def _check_run_json(logs_dir: Path, run_id: str, chain: _RecordedRun) -> list[Problem]:
    path = logs_dir / "runs" / run_id / RUN_JSON
    where = f"file runs/{run_id}/{RUN_JSON}"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [
            Problem(
                ProblemKind.STATE_DIFFERS,
                f"{where} is missing: the audit trail records the run, and run records are "
                "never pruned",
                seq=chain.seq,
                run_id=run_id,
            )
        ]
    except (OSError, ValueError) as exc:
        return [
            Problem(
                ProblemKind.STATE_DIFFERS,
                f"{where} cannot be read as JSON ({exc.__class__.__name__})",
                seq=chain.seq,
                run_id=run_id,
            )
        ]
    if not isinstance(content, dict):
        content = {}
    return _compare_run(where, content, chain, run_id)


# --- work items and their history ------------------------------------------------------------


ItemKey = tuple[str, str, str]  # (flow, target, item key)


@dataclass
class _RecordedItem:
    """An item as its ``item.transition`` records replay it."""

    state: str | None = None
    reference: str | None = None
    message: str | None = None
    run_id: str | None = None
    claim_count: int = 0
    seq: int = 0
    legacy: bool = False  # some of its records were written before the chain named targets
    history: list[ChainEvent] = field(default_factory=list)

    def apply(self, event: ChainEvent) -> None:
        payload = event.payload
        before, after = _state(payload.get("from_state")), _state(payload.get("to_state"))
        reference = payload_reference(payload)
        if before is None:  # registered
            self.reference, self.message, self.claim_count = None, None, 0
            self.run_id = event.run_id
        elif before in _REOPENED_FROM and after in ("pending", "failed"):
            # A resend or retry keeps the message column, and a rejected item loses its
            # reference; the record names the earlier outcome instead.
            if before == "rejected":
                self.reference = None
            self.run_id = event.run_id or self.run_id
        else:
            self.reference, self.message = reference, payload.get("message")
            self.run_id = event.run_id
            if after == "in_progress":
                self.claim_count += 1
        self.state = after
        self.seq = event.seq
        self.history.append(event)


def _recorded_items(events: Iterable[ChainEvent]) -> dict[ItemKey, _RecordedItem]:
    items: dict[ItemKey, _RecordedItem] = {}
    legacy: dict[tuple[str, str], list[ChainEvent]] = defaultdict(list)
    for event in events:
        if event.kind != EventKind.ITEM_TRANSITION.value or not event.flow or not event.subject:
            continue
        target = event.payload.get("target")
        if not isinstance(target, str):
            legacy[(event.flow, event.subject)].append(event)
            continue
        items.setdefault((event.flow, target, event.subject), _RecordedItem()).apply(event)
    return _with_legacy(items, legacy)


def _with_legacy(
    items: dict[ItemKey, _RecordedItem], legacy: Mapping[tuple[str, str], list[ChainEvent]]
) -> dict[ItemKey, _RecordedItem]:
    """Records without a target go to the item the upgrade gave them; placed by the caller."""
    for (flow, key), history in legacy.items():
        replayed = _RecordedItem(legacy=True)
        for event in history:
            replayed.apply(event)
        items[(flow, "", key)] = replayed  # "" : the target is looked up in the table
    return items


def check_items(
    conn: Connection, events: Sequence[ChainEvent], *, chain_began: datetime | None
) -> list[Problem]:
    """Problems of ``work_items`` and ``transitions`` against the chain's item records."""
    recorded = _recorded_items(events)
    rows = list(conn.execute(select(work_items).order_by(work_items.c.id)).mappings())
    history: dict[int, list[RowMapping]] = defaultdict(list)
    for row in conn.execute(select(transitions).order_by(transitions.c.id)).mappings():
        history[int(row["item_id"])].append(row)
    problems: list[Problem] = []
    seen: set[ItemKey] = set()
    for row in rows:
        key = (row["flow"], row["target"], row["item_key"])
        chain = recorded.get(key)
        legacy_key = (row["flow"], "", row["item_key"])
        if legacy_key in recorded and legacy_key not in seen:
            # The item the upgrade gave a target: its older records come first.
            old = recorded[legacy_key]
            seen.add(legacy_key)
            if chain is not None:
                for event in chain.history:
                    old.apply(event)
            chain = old
        seen.add(key)
        where = f"table work_items, item {row['item_key']} ({row['flow']}, {row['target']})"
        if chain is None:
            if chain_began is not None and row["registered_at"] >= chain_began:
                problems.append(
                    Problem(
                        ProblemKind.STATE_DIFFERS,
                        f"{where}: the audit trail has no record of this item; the row was "
                        "added outside the suite",
                        run_id=row["run_id"],
                    )
                )
            continue
        problems += _compare_item(where, row, chain)
        problems += _compare_history(where, history.get(int(row["id"]), []), chain)
    for key, chain in recorded.items():
        if key not in seen:
            flow, target, item_key = key
            problems.append(
                Problem(
                    ProblemKind.STATE_DIFFERS,
                    f"table work_items, item {item_key} ({flow}, {target or 'no target'}): the "
                    "row is missing, but the audit trail records the item: the row was deleted",
                    seq=chain.seq,
                )
            )
    return problems


def _compare_item(where: str, row: RowMapping, chain: _RecordedItem) -> list[Problem]:
    expected: dict[str, Any] = {"state": chain.state, "reference": chain.reference}
    if not chain.legacy:  # earlier releases moved these columns by other rules
        expected.update(message=chain.message, run_id=chain.run_id, claim_count=chain.claim_count)
    return [
        _differs(where, name, row[name], value, chain.seq, row["run_id"])
        for name, value in expected.items()
        if _state(row[name]) != value
    ]


_HISTORY_FIELDS = ("run_id", "worker", "message", "failure_class", "attempt")


def _compare_history(where: str, rows: Sequence[RowMapping], chain: _RecordedItem) -> list[Problem]:
    table = where.replace("table work_items", "table transitions")
    if len(rows) != len(chain.history):
        return [
            Problem(
                ProblemKind.STATE_DIFFERS,
                f"{table}: {len(rows)} rows, but the audit trail records "
                f"{len(chain.history)} moves of the item: rows were "
                + ("deleted" if len(rows) < len(chain.history) else "added"),
                seq=chain.seq,
            )
        ]
    problems: list[Problem] = []
    for row, event in zip(rows, chain.history, strict=True):
        payload = event.payload
        expected: dict[str, Any] = {
            "from_state": _state(payload.get("from_state")),
            "to_state": _state(payload.get("to_state")),
            "reference": payload_reference(payload),
            "at": event.at,
        }
        expected.update({k: payload.get(k) for k in _HISTORY_FIELDS if k in payload})
        if "run_id" not in payload:
            expected["run_id"] = event.run_id
        for name, value in expected.items():
            found = row[name]
            found = _state(found) if name.endswith("_state") else found
            if found != value:
                shown = found.isoformat() if isinstance(found, datetime) else found
                wanted = value.isoformat() if isinstance(value, datetime) else value
                problems.append(
                    _differs(
                        f"{table}, row {row['id']}", name, shown, wanted, event.seq, row["run_id"]
                    )
                )
    return problems
