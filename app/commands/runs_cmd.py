"""``rpa runs``: what the bots did, for support staff — list runs, show one, find an item."""

from __future__ import annotations

import json

import click

from app.cli_settings import load_cli_settings
from app.commands.ledger_access import ledger_exists, open_ledger_read_only
from rpa.audit.queries import find_reference, parse_day_or_time
from rpa.audit.report_text import RUN_HEADERS, render_find, render_run, run_rows, table
from rpa.audit.run_view import load_run_view
from rpa.audit.verify import UnknownRunError, verify_trail
from rpa.exit_codes import EXIT_NOT_FOUND
from rpa.run_record import RunStatus, list_runs


@click.group("runs")
def runs_group() -> None:
    """Read the run log: recent runs, one run in full, everything that touched an item.

    \b
    Examples:
      rpa runs list --status partial --since 2026-11-01
      rpa runs show 20261129T193000Z-ab12cd
      rpa runs find REQ-2026-0042             # or a PO number, or a supplier id
      rpa viewer                              # the same in a web browser
    """


@runs_group.command("list")
@click.option("--flow", help="Only runs of this flow.")
@click.option(
    "--status",
    type=click.Choice([s.value for s in RunStatus]),
    help="Only runs that ended (or stand) so.",
)
@click.option(
    "--since",
    "since_text",
    metavar="DATE",
    help="Only runs started on or after DATE (2026-11-29, or an ISO time; UTC).",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of run records.")
@click.pass_context
def list_command(
    ctx: click.Context,
    flow: str | None,
    status: str | None,
    since_text: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List runs, newest first.

    \b
    Examples:
      rpa runs list
      rpa runs list --flow raise-purchase-orders --status aborted
      rpa runs list --since 2026-11-29 --json
    """
    settings = load_cli_settings(ctx)
    try:
        since = parse_day_or_time(since_text) if since_text else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    records = []
    if ledger_exists(settings):
        with open_ledger_read_only(settings) as ledger:
            records = list_runs(
                ledger,
                flow=flow,
                status=RunStatus(status) if status else None,
                since=since,
                limit=limit,
            )
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in records], indent=2))
    elif records:
        click.echo(table(RUN_HEADERS, run_rows(records)))
    else:
        click.echo("No runs match.")


@runs_group.command("show")
@click.argument("run_id")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: run, items, errors, evidence, timeline, integrity.",
)
@click.pass_context
def show_command(ctx: click.Context, run_id: str, as_json: bool) -> None:
    """Show one run: summary, each item's outcome, errors, evidence files, timeline, and
    whether its audit records and evidence are intact.

    \b
    Examples:
      rpa runs show 20261129T193000Z-ab12cd
      rpa runs show 20261129T193000Z-ab12cd --json
    """
    settings = load_cli_settings(ctx)
    view = report = None
    if ledger_exists(settings):
        with open_ledger_read_only(settings) as ledger:
            view = load_run_view(ledger, run_id, settings.logs_dir)
            if view is not None:
                try:
                    report = verify_trail(ledger.engine, settings.logs_dir, run_id=run_id)
                except UnknownRunError:
                    report = None  # recorded before the audit trail existed
    if view is None:
        click.echo(f"There is no run {run_id!r}. 'rpa runs list' shows the recent ones.", err=True)
        ctx.exit(EXIT_NOT_FOUND)
    if as_json:
        content = view.as_dict()
        content["integrity"] = None if report is None else report.as_dict()
        click.echo(json.dumps(content, indent=2))
    else:
        click.echo(render_run(view, report))


@runs_group.command("find")
@click.argument("text", metavar="REQUEST_ID_OR_PO_NUMBER")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def find_command(ctx: click.Context, text: str, as_json: bool) -> None:
    """Every run and record that touched a request id, PO number or supplier id, and the
    item's current state. Exit 6 when nothing matches.

    \b
    Examples:
      rpa runs find REQ-2026-0042
      rpa runs find 100234
    """
    settings = load_cli_settings(ctx)
    if not ledger_exists(settings):
        result = None
    else:
        with open_ledger_read_only(settings) as ledger:
            result = find_reference(ledger.engine, text)
    if result is None or not result.found:
        if as_json:
            click.echo(json.dumps({"query": text.strip(), "items": [], "runs": []}, indent=2))
        else:
            click.echo(f"Nothing in the ledger or the audit trail matches {text.strip()!r}.")
        ctx.exit(EXIT_NOT_FOUND)
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else render_find(result))
