"""``rpa flows``: the flows this installation can run, and when each runs next."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import click

from app.cli_settings import load_cli_settings
from app.commands.common import flows_or_exit, table
from config.settings import Settings
from rpa.fleet_lock import is_postgres_url
from rpa.run_lock import running_holder

if TYPE_CHECKING:
    from app.scheduling.listing import PlannedRun


def _format_seconds(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else (f"{minutes}m" if minutes else f"{secs}s")


def _when(planned: PlannedRun) -> float:
    return planned.next_run.timestamp() if planned.next_run else float("inf")


def _queued_by_flow(settings: Settings) -> dict[str, int]:
    """Runs waiting on the fleet's queue, by flow (ledger on PostgreSQL; else none)."""
    if not is_postgres_url(settings.effective_ledger_url):
        return {}
    from app.fleet.fleet_status import queue_status

    waiting: dict[str, int] = defaultdict(int)
    for job in queue_status(settings.effective_ledger_url).jobs:
        if job.status == "todo":
            waiting[job.flow] += 1
    return waiting


@click.command("flows")
@click.pass_context
def flows_command(ctx: click.Context) -> None:
    """List the flows: what each does, its time limit, whether it runs now, and its next
    scheduled runs (from the scheduler's job store, or the schedule file).

    \b
    Examples:
      rpa flows
      rpa run raise-purchase-orders --help    # a flow's own options
      rpa schedule --list                     # the schedules in detail
    """
    # Imported here: every `rpa` command loads this module, few need APScheduler.
    from app.scheduling.listing import planned_runs
    from app.scheduling.schedule_file import ScheduleFileError, load_schedules

    settings = load_cli_settings(ctx)
    flows = flows_or_exit(ctx)
    by_flow: dict[str, list[PlannedRun]] = defaultdict(list)
    schedule_problem = None
    try:
        schedules = load_schedules(
            settings.scheduler.schedules_file, flows.keys(), settings.scheduler.timezone
        )
        for planned in planned_runs(settings, schedules):
            if planned.schedule.enabled:
                by_flow[planned.schedule.flow].append(planned)
    except ScheduleFileError as exc:
        schedule_problem = exc
    queued = _queued_by_flow(settings)
    rows = []
    for name, spec in flows.items():
        holder = running_holder(settings, name)
        running = f"yes: {holder.describe()}" if holder else "no"
        if queued.get(name):
            running += f"; {queued[name]} queued"
        upcoming = "; ".join(
            f"{p.next_run_text} ({p.schedule.id})" for p in sorted(by_flow[name], key=_when)
        )
        timeout = settings.scheduler.timeout_for(name, spec.default_timeout_s)
        rows.append(
            [name, spec.description, _format_seconds(timeout), running, upcoming or "not scheduled"]
        )
    if not rows:
        click.echo("No flows are installed.")
    else:
        click.echo(
            table(["FLOW", "DESCRIPTION", "TIME LIMIT", "RUNNING NOW", "NEXT SCHEDULED RUN"], rows)
        )
    if schedule_problem is not None:
        click.echo(f"\nNext runs unknown: {schedule_problem}", err=True)
