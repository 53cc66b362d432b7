"""The sign-in forms a pod may show: IDCS's two-step form is signed in through (user name, Next,
password); a federated single-sign-on page is recognised and never typed into, and the run stops
at once (exit 4) with every request pending. Real Chromium, real sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import SandboxSettings
from flows.common.outcomes import ItemStatus
from rpa.exit_codes import exit_code_for
from rpa.run_record import RunStatus
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, run_flow, unique_tag, write_requests
from tests.sandbox_settings import flow_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def two_step_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    settings = SandboxSettings(port=0, sign_in="two-step")
    with SandboxProcess(tmp_path_factory.mktemp("two-step"), settings, reset=True) as server:
        yield server


@pytest.fixture(scope="module")
def sso_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    settings = SandboxSettings(port=0, sign_in="sso")
    with SandboxProcess(tmp_path_factory.mktemp("sso"), settings, reset=True) as server:
        yield server


def test_the_two_step_form_is_signed_in_through(
    tmp_path: Path, two_step_sandbox: SandboxProcess
) -> None:
    rows = example_rows(unique_tag(), ["REQ-2026-0003"], one_line=True)
    source = write_requests(tmp_path / "requests.csv", rows)
    result = run_flow(flow_settings(tmp_path / "home", two_step_sandbox), source)
    assert result.aborted is None, result.aborted
    assert [o.status for o in result.items] == [ItemStatus.RAISED]


def test_a_single_sign_on_page_stops_the_run_without_typing_into_it(
    tmp_path: Path, sso_sandbox: SandboxProcess
) -> None:
    rows = example_rows(unique_tag(), ["REQ-2026-0003", "REQ-2026-0004"])
    source = write_requests(tmp_path / "requests.csv", rows)
    home = tmp_path / "home"
    result = run_flow(flow_settings(home, sso_sandbox), source)
    assert result.run_status is RunStatus.ABORTED
    assert exit_code_for(result.run_status) == 4
    assert result.aborted is not None and "single sign-on" in result.aborted
    assert sso_sandbox.username in result.aborted
    assert not [o for o in result.items if o.status in (ItemStatus.REJECTED, ItemStatus.FAILED)]
    # Nothing of the account's password was typed anywhere the run wrote.
    written = [p for p in home.rglob("*") if p.is_file()]
    assert all(sso_sandbox.password.encode() not in p.read_bytes() for p in written)
