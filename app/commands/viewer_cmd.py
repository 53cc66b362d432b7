"""``rpa viewer``: the read-only web page over the run log, for support staff."""

from __future__ import annotations

import click

from app.cli_settings import load_cli_settings
from app.commands.ledger_access import ledger_exists, open_ledger_read_only
from rpa.exit_codes import EXIT_USAGE
from rpa.logging import configure_logging
from rpa.redaction import register_secret


@click.command("viewer")
@click.option(
    "--host",
    help="Address to listen on (default: audit.viewer.host, 127.0.0.1). "
    "Any other than loopback needs audit.viewer.username and password.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    help="Port (default: audit.viewer.port, 8790; 0: any free port).",
)
@click.pass_context
def viewer_command(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve a read-only web page of the run log: runs with filters, each run's items,
    Oracle's messages, screenshots and traces, search by request id or PO number, and the
    integrity of each run's audit records. It changes nothing.

    \b
    Examples:
      rpa viewer                              # http://127.0.0.1:8790/
      rpa viewer --port 0                     # any free port; the URL is printed
      RPA_AUDIT__VIEWER__USERNAME=support RPA_AUDIT__VIEWER__PASSWORD=... \\
        rpa viewer --host 0.0.0.0             # other machines: credentials required
    """
    # Imported here: the web server's modules are not needed by any other command.
    from app.viewer.server import ViewerConfigError, check_exposure, serve

    settings = load_cli_settings(ctx)
    viewer = settings.audit.viewer
    bind_host = host or viewer.host
    try:
        check_exposure(bind_host, viewer)
    except ViewerConfigError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_USAGE)
    register_secret(viewer.password)
    configure_logging(level=settings.log_level, console=True)

    def ready(url: str) -> None:
        click.echo(f"Run log viewer (read-only): {url}  — Ctrl-C to stop", err=False)

    if not ledger_exists(settings):
        click.echo("No ledger database yet: there are no runs to show.")
        return
    with open_ledger_read_only(settings) as ledger:
        try:
            serve(
                ledger,
                settings.logs_dir,
                viewer,
                host=bind_host,
                port=viewer.port if port is None else port,
                on_ready=ready,
            )
        except OSError as exc:
            click.echo(f"The viewer could not listen on {bind_host}: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
