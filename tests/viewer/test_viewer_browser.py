"""The viewer as support staff use it: ``rpa viewer`` served for real, read in headless Chromium."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from config.settings import BrowserSettings
from rpa.browser import launch_chromium
from tests.viewer.conftest import Trail, build_trail

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Trail, str]]:
    """``rpa viewer --port 0`` on a home with three runs; yields the trail and the base URL."""
    trail = build_trail(tmp_path_factory.mktemp("viewer") / "home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(RPA_HOME=str(trail.home), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "viewer", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()

    def read_lines() -> None:
        for line in process.stdout or []:
            lines.put(line)

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        first = lines.get(timeout=STARTUP_TIMEOUT_S)
        assert "Run log viewer (read-only): http://127.0.0.1:" in first, first
        yield trail, first.split(": ", 1)[1].split()[0].rstrip("/")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        opened = launch_chromium(playwright, BrowserSettings())
        yield opened
        opened.close()


@pytest.fixture
def page(browser: Browser, served: tuple[Trail, str]) -> Iterator[Page]:
    context = browser.new_context(base_url=served[1], accept_downloads=True)
    yield context.new_page()
    context.close()


def test_runs_are_listed_and_filtered(page: Page, served: tuple[Trail, str]) -> None:
    """The runs page lists every run with its integrity; the status and flow filters narrow it."""
    trail, _ = served
    page.goto("/")
    expect(page.get_by_role("heading", name="Runs")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Audit trail intact")
    rows = page.get_by_role("table", name="Runs").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="intact")).to_have_count(3)

    page.get_by_label("Status").select_option("partial")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(trail.failed.record.run_id)
    expect(rows.first).to_contain_text("operator a.jones on rpa-host-1")

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Flow").select_option("sync-suppliers")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(trail.suppliers.record.run_id)

    page.get_by_label("Flow").select_option("")
    page.get_by_label("From (Europe/London)").fill("2099-01-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No runs match these filters.")).to_be_visible()


def test_a_failed_run_shows_its_screenshot_message_and_trace(
    page: Page, served: tuple[Trail, str]
) -> None:
    """Opening a partial run shows Oracle's message, the failure screenshot and the trace."""
    trail, _ = served
    run_id = trail.failed.record.run_id
    page.goto("/runs?status=partial")
    page.get_by_role("link", name=run_id).click()
    expect(page.get_by_role("heading", name=f"Run {run_id}")).to_be_visible()
    items = page.get_by_role("table", name="Items")
    rejected = items.locator("tr", has_text="REQ-2026-0103")
    expect(rejected).to_contain_text("rejected")
    expect(rejected).to_contain_text("Charge account 1000-CC150-5100-000 is disabled.")
    shot = rejected.get_by_role("img", name="Failure screenshot of REQ-2026-0103")
    expect(shot).to_be_visible()
    # decode() settles once the image has loaded: no race with a busy machine.
    assert shot.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    expect(rejected.get_by_text("playwright show-trace REQ-2026-0103-trace.zip")).to_be_visible()
    with page.expect_download() as download:
        rejected.get_by_role("link", name="Download trace (REQ-2026-0103-trace.zip)").click()
    assert download.value.suggested_filename == "REQ-2026-0103-trace.zip"
    assert zipfile.is_zipfile(download.value.path())
    expect(page.get_by_role("list").filter(has_text="REQ-2026-0103 rejected")).to_be_visible()
    timeline = page.get_by_role("table", name="Timeline")
    expect(timeline).to_contain_text("Run started by operator a.jones on rpa-host-1")
    expect(timeline).to_contain_text("Run finished: partial")
    expect(page.get_by_text("records, digest and evidence verified")).to_be_visible()


def test_search_by_po_number_leads_to_the_run(page: Page, served: tuple[Trail, str]) -> None:
    """Searching a PO number finds the run that raised it and every record about it."""
    trail, _ = served
    page.goto("/runs")
    page.get_by_label("Request id, PO number or supplier").fill("100231")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search: 100231")).to_be_visible()
    expect(page.get_by_role("table", name="Items")).to_contain_text("REQ-2026-0101")
    expect(page.get_by_text("raised, reference 100231")).to_be_visible()
    page.get_by_role("link", name=trail.raised.record.run_id).first.click()
    expect(page.get_by_role("heading", name=f"Run {trail.raised.record.run_id}")).to_be_visible()
    expect(page.get_by_role("img", name="Confirmation screenshot of REQ-2026-0101")).to_be_visible()
