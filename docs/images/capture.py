"""Take the sandbox screenshots in this folder: the Purchase Orders list and a submitted order.

Run from the repository root:  .venv/bin/python docs/images/capture.py

It starts a throwaway sandbox on a free port (fresh seed data in a temporary folder), makes an
order with two lines through REST, submits it on the order page, and saves:
  sandbox-purchase-order.png    the order page after Submit (confirmation, status, lines)
  sandbox-purchase-orders.png   the Purchase Orders work area
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from config.settings import BrowserSettings, SandboxSettings  # noqa: E402
from rpa.browser import launch_chromium  # noqa: E402
from sandbox.process import SandboxProcess  # noqa: E402

OUT = Path(__file__).resolve().parent
# Home is an ADF page (no JET): ready when ADF's page is synchronized with the server.
READY_JS = """(name) => document.body.dataset.page === name && (window.AdfPage
  ? window.AdfPage.PAGE.isSynchronizedWithServer()
  : window.require && require.defined('ojs/ojcontext')
    && require('ojs/ojcontext').getPageContext().getBusyContext().isReady())"""


def wait_ready(page: Page, name: str) -> None:
    page.wait_for_function(READY_JS, arg=name, timeout=60_000)


def make_order(server: SandboxProcess) -> int:
    need_by = (date.today() + timedelta(days=28)).isoformat()
    line = {"Category": "Highways", "NeedByDate": need_by, "POChargeAccount": "1000-CC126-5100-000"}
    body = {
        "ProcurementBU": "NCC Highways BU",
        "Supplier": "Broadland Highways Maintenance Ltd",
        "SupplierSite": "BHM-NORWICH",
        "ShipToLocationCode": "NCC-DEREHAM-DEPOT",
        "Description": "Winter service: salt and gully emptying",
        "lines": [
            {**line, "Item": "NCC-HW-0002", "Quantity": 40, "Price": 61.5},
            {**line, "LineType": "Services", "Description": "Gully emptying, overnight crew",
             "UOMCode": "DAY", "Quantity": 2, "Price": 850},
        ],
    }  # fmt: skip
    with httpx.Client(base_url=server.rest_base, auth=(server.username, server.password),
                      trust_env=False, timeout=30) as rest:  # fmt: skip
        response = rest.post("draftPurchaseOrders", json=body)
        response.raise_for_status()
        header_id: int = response.json()["POHeaderId"]
        return header_id


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir, SandboxProcess(
        Path(data_dir), SandboxSettings(port=0), reset=True
    ) as server, sync_playwright() as playwright:  # fmt: skip
        header_id = make_order(server)
        browser = launch_chromium(playwright, BrowserSettings())
        page = browser.new_page(viewport={"width": 1440, "height": 960})
        page.goto(f"{server.base_url}/signin")
        wait_ready(page, "signin")
        page.get_by_label("User name or email", exact=True).fill(server.username)
        page.get_by_label("Password", exact=True).fill(server.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()
        wait_ready(page, "home")

        page.goto(
            f"{server.base_url}/fscmUI/redwood/purchase-orders/manage/edit?poHeaderId={header_id}&intent=Buyer"
        )
        wait_ready(page, "purchase-order")
        page.get_by_role("button", name="Submit").click()
        page.get_by_role("status").filter(has_text="was submitted for approval").wait_for()
        wait_ready(page, "purchase-order")
        page.screenshot(path=OUT / "sandbox-purchase-order.png", full_page=True)

        # Wider, as the list's nine columns are sized to their contents.
        page.set_viewport_size({"width": 1720, "height": 960})
        page.goto(f"{server.base_url}/fscmUI/redwood/purchase-orders/")
        wait_ready(page, "purchase-orders")
        page.screenshot(path=OUT / "sandbox-purchase-orders.png")
        browser.close()


if __name__ == "__main__":
    main()
