"""The ``rpa`` command: the composition root that puts the sub-commands together.

Exit codes (shared by every command): 0 success, 2 usage or configuration error,
3 some items rejected or failed, 4 the run aborted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli_settings import CONTEXT_SETTINGS
from app.commands.audit_cmd import audit_group
from app.commands.config_cmd import config_group
from app.commands.doctor_cmd import doctor_command
from app.commands.flows_cmd import flows_command
from app.commands.items_cmd import items_group
from app.commands.run_cmd import run_group
from app.commands.runs_cmd import runs_group
from app.commands.schedule_cmd import schedule_command
from app.commands.viewer_cmd import viewer_command
from rpa import __version__
from sandbox.cli import sandbox_group


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


for command in (
    run_group,
    flows_command,
    schedule_command,
    doctor_command,
    config_group,
    runs_group,
    items_group,
    audit_group,
    viewer_command,
    sandbox_group,
):
    cli.add_command(command)


def main() -> None:
    """Console entry point."""
    sys.exit(cli(standalone_mode=True))
