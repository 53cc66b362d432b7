"""The ``rpa`` command: one entry point with sub-commands.

Exit codes (shared by every command): 0 success, 2 usage or configuration error,
3 some items rejected or failed, 4 the run aborted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from rpa import __version__
from rpa.exit_codes import EXIT_USAGE

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _settings_error(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"])
        problems.append(f"setting '{key}': {err['msg']}")
    return "Invalid configuration: " + "; ".join(problems)


def load_cli_settings(ctx: click.Context) -> Any:
    """Load settings once per invocation; an invalid setting exits 2 with one clear message."""
    from config.settings import load_settings

    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "settings" not in obj:
        overrides: dict[str, Any] = {}
        if obj.get("home"):
            overrides["home"] = obj["home"]
        try:
            obj["settings"] = load_settings(**overrides)
        except ValidationError as exc:
            click.echo(_settings_error(exc), err=True)
            ctx.exit(EXIT_USAGE)
    return obj["settings"]


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="rpa")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="RPA_HOME",
    help="Where all state lives: ledger, inbox, logs, sandbox data (default ~/.myoracle-rpa).",
)
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """Unattended bots for myOracle (Oracle Fusion) procurement.

    \b
    Examples:
      rpa sandbox serve                       # the local Oracle stand-in, for training
      rpa run raise-purchase-orders --input requests.csv
    """
    ctx.ensure_object(dict)["home"] = home


def _register_commands() -> None:
    from sandbox.cli import sandbox_group

    cli.add_command(sandbox_group)
    from rpa.commands.config_cmd import config_group
    from rpa.commands.doctor_cmd import doctor_command
    from rpa.commands.flows_cmd import flows_command
    from rpa.commands.schedule_cmd import schedule_command

    cli.add_command(flows_command)
    cli.add_command(schedule_command)
    cli.add_command(doctor_command)
    cli.add_command(config_group)
    from rpa.commands.audit_cmd import audit_group
    from rpa.commands.runs_cmd import runs_group
    from rpa.commands.viewer_cmd import viewer_command

    cli.add_command(runs_group)
    cli.add_command(audit_group)
    cli.add_command(viewer_command)
    try:
        from flows.cli import run_group
    except ImportError:  # the flows package registers its commands once it provides them
        return
    cli.add_command(run_group)


_register_commands()


def main() -> None:
    """Console entry point."""
    sys.exit(cli(standalone_mode=True))
