"""``rpa sandbox …`` and ``python -m sandbox …``: serve the sandbox.

It reads its settings through ``config`` alone, so the sandbox runs without the rest of the suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import click
from pydantic import ValidationError

from config.settings import SandboxSettings, Settings, load_settings


def _settings(ctx: click.Context) -> Settings:
    """The suite's settings (``--home`` of ``rpa`` honoured); a bad setting is a usage error."""
    obj = ctx.ensure_object(dict)
    known = obj.get("settings")
    if isinstance(known, Settings):
        return known
    try:
        return load_settings(**({"home": obj["home"]} if obj.get("home") else {}))
    except ValidationError as exc:
        problems = "; ".join(
            f"setting '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in exc.errors()
        )
        raise click.UsageError(f"Invalid configuration: {problems}") from None


def _choices(setting: str) -> list[str]:
    """The values a sandbox setting accepts, read from the setting itself."""
    return list(get_args(SandboxSettings.model_fields[setting].annotation))


@click.group("sandbox")
def sandbox_group() -> None:
    """The local Oracle Fusion sandbox (training ground and test fixture)."""


@sandbox_group.command("serve")
@click.option("--host", help="Interface to listen on (default from settings: 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on; 0 picks a free one (default 8765).")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the sandbox keeps its database (default <home>/sandbox).",
)
@click.option("--reset", is_flag=True, help="Restore the seed data before serving.")
@click.option("--latency-ms", type=int, help="Delay added to every data call, in milliseconds.")
@click.option("--fault-rate", type=float, help="Share of REST calls answered 500/503 (0 to 1).")
@click.option(
    "--ui-variant",
    type=click.Choice(_choices("ui_variant")),
    help="How the pages look: 'redwood' (default) or 'redwood-alt' (another release's labels, "
    "wordings and NCC order numbers; see docs/sandbox.md).",
)
@click.option(
    "--sign-in",
    "sign_in",
    type=click.Choice(_choices("sign_in")),
    help="The sign-in page: 'single-step' (default), 'two-step' (user name, Next, password) "
    "or 'sso' (company single sign-on only: nobody can sign in on the pages).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name to answer besides the sandbox's own address (and localhost on loopback); "
    "repeat for more. Requests naming any other host are refused (421).",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    reset: bool,
    latency_ms: int | None,
    fault_rate: float | None,
    ui_variant: str | None,
    sign_in: str | None,
    allowed_hosts: tuple[str, ...],
) -> None:
    """Serve the sandbox's pages and REST API until interrupted.

    \b
    Examples:
      rpa sandbox serve
      rpa sandbox serve --port 0 --data-dir /tmp/sbx --reset
      rpa sandbox serve --latency-ms 300 --fault-rate 0.05
      rpa sandbox serve --ui-variant redwood-alt --sign-in two-step
      rpa sandbox serve --host 0.0.0.0 --allowed-host sandbox.internal
    """
    from sandbox.app import SandboxSetupError
    from sandbox.server import serve

    settings = _settings(ctx)
    given = {
        "host": host,
        "port": port,
        "latency_ms": latency_ms,
        "fault_rate": fault_rate,
        "ui_variant": ui_variant,
        "sign_in": sign_in,
    }
    overrides: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    try:
        sandbox = SandboxSettings.model_validate(settings.sandbox.model_dump() | overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'-'.join(str(p) for p in e['loc']).replace('_', '-')}: {e['msg']}"
            for e in exc.errors()
        )
        raise click.UsageError(problems) from None
    target = data_dir or settings.sandbox_data_dir

    def announce(url: str) -> None:
        click.echo(f"Sandbox listening on {url}/  (data: {target})")
        click.echo(f"Sign in as {sandbox.username} (password from settings: sandbox.password)")
        click.echo(f"UI variant: {sandbox.ui_variant}; sign-in page: {sandbox.sign_in}")

    try:
        serve(sandbox, target, reset=reset, announce=announce, extra_hosts=allowed_hosts)
    except SandboxSetupError as exc:
        raise click.ClickException(str(exc)) from None
