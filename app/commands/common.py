"""What several operator commands share: loading the flows and the schedule file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from app.flow_registry import FlowSpec, load_flows
from config.settings import Settings
from rpa.exit_codes import EXIT_USAGE

if TYPE_CHECKING:
    from app.scheduling.schedule_file import Schedule


def flows_or_exit(ctx: click.Context) -> dict[str, FlowSpec]:
    """The registered flows; a flow module that cannot be imported exits 2 with the reason."""
    try:
        return load_flows()
    except ImportError as exc:
        click.echo(
            f"A flow module could not be loaded: {exc}. Check the installation and "
            "RPA_EXTRA_FLOW_MODULES.",
            err=True,
        )
        ctx.exit(EXIT_USAGE)


def schedules_or_exit(
    ctx: click.Context, settings: Settings, flows: dict[str, FlowSpec]
) -> list[Schedule]:
    """The validated schedule file; any problem exits 2 with every problem listed."""
    from app.scheduling.schedule_file import ScheduleFileError, load_schedules

    try:
        return load_schedules(
            settings.scheduler.schedules_file, flows.keys(), settings.scheduler.timezone
        )
    except ScheduleFileError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_USAGE)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table, columns as wide as their widest cell."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [headers, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)
