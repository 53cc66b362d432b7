"""TEST FAKE: flows `sleepy` and `crashy`, for exercising the scheduler with real processes.

Loaded only by tests, through ``RPA_EXTRA_FLOW_MODULES=tests.scheduling.fake_flows``. The thing
under test is the scheduler (and the flow lock), so the flow itself only sleeps, crashes, exits
with a chosen code, starts a headless Chromium grandchild or a helper in a session of its own
(as the embedded sandbox is), and records its run like a real flow: a run record, the flow lock
taken through ``hold_flow_lock``, and a marker file ``<home>/fake-runs/<run_id>.json`` with its
pid, process group and helpers' pids.

On SIGTERM it behaves like the real flows: ``--on-sigterm finish`` finishes the work in hand
(here: keeps sleeping or waiting), ``exit`` (the default) stops at once, recorded as aborted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click

from app.cli_settings import load_cli_settings
from app.flow_registry import FlowSpec, register
from rpa.exit_codes import EXIT_ABORTED, EXIT_OK
from rpa.flow_lock import FlowBusyError, LockHolder
from rpa.ledger import Ledger
from rpa.run_lock import hold_flow_lock
from rpa.run_record import RunStatus, new_run_id
from rpa.runs import RunRecorder
from rpa.trigger import detect_trigger

CHROMIUM = "/usr/bin/chromium"
UNTIL_FILE_LIMIT_S = 120.0


class StopRequestedError(Exception):
    """SIGTERM arrived and the fake was told to stop at once."""


def markers_dir(home: Path) -> Path:
    return home / "fake-runs"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _start_browser() -> int:
    """A headless Chromium in the flow's own process group, as a real flow's browser is."""
    profile = tempfile.mkdtemp(prefix="fake-flow-chromium-")
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid


def _start_daemon() -> int:
    """A helper in a session of its own, as the embedded sandbox is: outside the group."""
    command = [sys.executable, "-c", "import time; time.sleep(300)"]
    return subprocess.Popen(
        command,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ).pid


def _take_time(seconds: float, until_file: Path | None) -> None:
    time.sleep(seconds)  # a test fake: taking time is its whole job
    deadline = time.monotonic() + UNTIL_FILE_LIMIT_S
    while until_file is not None and not until_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _on_sigterm(mode: str) -> None:
    def stop_now(signum: int, frame: FrameType | None) -> None:
        raise StopRequestedError

    def carry_on(signum: int, frame: FrameType | None) -> None:
        return None  # finish the work in hand; sleeps resume after the handler

    signal.signal(signal.SIGTERM, stop_now if mode == "exit" else carry_on)


@click.command("sleepy")
@click.option("--seconds", type=float, default=0.0, help="How long the fake run takes.")
@click.option(
    "--until-file",
    type=click.Path(path_type=Path),
    default=None,
    help="Then wait until this file exists (the test says when to end).",
)
@click.option("--exit-code", type=int, default=EXIT_OK, help="Exit with this code.")
@click.option("--crash", is_flag=True, help="Raise an unhandled exception (exit 1).")
@click.option("--browser", is_flag=True, help="Start a headless Chromium grandchild.")
@click.option("--daemon", is_flag=True, help="Start a helper outside the process group.")
@click.option(
    "--on-sigterm",
    type=click.Choice(["exit", "finish"]),
    default="exit",
    help="Stop at once, or finish the work in hand.",
)
@click.option("--operator", default=None, help="Who started the run.")
@click.option("--wait", is_flag=True, help="Wait for a running run of the flow to end.")
@click.pass_context
def sleepy(
    ctx: click.Context,
    seconds: float,
    until_file: Path | None,
    exit_code: int,
    crash: bool,
    browser: bool,
    daemon: bool,
    on_sigterm: str,
    operator: str | None,
    wait: bool,
) -> None:
    """TEST FAKE flow: sleep, crash, exit with a code, or start a browser or a helper."""
    settings = load_cli_settings(ctx)
    flow = ctx.info_name or "sleepy"
    _on_sigterm(on_sigterm)
    trigger = detect_trigger(operator=operator)
    run_id = new_run_id()
    markers = markers_dir(settings.home)
    markers.mkdir(parents=True, exist_ok=True)

    def note_waiting(holder: LockHolder | None) -> None:
        (markers / f"{run_id}.waiting").write_text(holder.describe() if holder else "unknown")

    try:
        with hold_flow_lock(
            settings, flow, run_id, trigger.describe(), wait=wait, on_wait=note_waiting
        ):
            recorder = RunRecorder(Ledger(settings.effective_ledger_url), settings.logs_dir)
            recorder.start(flow=flow, trigger=trigger, target_url=None, settings={}, run_id=run_id)
            info: dict[str, Any] = {
                "run_id": run_id,
                "flow": flow,
                "pid": os.getpid(),
                "pgid": os.getpgid(0),
                "trigger": trigger.as_dict(),
                "started": _now(),
                "browser_pid": _start_browser() if browser else None,
                "daemon_pid": _start_daemon() if daemon else None,
            }
            marker = markers / f"{run_id}.json"
            marker.write_text(json.dumps(info))
            try:
                _take_time(seconds, until_file)
            except StopRequestedError:
                recorder.finish(RunStatus.ABORTED, message="stopped by SIGTERM")
                ctx.exit(EXIT_ABORTED)
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
