"""``rpa doctor``: is this host ready to run the bots unattended? Says what to fix if not."""

from __future__ import annotations

import click

from app.cli_settings import load_cli_settings
from app.commands.target_option import sandbox_option
from rpa.exit_codes import EXIT_OK, EXIT_USAGE


@click.command("doctor")
@sandbox_option
@click.pass_context
def doctor_command(ctx: click.Context, sandbox: bool) -> None:
    """Check the configuration, state directories, browser, Oracle (or the embedded sandbox)
    and the service account's sign-in; print what to fix. Exit 0 when all is well, 2 otherwise.

    Signing in launches Chromium once. With no Oracle configured the check fails (a flow would
    stop); with --sandbox (or oracle.target = "sandbox") it starts the embedded sandbox for the
    duration of the check and says so.

    \b
    Examples:
      rpa doctor
      rpa --home /srv/rpa doctor
      rpa doctor --sandbox                   # the rehearsal set-up
      RPA_ORACLE__BASE_URL=https://myoracle.example.gov.uk rpa doctor
    """
    from app.commands.doctor_checks import run_all_checks

    settings = load_cli_settings(ctx)
    failures = 0
    for check in run_all_checks(settings, sandbox=sandbox):
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok:
            failures += 1
            if check.fix:
                click.echo(f"       fix: {check.fix}")
    if failures:
        click.echo(f"\n{failures} problem(s) found.", err=True)
        ctx.exit(EXIT_USAGE)
    click.echo("\nAll checks passed.")
    ctx.exit(EXIT_OK)
