"""``rpa run raise-purchase-orders``: the command operators and the scheduler start."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from app.cli_settings import load_cli_settings
from app.commands.json_output import print_json
from app.commands.target_option import sandbox_option, target_or_exit
from app.commands.terminal_progress import TerminalProgress
from app.flow_registry import FlowSpec, register
from app.oracle_targets import choose_target
from config.settings import Settings
from flows.raise_purchase_orders.book import FLOW
from flows.raise_purchase_orders.flow import RaiseOptions
from flows.raise_purchase_orders.report import (
    exit_code,
    print_dry_run,
    print_summary,
    result_json,
)
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.exit_codes import EXIT_ABORTED
from rpa.flow_lock import FlowBusyError
from rpa.logging import configure_logging
from rpa.oracle_target import TargetConfigError, TargetSource
from rpa.run_lock import hold_flow_lock
from rpa.run_record import new_run_id
from rpa.stop_signals import stop_requested_by_signals
from rpa.trigger import detect_trigger

DESCRIPTION = "Raise purchase orders in Oracle from approved request files, exactly once."


def _target_if_configured(settings: Settings, *, sandbox: bool) -> TargetSource | None:
    """A dry run checks names against Oracle when one is configured, and says so when not."""
    try:
        return choose_target(settings, sandbox=sandbox)
    except TargetConfigError:
        return None


@click.command(
    FLOW,
    epilog="""\b
Examples:
  rpa run raise-purchase-orders                          # every file in the inbox
  rpa run raise-purchase-orders --input requests.csv     # one file (it is copied, not moved)
  rpa run raise-purchase-orders --input folder/ --workers 3 --json
  rpa run raise-purchase-orders --input requests.xlsx --dry-run
  rpa run raise-purchase-orders --sandbox                # rehearse on the embedded sandbox
\b
Exit codes: 0 every request raised or already raised; 3 some rejected or failed;
4 the run aborted; 2 usage or configuration error (e.g. no Oracle configured).""",
)
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, path_type=Path),
    help="A request file (CSV/XLSX) or a folder of them. Default: the inbox.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Validate, check names against Oracle's reference data (read-only, when Oracle is "
    "configured) and show what would be raised; no order is touched, nor the ledger.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=None,
    help="Browser sessions working in parallel (default: the 'workers' setting).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the results.")
@click.option("--operator", help="Who is running this (default: the OS user).")
@click.option(
    "--wait",
    is_flag=True,
    help="If the flow is already running, wait for it to finish instead of refusing.",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="No status line or progress bar: only the results (for scripts and logs).",
)
@sandbox_option
@click.pass_context
def raise_purchase_orders_command(
    ctx: click.Context,
    input_path: Path | None,
    dry_run: bool,
    workers: int | None,
    as_json: bool,
    operator: str | None,
    wait: bool,
    quiet: bool,
    sandbox: bool,
) -> None:
    """Raise purchase orders from approved request files."""
    settings = load_cli_settings(ctx)
    options = RaiseOptions(
        input_path=input_path,
        dry_run=dry_run,
        workers=workers or settings.workers,
        today=date.today(),
    )
    trigger = detect_trigger(operator=operator)
    # Until a run has its own log file, problems go to stderr: stdout is for the result. A dry
    # run's own report names every rejection, so its console log adds only errors.
    configure_logging(
        level=settings.log_level, console=True, console_level="error" if dry_run else "warning"
    )
    if dry_run:
        result, _ = run_raise_purchase_orders(
            settings,
            options,
            trigger=trigger,
            run_id="dry-run",
            target=_target_if_configured(settings, sandbox=sandbox),
            console_logging=False,
        )
        if as_json:
            print_json(result_json(result, "dry-run", dry_run=True))
        else:
            print_dry_run(result)
        ctx.exit(exit_code(result))
    target = target_or_exit(ctx, settings, sandbox=sandbox)
    run_id = new_run_id()
    stop = stop_requested_by_signals()  # finish the request in hand, start no other
    progress = TerminalProgress(
        "Raising purchase orders", enabled=sys.stderr.isatty() and not as_json and not quiet
    )
    try:
        with hold_flow_lock(settings, FLOW, run_id, trigger.describe(), wait=wait):
            result, recorder = run_raise_purchase_orders(
                settings,
                options,
                trigger=trigger,
                run_id=run_id,
                target=target,
                stop=stop,
                console_logging=not as_json,
                terminal=progress,
            )
    except FlowBusyError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_ABORTED)  # refused: another run of this flow is in progress
    finally:
        progress.close()
    log_file = recorder.events_path if recorder and recorder.started else None
    if as_json:
        print_json(result_json(result, run_id, log_file=log_file, target=target.target_id))
    else:
        print_summary(result, run_id, log_file)
    ctx.exit(exit_code(result))


register(
    FlowSpec(
        name=FLOW,
        description=DESCRIPTION,
        command=raise_purchase_orders_command,
        default_timeout_s=3600.0,
    )
)
