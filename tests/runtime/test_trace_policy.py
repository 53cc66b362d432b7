"""Which attempts record a Playwright trace (``browser.trace``), with a real signed-in session."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from config.settings import BrowserSettings
from rpa.oracle_session import OracleSession
from rpa.oracle_target import OracleTarget
from sandbox.process import SandboxProcess

pytestmark = pytest.mark.browser


def traces_kept(
    session: OracleSession, folder: Path, policy: str, attempts: list[int]
) -> list[int]:
    """Start and stop a trace for each attempt number; return the attempts that left a file."""
    session.browser_settings = BrowserSettings(trace=policy)
    session.ready_pages()  # signs in
    kept = []
    for attempt in attempts:
        session.start_trace(attempt)
        session.page.reload()
        path = folder / f"{policy}-{attempt}.zip"
        session.stop_trace(path)
        if path.is_file():
            kept.append(attempt)
    return kept


def test_trace_policies(tmp_path: Path, sandbox_server: SandboxProcess) -> None:
    """on_retry traces attempts from the second on; always traces every one; off none."""
    target = OracleTarget(
        sandbox_server.base_url,
        sandbox_server.username,
        SecretStr(sandbox_server.password),
        embedded_sandbox=True,
        target_id="sandbox:test",
    )
    with OracleSession(target, BrowserSettings()) as session:
        assert traces_kept(session, tmp_path, "on_retry", [1, 2, 3]) == [2, 3]
        assert traces_kept(session, tmp_path, "always", [1]) == [1]
        assert traces_kept(session, tmp_path, "off", [1, 2]) == []
