"""``rpa worker``: run flows from the fleet's queue on this host (ledger on PostgreSQL)."""

from __future__ import annotations

import click

from app.cli_settings import load_cli_settings
from app.commands.common import flows_or_exit
from rpa.exit_codes import EXIT_ABORTED, EXIT_USAGE


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 16),
    default=None,
    help="Flow runs at the same time on this worker (default: queue.worker_concurrency).",
)
@click.pass_context
def worker_command(ctx: click.Context, concurrency: int | None) -> None:
    """Take flow runs from the fleet's queue and run them, in the foreground, until SIGTERM.

    Needs the ledger on PostgreSQL (RPA_LEDGER_URL): the queue lives in the same database. Run
    one worker on every bot host; `rpa schedule` and `rpa run FLOW --defer` put runs on the
    queue, any worker takes them. Each run is `rpa run FLOW` in a child process with the flow's
    time limit; a flow never runs twice at once anywhere in the fleet. When a worker or its host
    dies, another worker starts its run again after queue.stalled_worker_timeout_s, and the
    run's unfinished requests are picked up (each raised once).

    \b
    Examples:
      RPA_LEDGER_URL=postgresql+psycopg://rpa@db.example/rpa rpa worker
      rpa worker --concurrency 2      # two different flows at a time on this host
    """
    from app.fleet.queue_app import QueueNotAvailableError, QueueSchemaError, libpq_url
    from app.fleet.worker import run_worker

    settings = load_cli_settings(ctx)
    flows = flows_or_exit(ctx)
    try:
        libpq_url(settings.effective_ledger_url)
    except QueueNotAvailableError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_USAGE)
    try:
        ctx.exit(run_worker(settings, flows, concurrency or settings.queue.worker_concurrency))
    except QueueSchemaError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_ABORTED)
