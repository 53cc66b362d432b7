"""How a run's results are shown: one JSON object (``--json``) or a short summary for people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from flows.raise_purchase_orders.book import FLOW
from flows.raise_purchase_orders.flow import FlowResult


def _status(result: FlowResult, dry_run: bool) -> str:
    return "dry-run" if dry_run else result.status.value


def result_json(
    result: FlowResult, run_id: str, *, dry_run: bool = False, log_file: Path | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "run_id": run_id,
        "flow": FLOW,
        "status": _status(result, dry_run),
        "counts": result.counts,
        "results_files": [str(p) for p in result.results_files],
        "items": [o.as_json() for o in result.items],
        "refused_files": [
            {"file": str(f.source.path), "reason": f.refused_reason, "kept_as": str(f.archived_to)}
            for f in result.files
            if f.refused_reason
        ],
    }
    if result.aborted:
        body["aborted"] = result.aborted
    if log_file is not None:
        body["log_file"] = str(log_file)
    if dry_run:
        body["would_raise"] = [
            {
                "request_id": r.request_id,
                "file": r.source_file.name,
                "supplier": r.supplier,
                "lines": len(r.lines),
                "total": str(sum((ln.quantity * ln.unit_price for ln in r.lines), start=0)),
            }
            for r in result.would_raise
        ]
    return body


def print_dry_run(result: FlowResult) -> None:
    click.echo(
        f"Dry run: {len(result.would_raise)} request(s) would be raised; "
        "nothing was sent to Oracle."
    )
    for r in result.would_raise:
        total = sum((ln.quantity * ln.unit_price for ln in r.lines), start=0)
        click.echo(
            f"  {r.request_id:<20} {r.supplier[:40]:<40} {len(r.lines)} line(s) "
            f"{r.currency or 'GBP'} {total:,.2f}"
        )
    _print_problems(result)


def _print_problems(result: FlowResult) -> None:
    for report in result.files:
        if report.refused_reason:
            kept = f" (kept as {report.archived_to})" if report.archived_to else ""
            click.echo(f"REFUSED {report.source.path.name}: {report.refused_reason}{kept}")
    for item in result.items:
        if item.status.value in ("rejected", "failed"):
            click.echo(f"{item.status.value.upper():<9} {item.request_id}: {item.message}")


def print_summary(result: FlowResult, run_id: str, log_file: Path | None) -> None:
    counts = result.counts
    click.echo(
        f"Run {run_id}: {_status(result, False)} — raised {counts['raised']}, "
        f"duplicate {counts['duplicate']}, rejected {counts['rejected']}, "
        f"failed {counts['failed']}"
    )
    for item in result.items:
        if item.po_number:
            click.echo(f"  {item.request_id:<20} PO {item.po_number:<10} {item.status.value}")
    _print_problems(result)
    if result.aborted:
        click.echo(f"ABORTED: {result.aborted}")
    for path in result.results_files:
        click.echo(f"Results: {path}")
    if log_file is not None:
        click.echo(f"Log:     {log_file}")
