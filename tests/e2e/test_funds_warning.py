"""Oracle's funds-check warning on Submit, through the whole flow: answered as the UI profile's
``[warnings]`` policy says. Not accepted (the shipped profiles accept none): the request is
rejected with the warning's text and its Incomplete order is kept and named for a buyer to
decide. Accepted by a council's profile: the order is submitted. Real Chromium, a sandbox that
warns above £100."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from config.settings import SandboxSettings
from flows.common.outcomes import ItemStatus
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, orders_for, run_flow, unique_tag, write_requests
from tests.sandbox_settings import flow_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def warning_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    settings = SandboxSettings(port=0, funds_check_warning_above=100.0)
    with SandboxProcess(tmp_path_factory.mktemp("funds"), settings, reset=True) as server:
        yield server


@pytest.fixture(scope="module")
def warning_rest(warning_sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=warning_sandbox.rest_base,
        auth=(warning_sandbox.username, warning_sandbox.password),
        timeout=30.0,
    ) as client:
        yield client


def _one_line_request(tmp_path: Path) -> tuple[str, Path]:
    rows = example_rows(unique_tag(), ["REQ-2026-0003"])[:1]  # one line is enough here
    return rows[0]["request_id"], write_requests(tmp_path / "orders.csv", rows)


def test_a_warning_the_profile_does_not_accept_keeps_the_draft_for_a_buyer(
    tmp_path: Path, warning_sandbox: SandboxProcess, warning_rest: httpx.Client
) -> None:
    request_id, source = _one_line_request(tmp_path)
    result = run_flow(flow_settings(tmp_path / "home", warning_sandbox), source)

    [outcome] = result.items
    assert outcome.status is ItemStatus.REJECTED, outcome.message
    assert "passed with warnings" in outcome.message  # the warning's own text
    assert outcome.po_number is not None
    assert f"order {outcome.po_number} stays Incomplete in Oracle for a buyer" in outcome.message
    assert outcome.attempts == 1, "a buyer's decision is never retried"
    [order] = orders_for(warning_rest, request_id)
    assert (order["OrderNumber"], order["Status"]) == (outcome.po_number, "Incomplete")


def test_a_warning_the_profile_accepts_is_answered_yes_and_the_order_submitted(
    tmp_path: Path, warning_sandbox: SandboxProcess, warning_rest: httpx.Client
) -> None:
    profile = tmp_path / "council.toml"
    profile.write_text(
        'extends = "redwood"\n\n[warnings]\n'
        "accept = ['(?i)funds check .* passed with warnings']\n",
        encoding="utf-8",
    )
    request_id, source = _one_line_request(tmp_path)
    settings = flow_settings(tmp_path / "home", warning_sandbox)
    settings.oracle.ui_profile = str(profile)

    result = run_flow(settings, source)

    [outcome] = result.items
    assert outcome.status is ItemStatus.RAISED, outcome.message
    [order] = orders_for(warning_rest, request_id)
    assert order["OrderNumber"] == outcome.po_number
    assert order["Status"] in ("Open", "Pending Approval")
