"""``rpa run FLOW …``: start a flow by hand (operators) or from the scheduler's child process;
``rpa run FLOW … --defer`` puts the run on the fleet's queue instead (ledger on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from app.flow_registry import load_flows
from rpa.exit_codes import EXIT_USAGE

DEFER_FLAG = "--defer"
# Options that mean nothing to a run started later by a worker on another host.
NOT_DEFERRABLE = {"wait"}


class FlowGroup(click.Group):
    """A group whose sub-commands are the registered flows, loaded when first asked for.

    ``--defer`` anywhere among a flow's options (before a ``--``) turns the command into
    :func:`deferred_run_command` for that flow.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(load_flows())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = load_flows().get(cmd_name)
        return spec.command if spec else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        options_end = rest.index("--") if "--" in rest else len(rest)
        if name and command is not None and DEFER_FLAG in rest[:options_end]:
            rest = list(rest)
            rest.remove(DEFER_FLAG)
            return name, deferred_run_command(name, command), rest
        return name, command, rest


def _as_arguments(ctx: click.Context, flow_command: click.Command) -> list[str]:
    """The options the operator typed, as a worker on another host must be given them: paths
    made absolute (they must be on the directory the hosts share)."""
    arguments: list[str] = []
    for param in flow_command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value: Any = ctx.params[param.name]
        flag = max(param.opts, key=len)
        if param.name in NOT_DEFERRABLE:
            raise click.UsageError(f"{flag} cannot be combined with {DEFER_FLAG}.")
        if param.is_flag:
            if value:
                arguments.append(flag)
        elif isinstance(value, Path):
            arguments += [flag, str(value.absolute())]
        elif value is not None:
            arguments += [flag, str(value)]
    return arguments


def deferred_run_command(flow: str, flow_command: click.Command) -> click.Command:
    """``rpa run FLOW … --defer``: the flow's own options, checked here, then one job on the
    queue; a worker on any host runs it, attributed to the operator who queued it."""

    def defer(**_: Any) -> None:
        from app.cli_settings import load_cli_settings
        from app.fleet.queue_app import (
            QueueNotAvailableError,
            ensure_queue_schema,
            sync_queue_app,
        )
        from app.fleet.queued_runs import RunOrigin, defer_run
        from rpa.trigger import current_os_user

        ctx = click.get_current_context()
        settings = load_cli_settings(ctx)
        arguments = _as_arguments(ctx, flow_command)
        operator = ctx.params.get("operator") or current_os_user()
        try:
            ensure_queue_schema(settings.effective_ledger_url)
        except QueueNotAvailableError as exc:
            click.echo(str(exc).replace("The fleet's queue", f"{DEFER_FLAG}"), err=True)
            ctx.exit(EXIT_USAGE)
        app = sync_queue_app(settings.effective_ledger_url)
        with app.open():
            job_id = defer_run(app, flow, arguments, RunOrigin(operator=operator))
        if ctx.params.get("as_json"):
            import json

            click.echo(json.dumps({"flow": flow, "status": "queued", "job_id": job_id}))
        else:
            click.echo(
                f"Queued {flow} as job {job_id}: a worker on any host will run it "
                "(`rpa flows` shows it; `rpa runs list` its record once it has run)."
            )

    return click.Command(
        flow,
        params=list(flow_command.params),
        callback=defer,
        help=f"Put a run of {flow} on the fleet's queue ({DEFER_FLAG}).",
    )


@click.group("run", cls=FlowGroup)
def run_group() -> None:
    """Run a flow now, here; or, with --defer, put it on the fleet's queue for any worker.

    \b
    Examples:
      rpa run raise-purchase-orders --input requests.csv
      rpa run raise-purchase-orders --dry-run --json
      rpa run raise-purchase-orders --defer      # ledger on PostgreSQL: any host's worker
    """
