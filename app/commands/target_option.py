"""``--sandbox`` on every ``rpa run FLOW``, and turning the chosen target into an exit code when
there is none: a flow with no Oracle configured stops (exit 2) and touches nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from app.oracle_targets import choose_target
from config.settings import Settings
from rpa.exit_codes import EXIT_USAGE
from rpa.oracle_target import TargetConfigError, TargetSource

F = TypeVar("F", bound=Callable[..., object])


def sandbox_option(function: F) -> F:
    decorated: F = click.option(
        "--sandbox",
        is_flag=True,
        help="Rehearse against the embedded sandbox instead of myOracle (nothing real is touched).",
    )(function)
    return decorated


def target_or_exit(ctx: click.Context, settings: Settings, *, sandbox: bool) -> TargetSource:
    """The Oracle to work against; with none configured, the reason on stderr and exit 2."""
    try:
        return choose_target(settings, sandbox=sandbox)
    except TargetConfigError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_USAGE)
        raise  # unreachable: ctx.exit raises
