"""``rpa run FLOW …``: start a flow by hand (operators) or from the scheduler's child process."""

from __future__ import annotations

import click

from app.flow_registry import load_flows


class FlowGroup(click.Group):
    """A group whose sub-commands are the registered flows, loaded when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(load_flows())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = load_flows().get(cmd_name)
        return spec.command if spec else None


@click.group("run", cls=FlowGroup)
def run_group() -> None:
    """Run a flow now.

    \b
    Examples:
      rpa run raise-purchase-orders --input requests.csv
      rpa run raise-purchase-orders --dry-run --json
    """
