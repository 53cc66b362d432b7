"""How a plan or a run's outcome is shown: a table for a person at a terminal, one JSON document
(flows.common.envelope) for programs."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from flows.common.envelope import EnvelopeFile, json_envelope
from flows.common.outcomes import ItemStatus
from flows.common.outcomes import shown as shown_status
from flows.sync_suppliers.book import FLOW
from flows.sync_suppliers.flow import SyncResult
from flows.sync_suppliers.outcomes import ChangeReport, counts_of
from flows.sync_suppliers.plan_model import Action

_ORDER = {action: position for position, action in enumerate(Action)}
_EMPTY = "(blank)"


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
    # Columns as wide as their longest word needs (awaiting approval is the longest).
    action_width = max(11, *(len(r.change.action.value) + 2 for r in shown))
    status_width = max(12, *(len(shown_status(r.status)) + 2 for r in shown))
    header = f"{'ACTION':<{action_width}}{'SUPPLIER':<{supplier_width + 2}}"
    header += f"{'STATUS':<{status_width}}"
    lines.append(header + f"{'FIELD':<{field_width}}  OLD → NEW")
    indent = action_width + supplier_width + 2 + status_width
    rest = max(30, width - indent)
    for report in shown:
        change = report.change
        supplier = textwrap.shorten(change.supplier, supplier_width, placeholder="…")
        first = (
            f"{change.action.value:<{action_width}}{supplier:<{supplier_width + 2}}"
            f"{shown_status(report.status):<{status_width}}"
        )
        details = [
            f"{f.name:<{field_width}}  {_value(f.old)} → {_value(f.new)}" for f in change.fields
        ]
        message = report.message or change.message
        if message:
            details += textwrap.wrap(message, rest) or [message]
        lines.append(first + (details[0] if details else ""))
        lines.extend(" " * indent + detail for detail in details[1:])
    return "\n".join(lines) + "\n"


def result_json(
    result: SyncResult, run_id: str, *, log_file: Path | None = None, target: str | None = None
) -> dict[str, Any]:
    """The flow's ``--json`` document (flows.common.envelope), with the plan's counts by action
    (``actions``) and how Oracle was read (``read_through``: rest or ui)."""
    file_name = result.file.name
    return json_envelope(
        flow=FLOW,
        mode="plan" if result.plan_only else "run",
        run_id=run_id,
        status=result.status,
        exit_code=result.exit_code,
        target=target,
        counts=result.counts,
        items=[r.envelope_item(file_name) for r in result.reports],
        files=[EnvelopeFile(file=str(result.file), refused=result.refused)],
        warnings=result.warnings,
        aborted=result.configuration_error or result.aborted,
        log_file=log_file,
        actions=result.actions,
        read_through=result.oracle_read_through or None,
    )


def print_summary(result: SyncResult, run_id: str, log_file: Path | None) -> None:
    if result.refused is not None:
        click.echo(f"Refused: {result.refused}. Nothing was changed; the file was kept.")
    for warning in result.warnings:
        click.echo(f"Warning: {warning}")
    if result.reports:
        title = "Plan" if result.plan_only else f"Run {run_id}"
        click.echo(render_table(f"{title} for {result.file.name}", result.reports), nl=False)
    if result.configuration_error:
        click.echo(f"Not started: {result.configuration_error}")
    elif result.aborted:
        # An early stop's sentence says "Stopped: …" itself (flows.common.early_stop).
        stopped = result.aborted.startswith("Stopped: ")
        click.echo(result.aborted if stopped else f"Aborted: {result.aborted}")
    waiting = awaiting_approval_note(result.reports)
    if waiting:
        click.echo(waiting)
    if not result.plan_only:
        click.echo(f"Status: {result.status}" + (f"; log: {log_file}" if log_file else ""))


def awaiting_approval_note(reports: Sequence[ChangeReport]) -> str:
    """What the operator reads about changes Oracle holds for approval, or ''."""
    numbers = sorted(
        {
            r.change_request_number or "?"
            for r in reports
            if r.status is ItemStatus.AWAITING_APPROVAL
        }
    )
    if not numbers:
        return ""
    count = sum(1 for r in reports if r.status is ItemStatus.AWAITING_APPROVAL)
    changes = "1 change awaits" if count == 1 else f"{count} changes await"
    return (
        f"{changes} approval in Oracle (change requests: {', '.join(numbers)}). Nothing more is "
        "submitted for those suppliers until the requests are approved or rejected there."
    )
