"""``rpa schedule``: run flows on their schedules (the unattended service), or list them."""

from __future__ import annotations

import click

from app.cli_settings import load_cli_settings
from app.commands.common import flows_or_exit, schedules_or_exit, table
from rpa.exit_codes import EXIT_ABORTED
from rpa.fleet_lock import is_postgres_url


@click.command("schedule")
@click.option(
    "--list",
    "list_only",
    is_flag=True,
    help="Show the schedules (id, flow, timing, time zone, enabled, next run) and exit.",
)
@click.pass_context
def schedule_command(ctx: click.Context, list_only: bool) -> None:
    """Run flows on their schedules, in the foreground, until SIGTERM or Ctrl-C.

    Schedules come from the schedule file (scheduler.schedules_file, default
    config/schedules.toml); an invalid entry stops the start with a message naming it (exit 2).
    Each run is `rpa run FLOW` in a child process with a time limit. On SIGTERM/SIGINT no new
    run starts; running flows are asked to finish (SIGTERM) and get scheduler.shutdown_grace_s,
    then are stopped and recorded as interrupted. Only one scheduler may use a job store (exit 4
    if one already does).

    With the ledger on PostgreSQL (RPA_LEDGER_URL) the scheduler runs nothing itself: it puts
    each run on the fleet's queue for `rpa worker` on any host. Any number of schedulers may
    run (one per host); each tick is queued once, and a tick that passed while none was running
    is recorded as missed.

    \b
    Examples:
      rpa schedule --list                     # what runs when; checks the schedule file
      rpa schedule                            # run the scheduler (systemd runs this)
      RPA_SCHEDULER__SCHEDULES_FILE=/etc/rpa/schedules.toml rpa schedule
      python scheduler.py                     # the same, without the rpa command installed
    """
    # Imported here: every `rpa` command loads this module, few need APScheduler.
    from app.scheduling.instance_lock import SchedulerAlreadyRunningError
    from app.scheduling.listing import planned_runs, scheduler_state
    from app.scheduling.service import run_scheduler

    settings = load_cli_settings(ctx)
    flows = flows_or_exit(ctx)
    schedules = schedules_or_exit(ctx, settings, flows)
    if list_only:
        rows = [
            [
                p.schedule.id,
                p.schedule.flow,
                p.schedule.when,
                p.schedule.timezone,
                "yes" if p.schedule.enabled else "no",
                p.next_run_text,
            ]
            for p in planned_runs(settings, schedules)
        ]
        click.echo(f"Schedule file: {settings.scheduler.schedules_file}")
        click.echo(
            "Scheduler: fleet (ledger on PostgreSQL): every `rpa schedule` queues each tick "
            "once, for `rpa worker` on any host"
            if is_postgres_url(settings.effective_ledger_url)
            else scheduler_state(settings)
        )
        click.echo("")
        click.echo(
            table(["ID", "FLOW", "WHEN", "TIME ZONE", "ENABLED", "NEXT RUN"], rows)
            if rows
            else "No schedules in the file: nothing would run."
        )
        return
    if is_postgres_url(settings.effective_ledger_url):
        # A fleet: every scheduler queues each tick once; workers run them (app.fleet).
        from app.fleet.fleet_scheduler import run_fleet_scheduler

        ctx.exit(run_fleet_scheduler(settings, flows, schedules))
    try:
        ctx.exit(run_scheduler(settings, flows, schedules))
    except SchedulerAlreadyRunningError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_ABORTED)
