"""``rpa run sync-suppliers``: the command operators and the scheduler start."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import structlog

from app.cli_settings import load_cli_settings
from app.commands.json_output import print_json
from app.commands.target_option import sandbox_option, target_or_exit
from app.commands.terminal_progress import TerminalProgress
from app.flow_registry import FlowSpec, register
from flows.common.recorded_run import note_failure
from flows.sync_suppliers.book import FLOW
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.report import print_summary, result_json
from flows.sync_suppliers.run import run_sync
from rpa.exit_codes import EXIT_ABORTED
from rpa.flow_lock import FlowBusyError
from rpa.run_lock import hold_flow_lock
from rpa.run_record import new_run_id
from rpa.stop_signals import stop_requested_by_signals
from rpa.storage_faults import StorageFaultError
from rpa.trigger import detect_trigger

DESCRIPTION = "Bring Oracle's suppliers in line with the council's supplier file: plan, then apply."
PLAN_RUN_ID = "plan"
log = structlog.get_logger()


@click.command(
    FLOW,
    epilog="""\b
Examples:
  rpa run sync-suppliers --input suppliers.csv --plan      # show what would change
  rpa run sync-suppliers --input suppliers.xlsx --plan --json
  rpa run sync-suppliers --input suppliers.csv             # apply it
  rpa run sync-suppliers --input suppliers.csv --sandbox   # rehearse on the embedded sandbox
\b
Exit codes: 0 every change applied (or nothing to do); 3 some suppliers rejected, in conflict
or failed; 4 the run aborted; 2 usage or configuration error.""",
)
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The supplier file (CSV UTF-8 or XLSX), one row per supplier site.",
)
@click.option(
    "--plan",
    "plan",
    is_flag=True,
    help="Show the plan and change nothing (no ledger, no run record).",
)
@click.option("--json", "json_output", is_flag=True, help="Print one JSON object.")
@click.option("--operator", help="Who is running this (default: the OS user).")
@click.option(
    "--wait", is_flag=True, help="If the flow is already running, wait for it instead of refusing."
)
@click.option(
    "--quiet",
    is_flag=True,
    help="No status line or progress bar: only the results (for scripts and logs).",
)
@sandbox_option
@click.pass_context
def sync_suppliers_command(
    ctx: click.Context,
    input_path: Path,
    plan: bool,
    json_output: bool,
    operator: str | None,
    wait: bool,
    quiet: bool,
    sandbox: bool,
) -> None:
    """Reconcile Oracle's suppliers with the council's supplier file."""
    settings = load_cli_settings(ctx)
    # Oracle computes a supplier's status from its inactive date in UTC: deactivate on that day.
    options = SyncOptions(input_path=input_path, plan_only=plan, today=datetime.now(UTC).date())
    target = target_or_exit(ctx, settings, sandbox=sandbox)
    trigger = detect_trigger(operator=operator)
    stop = stop_requested_by_signals()  # finish the supplier in hand, start no other
    run_id = PLAN_RUN_ID if plan else new_run_id()
    recorder = None
    progress = TerminalProgress(
        "Applying supplier changes", enabled=sys.stderr.isatty() and not json_output and not quiet
    )
    try:
        if plan:
            result, _ = run_sync(
                settings,
                options,
                trigger=trigger,
                run_id=run_id,
                target=target,
                console_logging=not json_output,
                terminal=progress,
            )
        else:
            with hold_flow_lock(settings, FLOW, run_id, trigger.describe(), wait=wait):
                result, recorder = run_sync(
                    settings,
                    options,
                    trigger=trigger,
                    run_id=run_id,
                    target=target,
                    stop=stop,
                    console_logging=not json_output,
                    terminal=progress,
                )
    except FlowBusyError as exc:
        progress.close()
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_ABORTED)
    except StorageFaultError:
        raise  # one sentence and exit 4, from the rpa command itself
    except Exception as exc:  # Oracle unreachable while planning: report, do not trace back
        result = SyncResult(file=input_path, plan_only=plan)
        note_failure(result, exc)
    finally:
        progress.close()
    log_file = recorder.events_path if recorder and recorder.started else None
    if json_output:
        print_json(result_json(result, run_id, log_file=log_file, target=target.target_id))
    else:
        print_summary(result, run_id, log_file)
    ctx.exit(result.exit_code)


register(
    FlowSpec(
        name=FLOW, description=DESCRIPTION, command=sync_suppliers_command, default_timeout_s=3600.0
    )
)
