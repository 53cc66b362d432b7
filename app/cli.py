"""The ``rpa`` command: the composition root that puts the sub-commands together.

Exit codes (shared by every command): 0 success, 2 usage or configuration error,
3 some items rejected or failed, 4 the run aborted.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

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
from app.commands.worker_cmd import worker_command
from rpa import __version__
from rpa.audit.continuity import TrailContinuityError
from rpa.exit_codes import EXIT_ABORTED
from rpa.file_modes import restrict_new_files
from rpa.ledger import SchemaUpgradeNeededError, SchemaVersionError
from rpa.logging import FILE_ONLY_LOGGER
from rpa.storage_faults import places_of, storage_fault
from sandbox.cli import sandbox_group


class RpaGroup(click.Group):
    """The top command: a fault of the storage (a locked ledger, a read-only or full disk),
    wherever it surfaces, ends any command with one sentence on stderr and exit 4; its
    traceback goes to the run's log, if the command has one, and never to the console."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except (SchemaUpgradeNeededError, SchemaVersionError, TrailContinuityError) as exc:
            click.echo(str(exc), err=True)
            ctx.exit(EXIT_ABORTED)
        except Exception as exc:
            obj = ctx.obj if isinstance(ctx.obj, dict) else {}
            fault = storage_fault(exc, places_of(obj.get("settings")))
            if fault is None:
                raise
            logging.getLogger(FILE_ONLY_LOGGER).error("stopped: %s", fault.sentence, exc_info=exc)
            click.echo(fault.sentence, err=True)
            ctx.exit(EXIT_ABORTED)


@click.group(cls=RpaGroup, context_settings=CONTEXT_SETTINGS)
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
    worker_command,
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
    """Console entry point (``rpa``, ``python -m app``). New files are ``0640``, directories
    ``0750`` (rpa.file_modes), whatever umask the caller had."""
    restrict_new_files()
    sys.exit(cli(standalone_mode=True))
