"""``rpa audit``: verify the tamper-evident audit trail, and apply the retention period."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.cli_settings import load_cli_settings
from app.commands.ledger_access import (
    ledger_exists,
    open_ledger,
    open_ledger_read_only,
    sqlite_file,
)
from rpa.audit.anchors import current_anchor, read_anchors, write_anchor
from rpa.audit.continuity import TrailContinuityError
from rpa.audit.prune import RetentionRule, prune
from rpa.audit.report_text import render_prune, render_verification
from rpa.audit.verify import UnknownRunError, verify_missing_ledger, verify_trail
from rpa.exit_codes import EXIT_ABORTED, EXIT_AUDIT_PROBLEM, EXIT_NOT_FOUND, EXIT_USAGE

# Not one of the run outcomes in rpa.exit_codes: the audit trail itself failed its check.


@click.group("audit")
def audit_group() -> None:
    """The audit trail: check that nobody edited the record, and prune old evidence.

    \b
    Examples:
      rpa audit verify                        # the whole trail; exit 5 if anything is wrong
      rpa audit verify --run 20261129T193000Z-ab12cd
      rpa audit prune --dry-run               # what the retention period would delete
      rpa audit anchor                        # the chain head, to audit.anchor_dir
    """


@audit_group.command("verify")
@click.option(
    "--run",
    "run_id",
    metavar="RUN_ID",
    help="Check this run's records, digest and "
    "evidence (with the chain around them) instead of the whole trail.",
)
@click.option(
    "--anchor",
    "anchor_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="FILE|DIR",
    help="Also prove the chain extends these anchors (an anchor file, or a folder of them; "
    "repeatable). Default: the folder audit.anchor_dir, when set.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
def verify_command(
    ctx: click.Context, run_id: str | None, anchor_paths: tuple[Path, ...], as_json: bool
) -> None:
    """Re-check the hash chain, the digests, every evidence file, and the tables and run
    records the support tools show.

    Exit 0 when everything is intact (files deleted by a recorded prune are listed, and are
    not a problem); exit 5 naming the first record that was edited, deleted, inserted or
    reordered, the table row or file that differs from the trail, the evidence file that
    changed or went missing, or a ledger that is missing or older than its digests and
    anchors; exit 6 for an unknown run. Reads only: it works on a read-only copy.

    \b
    Examples:
      rpa audit verify
      rpa audit verify --run 20261129T193000Z-ab12cd --json
      rpa audit verify --anchor /mnt/audit-anchors/myoracle-rpa
    """
    settings = load_cli_settings(ctx)
    locations = list(anchor_paths)
    anchor_dir = settings.audit.anchor_dir
    if not locations and anchor_dir is not None and anchor_dir.is_dir():
        locations = [anchor_dir]
    anchors = read_anchors(locations)
    if not ledger_exists(settings):
        database = sqlite_file(settings)
        missing = verify_missing_ledger(database, settings.logs_dir, anchors) if database else None
        if missing is None:
            click.echo("No ledger database yet: there is no audit trail to verify.")
            return
        click.echo(
            json.dumps(missing.as_dict(), indent=2) if as_json else render_verification(missing)
        )
        ctx.exit(EXIT_AUDIT_PROBLEM)
    with open_ledger_read_only(settings) as ledger:
        try:
            report = verify_trail(ledger.engine, settings.logs_dir, run_id=run_id, anchors=anchors)
        except UnknownRunError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(EXIT_NOT_FOUND)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else render_verification(report))
    if not report.ok:
        ctx.exit(EXIT_AUDIT_PROBLEM)


@audit_group.command("anchor")
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the anchor here instead of audit.anchor_dir.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the anchor as one JSON object.")
@click.pass_context
def anchor_command(ctx: click.Context, folder: Path | None, as_json: bool) -> None:
    """Write the chain head (seq, hash, last digest, time) to storage outside this host.

    Every run does this as it ends when audit.anchor_dir is set; run it by hand, or on a
    schedule, to anchor the trail as it stands. Keep the folder where the bot's account can
    add files but not change them. 'rpa audit verify --anchor DIR' then proves the chain
    still extends every anchor: no rewrite, no older copy put back. Reads the ledger only.

    \b
    Examples:
      rpa audit anchor
      rpa audit anchor --to /mnt/audit-anchors/myoracle-rpa
    """
    settings = load_cli_settings(ctx)
    target = folder or settings.audit.anchor_dir
    if target is None:
        click.echo(
            "No folder for the anchor: set audit.anchor_dir (RPA_AUDIT__ANCHOR_DIR) or give --to.",
            err=True,
        )
        ctx.exit(EXIT_USAGE)
    if not ledger_exists(settings):
        click.echo("No ledger database yet: there is no audit trail to anchor.", err=True)
        ctx.exit(EXIT_USAGE)
    with open_ledger_read_only(settings) as ledger:
        anchor = current_anchor(ledger.engine, ledger.url)
    try:
        path = write_anchor(anchor, target)
    except OSError as exc:
        click.echo(f"Could not write the anchor to {target}: {exc.strerror or exc}.", err=True)
        ctx.exit(EXIT_ABORTED)
    if as_json:
        click.echo(json.dumps({**anchor.as_dict(), "path": str(path)}, indent=2))
    else:
        click.echo(
            f"Anchored the chain head at seq {anchor.seq} (sha256 {anchor.hash}), "
            f"digest {anchor.digest_no}, in {path}."
        )


@audit_group.command("prune")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.pass_context
def prune_command(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Delete evidence files and debug logs past the retention period.

    By default evidence is kept for the year its run ended plus audit.retention_years (6)
    calendar years, UK time, and goes from the 1 January after; audit.retention_days, when
    set, keeps it that many days after the run ended instead.

    The audit chain, its digests, run records and results files are never deleted. The prune
    is recorded in the chain (every file with its SHA-256) before anything is deleted, so
    'rpa audit verify' goes on passing and lists what was pruned. Run it daily (a schedule).

    \b
    Examples:
      rpa audit prune --dry-run               # the cutoff, the rule, and what would go
      RPA_AUDIT__RETENTION_DAYS=400 rpa audit prune
    """
    settings = load_cli_settings(ctx)
    rule = RetentionRule(years=settings.audit.retention_years, days=settings.audit.retention_days)
    if not ledger_exists(settings):
        click.echo("No ledger database yet: nothing to prune.")
        return
    with open_ledger(settings) as ledger:
        try:
            result = prune(ledger.engine, settings.logs_dir, rule=rule, dry_run=dry_run)
        except TrailContinuityError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(EXIT_ABORTED)
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else render_prune(result))
