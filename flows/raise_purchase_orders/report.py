"""How a run's results are shown: one JSON object (``--json``) or a short summary for people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from flows.common.envelope import EnvelopeFile, EnvelopeItem, json_envelope
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import FLOW
from flows.raise_purchase_orders.flow import FileReport, FlowResult
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.outcomes import ItemOutcome
from rpa.exit_codes import exit_code_for


def _status(result: FlowResult, dry_run: bool) -> str:
    return "dry-run" if dry_run else result.run_status.value


def exit_code(result: FlowResult) -> int:
    """The command's exit code: the shared map (rpa.exit_codes) over the run's status."""
    return exit_code_for(result.run_status)


def _item(outcome: ItemOutcome) -> EnvelopeItem:
    return EnvelopeItem(
        subject=outcome.request_id,
        status=outcome.status.value,
        reference=outcome.po_number,
        message=outcome.message,
        file=outcome.source_file.name if outcome.source_file else None,
        details={
            "attempts": outcome.attempts,
            "duration_s": outcome.duration_s,
            "evidence": [str(p) for p in outcome.evidence],
        },
    )


def _would_raise(request: PurchaseRequest) -> EnvelopeItem:
    total = sum((ln.quantity * ln.unit_price for ln in request.lines), start=0)
    return EnvelopeItem(
        subject=request.request_id,
        status=ItemStatus.PLANNED.value,
        file=request.source_file.name,
        details={
            "supplier": request.supplier,
            "lines": len(request.lines),
            "currency": request.currency or "GBP",
            "total": str(total),
        },
    )


def _file(report: FileReport) -> EnvelopeFile:
    return EnvelopeFile(
        file=str(report.source.path),
        refused=report.refused_reason,
        results_file=str(report.results_file) if report.results_file else None,
        archived_to=str(report.archived_to) if report.archived_to else None,
    )


def result_json(
    result: FlowResult,
    run_id: str,
    *,
    dry_run: bool = False,
    log_file: Path | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """The flow's ``--json`` document (flows.common.envelope); a dry run lists the requests that
    would be raised as ``planned`` items."""
    items = [_item(o) for o in result.items]
    counts = result.counts
    if dry_run:
        items += [_would_raise(r) for r in result.would_raise]
        counts = counts | {ItemStatus.PLANNED.value: len(result.would_raise)}
    document = json_envelope(
        flow=FLOW,
        mode="dry-run" if dry_run else "run",
        run_id=run_id,
        status=_status(result, dry_run),
        exit_code=exit_code(result),
        target=target,
        counts=counts,
        items=items,
        files=[_file(f) for f in result.files],
        warnings=[w for f in result.files for w in f.warnings],
        aborted=result.configuration_error or result.aborted,
        log_file=log_file,
    )
    # This flow's own key: what the requests' names were checked against before browser work.
    document["reference_check"] = result.reference_check or None
    return document


def print_dry_run(result: FlowResult) -> None:
    click.echo(
        f"Dry run: {len(result.would_raise)} request(s) would be raised; "
        "nothing was sent to Oracle."
    )
    if result.reference_check:
        click.echo(f"Names in the requests: {result.reference_check}.")
    for r in result.would_raise:
        total = sum((ln.quantity * ln.unit_price for ln in r.lines), start=0)
        click.echo(
            f"  {r.request_id:<20} {r.supplier[:40]:<40} {len(r.lines)} line(s) "
            f"{r.currency or 'GBP'} {total:,.2f}"
        )
    _print_problems(result)


def _print_problems(result: FlowResult) -> None:
    for report in result.files:
        for warning in report.warnings:
            click.echo(f"WARNING   {warning}")
    for report in result.files:
        if report.refused_reason:
            kept = f" (kept as {report.archived_to})" if report.archived_to else ""
            click.echo(f"REFUSED {report.source.path.name}: {report.refused_reason}{kept}")
    for item in result.items:
        if item.status.value in ("rejected", "conflict", "failed", "pending"):
            click.echo(f"{item.status.value.upper():<9} {item.request_id}: {item.message}")


def _aborted_line(reason: str) -> str:
    """An early stop's sentence says "Stopped: …" itself (flows.common.early_stop); any other
    reason is marked."""
    return reason if reason.startswith("Stopped: ") else f"ABORTED: {reason}"


def print_summary(result: FlowResult, run_id: str, log_file: Path | None) -> None:
    counts = result.counts
    click.echo(
        f"Run {run_id}: {_status(result, False)} — raised {counts['raised']}, "
        f"duplicate {counts['duplicate']}, rejected {counts['rejected']}, "
        f"failed {counts['failed']}"
        + (f", conflict {counts['conflict']}" if counts["conflict"] else "")
    )
    for item in result.items:
        if item.po_number:
            click.echo(f"  {item.request_id:<20} PO {item.po_number:<10} {item.status.value}")
    _print_problems(result)
    if result.configuration_error:
        click.echo(f"NOT STARTED: {result.configuration_error}")
    elif result.aborted:
        click.echo(_aborted_line(result.aborted))
    for path in result.results_files:
        click.echo(f"Results: {path}")
    if log_file is not None:
        click.echo(f"Log:     {log_file}")
