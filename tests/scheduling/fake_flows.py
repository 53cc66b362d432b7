"""TEST FAKE: flows `sleepy` and `crashy`, for exercising the scheduler with real processes.

Loaded only by tests, through ``RPA_EXTRA_FLOW_MODULES=tests.scheduling.fake_flows``. The thing
under test is the scheduler (and the flow lock), so the flow itself only sleeps, crashes, exits
with a chosen code or starts a headless Chromium grandchild, and records its run like a real
flow: a run record, the flow lock taken through ``hold_flow_lock``, and a marker file
``<home>/fake-runs/<run_id>.json`` with its pid, process group and browser pid.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from flows.registry import FlowSpec, register
from rpa.cli import load_cli_settings
from rpa.exit_codes import EXIT_ABORTED, EXIT_OK
from rpa.flow_lock import FlowBusyError, LockHolder, hold_flow_lock
from rpa.ledger import Ledger
from rpa.runs import RunRecorder, RunStatus, new_run_id
from rpa.trigger import detect_trigger

CHROMIUM = "/usr/bin/chromium"


def markers_dir(home: Path) -> Path:
    return home / "fake-runs"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _start_browser(profile: Path) -> subprocess.Popen[bytes]:
    # Same process group as the flow (no new session): exactly what a real flow's Chromium is.
    return subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@click.command("sleepy")
@click.option("--seconds", type=float, default=0.0, help="How long the fake run takes.")
@click.option("--exit-code", type=int, default=EXIT_OK, help="Exit with this code.")
@click.option("--crash", is_flag=True, help="Raise an unhandled exception (exit 1).")
@click.option("--browser", is_flag=True, help="Start a headless Chromium grandchild.")
@click.option("--ignore-sigterm", is_flag=True, help="Ignore SIGTERM (forces SIGKILL).")
@click.option(
    "--until-file",
    type=click.Path(path_type=Path),
    default=None,
    help="After starting, wait until this file exists (the test says when to end).",
)
@click.option("--operator", default=None, help="Who started the run.")
@click.option("--wait", is_flag=True, help="Wait for a running run of the flow to end.")
@click.pass_context
def sleepy(
    ctx: click.Context,
    seconds: float,
    exit_code: int,
    crash: bool,
    browser: bool,
    ignore_sigterm: bool,
    until_file: Path | None,
    operator: str | None,
    wait: bool,
) -> None:
    """TEST FAKE flow: sleep, crash, exit with a code, or start a browser."""
    settings = load_cli_settings(ctx)
    flow = ctx.info_name or "sleepy"
    if ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    trigger = detect_trigger(operator=operator)
    run_id = new_run_id()
    waiting_flag = markers_dir(settings.home) / f"{run_id}.waiting"

    def note_waiting(holder: LockHolder | None) -> None:
        waiting_flag.parent.mkdir(parents=True, exist_ok=True)
        waiting_flag.write_text(holder.describe() if holder else "unknown")

    try:
        with hold_flow_lock(
            settings, flow, run_id, trigger.describe(), wait=wait, on_wait=note_waiting
        ):
            recorder = RunRecorder(Ledger(settings.effective_ledger_url), settings.logs_dir)
            recorder.start(flow=flow, trigger=trigger, target_url=None, settings={}, run_id=run_id)
            marker = markers_dir(settings.home) / f"{run_id}.json"
            marker.parent.mkdir(parents=True, exist_ok=True)
            info: dict[str, object] = {
                "run_id": run_id,
                "flow": flow,
                "pid": os.getpid(),
                "pgid": os.getpgid(0),
                "trigger": trigger.as_dict(),
                "started": _now(),
                "browser_pid": None,
            }
            if browser:
                profile = Path(tempfile.mkdtemp(prefix="fake-flow-chromium-"))
                info["browser_pid"] = _start_browser(profile).pid
            marker.write_text(json.dumps(info))
            time.sleep(seconds)  # a test fake: taking time is its whole job
            deadline = time.monotonic() + 120
            while (
                until_file is not None and not until_file.exists() and (time.monotonic() < deadline)
            ):
                time.sleep(0.05)
            if crash:
                raise RuntimeError("the fake flow crashed on purpose")
            info["ended"] = _now()
            marker.write_text(json.dumps(info))
            recorder.finish(RunStatus.SUCCEEDED if exit_code == EXIT_OK else RunStatus.ABORTED)
    except FlowBusyError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_ABORTED)
    ctx.exit(exit_code)


register(FlowSpec("sleepy", "TEST FAKE: sleeps, crashes or starts a browser", sleepy, 60.0))
register(FlowSpec("crashy", "TEST FAKE: the same fake under a second name", sleepy, 60.0))
