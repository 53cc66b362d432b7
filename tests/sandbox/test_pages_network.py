"""The pages fetch nothing from the internet: JET and everything else come from the sandbox."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocket

from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    HOME_PATH,
    choose,
    chromium,
    fill,
    new_page,
    sign_in_through_page,
    wait_ready,
)

pytestmark = pytest.mark.browser

CONFIRMATION = re.compile(r"Purchase order \d+ was submitted for approval\.")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def ok_and_wait(page: Page, drawer: Locator) -> None:
    drawer.get_by_role("button", name="OK").click()
    drawer.wait_for(state="hidden")
    wait_ready(page, "purchase-order")


def test_a_full_journey_only_talks_to_the_sandbox(
    browser: Browser, sandbox_server: SandboxProcess
) -> None:
    """Sign in, create an order, add a line, edit its schedule and distribution and submit:
    every request goes to 127.0.0.1."""
    requested: list[str] = []
    failed: list[str] = []
    sockets: list[str] = []
    with new_page(browser) as page:
        context = page.context
        context.on("request", lambda r: requested.append(r.url))
        context.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))

        def record_socket(socket: WebSocket) -> None:
            sockets.append(socket.url)

        page.on("websocket", record_socket)

        page.goto(sandbox_server.base_url + HOME_PATH)
        sign_in_through_page(
            page, sandbox_server.username, sandbox_server.password, lands_on="home"
        )
        page.get_by_role("link", name="Navigator", exact=True).click()
        wait_ready(page, "home")  # Home is an ADF page: the menu comes from the server
        with page.expect_navigation():
            page.get_by_role("navigation", name="Navigator").get_by_role(
                "link", name="Purchase Orders"
            ).click()
        wait_ready(page, "purchase-orders")

        page.get_by_role("button", name="Create Purchase Order").click()
        drawer = page.get_by_role("dialog", name="New purchase order")
        drawer.wait_for()
        wait_ready(page, "purchase-orders")
        choose(page, drawer, "Procurement BU", "NCC Highways BU")
        choose(page, drawer, "Supplier", "Broadland Highways Maintenance Ltd")
        choose(page, drawer, "Supplier Site", "BHM-NORWICH")
        with page.expect_navigation():
            drawer.get_by_role("button", name="Create").click()
        wait_ready(page, "purchase-order")
        fill(page, page, "Description", f"Network check {uuid.uuid4().hex[:8]}")

        page.get_by_role("button", name="Add Line").click()
        line = page.get_by_role("dialog", name="Add line")
        line.wait_for()
        wait_ready(page, "purchase-order")
        choose(page, line, "Item", "NCC-HW-0003")
        fill(page, line, "Quantity", "50")
        fill(page, line, "Price", "7.9")
        ok_and_wait(page, line)

        page.get_by_role("tab", name="Schedules").click()
        wait_ready(page, "purchase-order")
        page.get_by_role("button", name="Edit schedule 1-1").click()
        schedule = page.get_by_role("dialog", name="Edit Schedule")
        schedule.wait_for()
        wait_ready(page, "purchase-order")
        need_by = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
        fill(page, schedule, "Need-by Date", need_by)
        ok_and_wait(page, schedule)

        page.get_by_role("tab", name="Distributions").click()
        wait_ready(page, "purchase-order")
        page.get_by_role("button", name="Edit distribution 1-1-1").click()
        distribution = page.get_by_role("dialog", name="Edit Distribution")
        distribution.wait_for()
        wait_ready(page, "purchase-order")
        fill(page, distribution, "PO Charge Account", "1000-CC123-5100-000")
        ok_and_wait(page, distribution)

        page.get_by_role("button", name="Submit").click()
        page.get_by_role("status").filter(has_text=CONFIRMATION).wait_for()
        wait_ready(page, "purchase-order")

    network = [url for url in requested if urlsplit(url).scheme not in ("data", "blob")]
    assert {urlsplit(url).hostname for url in network} == {"127.0.0.1"}
    assert all(url.startswith(sandbox_server.base_url + "/") for url in network)
    assert not failed, failed
    assert not sockets, sockets
    # The journey really loaded JET and used the REST API (so the check above means something).
    assert sum("/sandbox/jet/@oracle/" in url for url in network) > 100
    assert any("/fscmRestApi/resources/11.13.18.05/draftPurchaseOrders" in url for url in network)
