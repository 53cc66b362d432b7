"""The one function every scheduled job calls.

APScheduler stores each job's target as an import path (``app.scheduling.job:run_scheduled_flow``)
and its arguments as plain values. If that path stopped importing, APScheduler would delete the
jobs it could not restore, so this module stays small, stable and free of heavy imports; the
work is done by the scheduler's runtime, installed here when the scheduler starts.
"""

from __future__ import annotations

from typing import Protocol


class ScheduledRunner(Protocol):
    """What runs one scheduled flow (the scheduler's runtime)."""

    def run_once(self, schedule_id: str, flow: str, args: tuple[str, ...]) -> None: ...


_runner: ScheduledRunner | None = None


def install_runner(runner: ScheduledRunner | None) -> None:
    """Set (or clear) what scheduled jobs run through; called by the scheduler at start/stop."""
    global _runner
    _runner = runner


def run_scheduled_flow(schedule_id: str, flow: str, args: list[str]) -> None:
    """Run ``flow`` once for schedule ``schedule_id`` (APScheduler calls this)."""
    if _runner is None:
        raise RuntimeError("scheduled job called outside a running scheduler")
    _runner.run_once(schedule_id, flow, tuple(args))
