"""``rpa doctor``: is this host ready to run the bots unattended? Says what to fix if not."""

from __future__ import annotations

import click

from rpa.cli import load_cli_settings
from rpa.exit_codes import EXIT_OK, EXIT_USAGE


@click.command("doctor")
@click.pass_context
def doctor_command(ctx: click.Context) -> None:
    """Check the configuration, state directories, browser, Oracle (or the embedded sandbox)
    and the service account's sign-in; print what to fix. Exit 0 when all is well, 2 otherwise.

    Signing in launches Chromium once and, with no oracle.base_url, starts the embedded sandbox
    for the duration of the check.

    \b
    Examples:
      rpa doctor
      rpa --home /srv/rpa doctor
      RPA_ORACLE__BASE_URL=https://myoracle.example.gov.uk rpa doctor
    """
    from rpa.commands.doctor_checks import run_all_checks  # Playwright: only when asked for

    settings = load_cli_settings(ctx)
    failures = 0
    for check in run_all_checks(settings):
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
