"""Showing a plan or a run's outcome: a table for a person at a terminal, JSON for programs.

The JSON form is the command's contract with scripts and the scheduler::

    {"run_id": "...", "status": "planned", "counts": {"create": 1, ...},
     "changes": [{"action": "update", "supplier": "...", "fields": {"city": ["Old", "New"]},
                  "status": "planned", "message": ""}, ...]}
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flows.sync_suppliers.plan_model import Action, Change

_ORDER = {action: position for position, action in enumerate(Action)}
_EMPTY = "(blank)"


@dataclass(frozen=True)
class ChangeReport:
    """A change with what became of it: ``planned`` in a plan; after an apply ``applied``,
    ``failed``, ``rejected``, ``in_progress`` (another run holds it) or ``not_started``."""

    change: Change
    status: str
    message: str = ""
    supplier_number: str | None = None  # read back after applying (a new supplier's number)

    def as_json(self) -> dict[str, Any]:
        change = self.change
        return {
            "action": change.action.value,
            "supplier": change.supplier,
            "supplier_number": self.supplier_number or change.oracle_number,
            "fields": change.fields_json(),
            "status": self.status,
            "message": self.message or change.message,
            "rows": list(change.source_rows),
        }


def initial_status(change: Change) -> str:
    """The status of a change before anything is applied."""
    if change.action in (Action.CREATE, Action.UPDATE, Action.DEACTIVATE):
        return "planned"
    return change.action.value


def counts_of(reports: Sequence[ChangeReport]) -> dict[str, int]:
    counts = {action.value: 0 for action in Action}
    for report in reports:
        counts[report.change.action.value] += 1
    return counts


def as_json(run_id: str, status: str, reports: Sequence[ChangeReport]) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "status": status,
        "counts": counts_of(reports),
        "changes": [report.as_json() for report in reports],
    }


def _value(value: str | None) -> str:
    return _EMPTY if value is None else value


def render_table(title: str, reports: Sequence[ChangeReport], *, width: int | None = None) -> str:
    """A plain-text table: one line per changed field, unchanged suppliers only counted."""
    width = width or shutil.get_terminal_size((120, 40)).columns
    counts = counts_of(reports)
    summary = ", ".join(f"{n} {action}" for action, n in counts.items() if n)
    lines = [f"{title}: {summary or 'no suppliers'}", ""]
    shown = sorted(
        (r for r in reports if r.change.action is not Action.UNCHANGED),
        key=lambda r: (_ORDER[r.change.action], r.change.supplier.casefold()),
    )
    if not shown:
        lines.append("Nothing to change: Oracle already matches the file.")
        return "\n".join(lines) + "\n"
    supplier_width = min(36, max(len(r.change.supplier) for r in shown))
    field_width = min(60, max((len(f.name) for r in shown for f in r.change.fields), default=10))
    header = f"{'ACTION':<11}{'SUPPLIER':<{supplier_width + 2}}{'STATUS':<12}"
    lines.append(header + f"{'FIELD':<{field_width}}  OLD → NEW")
    indent = 11 + supplier_width + 2 + 12
    rest = max(30, width - indent)
    for report in shown:
        change = report.change
        supplier = textwrap.shorten(change.supplier, supplier_width, placeholder="…")
        first = f"{change.action.value:<11}{supplier:<{supplier_width + 2}}{report.status:<12}"
        details = [
            f"{f.name:<{field_width}}  {_value(f.old)} → {_value(f.new)}" for f in change.fields
        ]
        message = report.message or change.message
        if message:
            details += textwrap.wrap(message, rest) or [message]
        lines.append(first + (details[0] if details else ""))
        lines.extend(" " * indent + detail for detail in details[1:])
    return "\n".join(lines) + "\n"
