"""``rpa doctor``: is this host ready to run the bots unattended? Says what to fix if not."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from app.cli_settings import load_cli_settings
from app.commands.json_output import print_json
from app.commands.target_option import sandbox_option
from rpa.exit_codes import EXIT_OK, EXIT_USAGE
from rpa.redaction import redact_text

if TYPE_CHECKING:
    from app.commands.doctor_checks import Check, ProbeRequest


@click.command("doctor")
@sandbox_option
@click.option(
    "--probe-ui",
    is_flag=True,
    help="After signing in, walk the UI profile read-only: every page, drawer and tab, every "
    "label, button and heading it names. Nothing is created or saved.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead.")
@click.pass_context
def doctor_command(ctx: click.Context, sandbox: bool, probe_ui: bool, as_json: bool) -> None:
    """Check the configuration, state directories, browser, Oracle (or the embedded sandbox)
    and the service account's sign-in; print what to fix. Exit 0 when all is well, 2 otherwise.

    Signing in launches Chromium once. With no Oracle configured the check fails (a flow would
    stop); with --sandbox (or oracle.target = "sandbox") it starts the embedded sandbox for the
    duration of the check and says so.

    --probe-ui is the first command to run against a new pod (and after each Oracle update): it
    lists each key of the UI profile (oracle.ui_profile) as found, missing, ambiguous (more than
    one element) or not checked (with the reason), and passes only when none is missing or
    ambiguous.

    \b
    Examples:
      rpa doctor
      rpa --home /srv/rpa doctor
      rpa doctor --sandbox                   # the rehearsal set-up
      rpa doctor --probe-ui                  # does the UI profile fit the pod's pages?
      rpa doctor --probe-ui --json > census.json
      RPA_ORACLE__BASE_URL=https://myoracle.example.gov.uk rpa doctor
    """
    from app.commands.doctor_checks import ProbeRequest, run_all_checks

    settings = load_cli_settings(ctx)
    probe = ProbeRequest() if probe_ui else None
    checks = []
    for found in run_all_checks(settings, sandbox=sandbox, probe=probe):
        # What a check says may quote a URL or an error's text: registered secrets (passwords,
        # a database password inside ledger_url) are masked before anything is printed.
        check = replace(found, detail=redact_text(found.detail), fix=redact_text(found.fix))
        checks.append(check)
        if not as_json:
            mark = "ok  " if check.ok else "FAIL"
            click.echo(f"[{mark}] {check.name}: {check.detail}")
            if not check.ok and check.fix:
                click.echo(f"       fix: {check.fix}")
    failures = sum(1 for check in checks if not check.ok)
    if probe_ui and probe is not None and probe.census is None:
        failures += 1  # the walk never ran: an earlier check stopped before signing in
    if as_json:
        print_json(doctor_document(checks, probe))
    else:
        if probe is not None and probe.census is not None:
            echo_census(probe)
        if failures:
            click.echo(f"\n{failures} problem(s) found.", err=True)
        else:
            click.echo("\nAll checks passed.")
    ctx.exit(EXIT_USAGE if failures else EXIT_OK)


def doctor_document(checks: list[Check], probe: ProbeRequest | None) -> dict[str, Any]:
    """The ``--json`` document: every check, and with --probe-ui the census key by key."""
    document: dict[str, Any] = {
        "ok": all(check.ok for check in checks) and (probe is None or probe.census is not None),
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix} for c in checks],
    }
    if probe is not None:
        census = probe.census
        document["ui_probe"] = (
            None
            if census is None
            else {
                "profile": census.profile,
                "profile_file": probe.profile_file,
                "all_found": census.all_found,
                "stopped": census.stopped,
                "keys": [
                    {"key": r.key, "status": r.status.value, "page": r.page, "detail": r.detail}
                    for r in sorted(census.results.values(), key=lambda r: r.key)
                ],
            }
        )
    return document


def echo_census(probe: ProbeRequest) -> None:
    """The keys to fix first (missing, ambiguous), then how many were not checked and why."""
    from bots.ui_probe import KeyStatus

    census = probe.census
    if census is None:
        return
    results = sorted(census.results.values(), key=lambda r: r.key)
    for status in (KeyStatus.MISSING, KeyStatus.AMBIGUOUS):
        listed = [r for r in results if r.status is status]
        if listed:
            click.echo(f"\n{status.value.upper()} in {probe.profile_file}:")
            for r in listed:
                click.echo(f"  {r.key}  (on {r.page or 'the walk'}: {r.detail})")
    unchecked = [r for r in results if r.status is KeyStatus.NOT_CHECKED]
    if unchecked:
        click.echo(f"\nnot checked ({len(unchecked)}): " + ", ".join(r.key for r in unchecked))
