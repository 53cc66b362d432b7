"""``rpa audit``: verify the tamper-evident audit trail, and apply the retention period."""

from __future__ import annotations

import json

import click

from app.cli_settings import load_cli_settings
from app.commands.ledger_access import ledger_exists, open_ledger
from rpa.audit.prune import prune
from rpa.audit.report_text import render_prune, render_verification
from rpa.audit.verify import UnknownRunError, verify_trail
from rpa.exit_codes import EXIT_AUDIT_PROBLEM, EXIT_NOT_FOUND

# Not one of the run outcomes in rpa.exit_codes: the audit trail itself failed its check.


@click.group("audit")
def audit_group() -> None:
    """The audit trail: check that nobody edited the record, and prune old evidence.

    \b
    Examples:
      rpa audit verify                        # the whole trail; exit 5 if anything is wrong
      rpa audit verify --run 20261129T193000Z-ab12cd
      rpa audit prune --dry-run               # what the retention period would delete
    """


@audit_group.command("verify")
@click.option(
    "--run",
    "run_id",
    metavar="RUN_ID",
    help="Check this run's records, digest and "
    "evidence (with the chain around them) instead of the whole trail.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
def verify_command(ctx: click.Context, run_id: str | None, as_json: bool) -> None:
    """Re-check the hash chain, the digests and every evidence file.

    Exit 0 when everything is intact (files deleted by a recorded prune are listed, and are
    not a problem); exit 5 naming the first record that was edited, deleted, inserted or
    reordered, or the evidence file that changed or went missing; exit 6 for an unknown run.

    \b
    Examples:
      rpa audit verify
      rpa audit verify --run 20261129T193000Z-ab12cd --json
    """
    settings = load_cli_settings(ctx)
    if not ledger_exists(settings):
        click.echo("No ledger database yet: there is no audit trail to verify.")
        return
    with open_ledger(settings) as ledger:
        try:
            report = verify_trail(ledger.engine, settings.logs_dir, run_id=run_id)
        except UnknownRunError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(EXIT_NOT_FOUND)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else render_verification(report))
    if not report.ok:
        ctx.exit(EXIT_AUDIT_PROBLEM)


@audit_group.command("prune")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.pass_context
def prune_command(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Delete evidence files and debug logs older than audit.retention_days.

    The audit chain, its digests, run records and results files are never deleted. The prune
    is recorded in the chain (every file with its SHA-256) before anything is deleted, so
    'rpa audit verify' goes on passing and lists what was pruned. Run it daily (a schedule).

    \b
    Examples:
      rpa audit prune --dry-run
      RPA_AUDIT__RETENTION_DAYS=400 rpa audit prune
    """
    settings = load_cli_settings(ctx)
    days = settings.audit.retention_days
    if not ledger_exists(settings):
        click.echo("No ledger database yet: nothing to prune.")
        return
    with open_ledger(settings) as ledger:
        result = prune(ledger.engine, settings.logs_dir, days, dry_run=dry_run)
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else render_prune(result))
