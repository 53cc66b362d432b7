"""Evidence a real signed-in session keeps (real Chromium, the sandbox): the ARIA snapshot kept
for a page unlike the UI profile, and what never reaches evidence (a typed password, a
registered secret). Also: a session signs in through its gate, and a refused account is not
typed twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bots.errors import SignInRefusedError
from config.settings import BrowserSettings
from rpa.oracle_session import OracleSession
from rpa.oracle_target import OracleTarget
from rpa.redaction import MASK, forget_secrets, register_secret
from rpa.sign_in_gate import SignInGate
from sandbox.process import SandboxProcess

pytestmark = pytest.mark.browser
SECRET = "Hidden-Value-9"


def _target(sandbox: SandboxProcess, password: str) -> OracleTarget:
    return OracleTarget(
        sandbox.base_url,
        sandbox.username,
        SecretStr(password),
        embedded_sandbox=True,
        target_id="sandbox:test",
    )


@pytest.fixture
def session(sandbox_server: SandboxProcess) -> Iterator[OracleSession]:
    with OracleSession(_target(sandbox_server, sandbox_server.password), BrowserSettings()) as s:
        s.ready_pages()  # signs in
        yield s
    forget_secrets()


def test_the_aria_snapshot_is_the_page_s_tree_as_yaml_with_secrets_masked(
    session: OracleSession, tmp_path: Path
) -> None:
    register_secret(SECRET)
    session.page.set_content(f"<main><h1>Purchase Orders</h1><p>{SECRET}</p></main>")
    path = session.aria_snapshot(tmp_path / "REQ-1-aria.yaml")
    assert path == tmp_path / "REQ-1-aria.yaml"
    text = path.read_text(encoding="utf-8")
    assert '- heading "Purchase Orders" [level=1]' in text
    assert SECRET not in text and MASK in text


def test_no_aria_snapshot_of_a_page_whose_password_field_holds_text(
    session: OracleSession, tmp_path: Path
) -> None:
    """Playwright's snapshot writes a textbox's value as it is, a password's too."""
    session.page.set_content("<label>Password<input type=password id=p></label>")
    session.page.fill("#p", "typed-secret")
    assert session.aria_snapshot(tmp_path / "aria.yaml") is None
    assert not (tmp_path / "aria.yaml").exists()
    shot = session.screenshot(tmp_path / "shot.png")  # masked, so it may be kept
    assert shot is not None and shot.is_file()


def test_a_refused_password_is_typed_once_and_its_page_kept_without_a_snapshot(
    sandbox_server: SandboxProcess, tmp_path: Path
) -> None:
    gate = SignInGate(refusal_evidence=lambda: tmp_path / "sign-in-refused.png")
    wrong = _target(sandbox_server, "Not-The-Password-1")
    # One thread drives one Playwright at a time: the run's second session comes after.
    with OracleSession(wrong, BrowserSettings(), sign_in_gate=gate) as first:
        with pytest.raises(SignInRefusedError) as refused:
            first.ready_pages()
        assert refused.value.account == sandbox_server.username
        assert refused.value.evidence == [tmp_path / "sign-in-refused.png"]
        with pytest.raises(SignInRefusedError):  # not typed again
            first.ready_pages()
    with (
        OracleSession(wrong, BrowserSettings(), sign_in_gate=gate) as second,
        pytest.raises(SignInRefusedError),  # nor by another session of the run
    ):
        second.ready_pages()
    assert gate.attempts == 1
    assert [p.name for p in tmp_path.iterdir()] == ["sign-in-refused.png"]
