"""At a terminal: a status line from the first second, log lines kept above it (not written
into it), colours off under NO_COLOR, and nothing but the results with --quiet. A real
pseudo-terminal and the real ``rpa`` command; no browser is needed (every request is
rejected before browser work, so Oracle is never opened)."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, rpa_command, write_requests
from tests.sandbox_settings import flow_env

EXAMPLE_SUPPLIERS = Path(__file__).resolve().parents[2] / "examples" / "suppliers.csv"


def _at_a_terminal(tmp_path: Path, *args: str, **env: str) -> str:
    rows = [
        {**row, "need_by_date": "2020-01-01", "description": "=not a formula, really"}
        for row in example_rows("TT", ["REQ-2026-0005"])
    ]
    source = write_requests(tmp_path / "orders.csv", rows)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "RPA_HOME": str(tmp_path / "home"),
        "RPA_ORACLE__BASE_URL": "http://127.0.0.1:9",  # never opened: nothing is left to raise
        "RPA_ORACLE__USERNAME": "SVC",
        "RPA_ORACLE__PASSWORD": "not-used",
        **env,
    }
    code, shown = _on_a_terminal(
        rpa_command("run", "raise-purchase-orders", "--input", str(source), *args), environment
    )
    assert code == 3, shown
    return shown


def _on_a_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``command`` with its stderr on a pseudo-terminal; its exit code and everything the
    terminal received (read while it runs, so a long output never blocks it)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command ended and closed its side
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    return process.wait(timeout=120), shown.decode("utf-8", errors="replace")


def test_a_status_line_shows_from_the_start_and_log_lines_stay_above_it(tmp_path: Path) -> None:
    terminal = _at_a_terminal(tmp_path)
    assert "Reading the request files…" in terminal
    # The file's warning is logged while the status line is up: the line is cleared first.
    warned = terminal.index("request file warning")
    assert terminal.rfind("\r\x1b[K", 0, warned) > terminal.index("Reading the request files")


def test_no_color_turns_colours_off(tmp_path: Path) -> None:
    coloured = _at_a_terminal(tmp_path / "a")
    plain = _at_a_terminal(tmp_path / "b", NO_COLOR="1")
    assert "\x1b[3" in coloured or "\x1b[1m" in coloured  # structlog's colours at a terminal
    assert "\x1b[3" not in plain and "\x1b[1m" not in plain


def test_quiet_shows_no_status_line(tmp_path: Path) -> None:
    terminal = _at_a_terminal(tmp_path, "--quiet")
    assert "Reading the request files" not in terminal
    assert "\r\x1b[K" not in terminal


def test_a_supplier_plan_shows_its_phases_and_keeps_rest_queries_off_the_console(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    env = {**flow_env(tmp_path / "home", sandbox_server), "NO_COLOR": "1"}
    code, terminal = _on_a_terminal(
        rpa_command("run", "sync-suppliers", "--input", str(EXAMPLE_SUPPLIERS), "--plan"), env
    )
    assert code in (0, 3), terminal
    assert "Reading the supplier file…" in terminal
    assert "Reading Oracle's suppliers" in terminal
    assert "HTTP Request" not in terminal and "fscmRestApi" not in terminal
