"""The funds check's Warning dialog on the order page's Submit, in both UI variants.

A sandbox started with ``funds_check_warning_above`` passes the funds check of a bigger order
with a warning; Submit then asks in a dialog named "Warning" (Yes submits, No leaves the order
Incomplete), as Fusion raises Yes/No warnings. Each variant gets a sandbox of its own here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from config.settings import SandboxSettings
from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    answer,
    chromium,
    error_dialog,
    new_page,
    open_page,
    order_path,
    wait_ready,
)

pytestmark = pytest.mark.browser

WARNING_ABOVE = 1000.0
ACCOUNT = "1000-CC123-5100-000"
SUBMITTED = {
    "redwood": "Purchase order {number} was submitted for approval.",
    "redwood-alt": "Purchase order {number} has been submitted.",
}


@pytest.fixture(scope="module", params=["redwood", "redwood-alt"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SandboxProcess]:
    settings = SandboxSettings(
        port=0, ui_variant=request.param, funds_check_warning_above=WARNING_ABOVE
    )
    data_dir: Path = tmp_path_factory.mktemp(f"sandbox-funds-{request.param}")
    with SandboxProcess(data_dir, settings, reset=True) as started:
        yield started


@pytest.fixture(scope="module")
def rest(server: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.rest_base,
        auth=(server.username, server.password),
        timeout=30.0,
        trust_env=False,
    ) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, server: SandboxProcess) -> Iterator[Page]:
    with new_page(browser, server) as signed_in:
        yield signed_in


def draft(rest: httpx.Client, total: float) -> dict[str, Any]:
    """A submittable Incomplete order of one line worth ``total``."""
    response = rest.post(
        "draftPurchaseOrders",
        json={
            "ProcurementBU": "NCC Highways BU",
            "Supplier": "Broadland Highways Maintenance Ltd",
            "SupplierSite": "BHM-NORWICH",
            "Description": f"Funds check {uuid.uuid4().hex[:8]}",
            "lines": [
                {
                    "LineType": "Goods",
                    "Description": "Road salt, brown rock",
                    "Category": "Highways",
                    "UOMCode": "TNE",
                    "Quantity": 10,
                    "Price": total / 10,
                    "NeedByDate": (date.today() + timedelta(days=20)).isoformat(),
                    "POChargeAccount": ACCOUNT,
                }
            ],
        },
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def status_of(rest: httpx.Client, header_id: int) -> str:
    return str(rest.get(f"purchaseOrders/{header_id}").json()["Status"])


def submit(page: Page) -> None:
    page.get_by_role("button", name="Submit", exact=True).click()


def confirmed(page: Page, server: SandboxProcess, number: str) -> str:
    text = SUBMITTED[server.settings.ui_variant].format(number=number)
    page.get_by_role("status").filter(has_text=text).wait_for()
    wait_ready(page, "purchase-order")
    return page.get_by_role("status").inner_text()


def test_warning_no_keeps_the_order_incomplete_and_yes_submits_it(
    page: Page, server: SandboxProcess, rest: httpx.Client
) -> None:
    """Over the limit: the Warning dialog names the order, the budget and the excess; No leaves
    the order Incomplete, and Submit again with Yes submits it (Open: under auto-approval)."""
    order = draft(rest, 1234.5)
    header_id, number = order["POHeaderId"], order["OrderNumber"]
    if server.settings.ui_variant == "redwood-alt":
        assert re.fullmatch(r"NCC\d+", number)
    open_page(page, server, order_path(header_id), "purchase-order")
    warning = (
        f"The funds check for purchase order {number} passed with warnings: the budget for "
        f"{ACCOUNT} is exceeded by £234.50. Do you want to continue?"
    )

    submit(page)
    assert answer(page, "Warning", "No") == warning
    wait_ready(page, "purchase-order")
    assert page.locator("oj-c-badge").first.inner_text() == "Incomplete"
    assert status_of(rest, header_id) == "Incomplete"
    assert page.locator("#sbx-status").inner_text() == ""
    assert error_dialog(page).count() == 0

    submit(page)
    assert answer(page, "Warning", "Yes") == warning
    assert confirmed(page, server, number) == SUBMITTED[server.settings.ui_variant].format(
        number=number
    )
    assert page.locator("oj-c-badge").first.inner_text() == "Open"
    assert status_of(rest, header_id) == "Open"


def test_no_warning_at_or_under_the_limit(
    page: Page, server: SandboxProcess, rest: httpx.Client
) -> None:
    """At the limit the funds check passes quietly: Submit submits without a question."""
    order = draft(rest, WARNING_ABOVE)
    open_page(page, server, order_path(order["POHeaderId"]), "purchase-order")
    submit(page)
    confirmed(page, server, order["OrderNumber"])
    assert page.get_by_role("dialog", name="Warning").count() == 0
    assert status_of(rest, order["POHeaderId"]) == "Open"


def test_check_funds_action_in_rest(rest: httpx.Client) -> None:
    """draftPurchaseOrders' checkFunds action: PASSED, or WARNING with the budget and excess."""
    headers = {"Content-Type": "application/vnd.oracle.adf.action+json"}
    quiet = draft(rest, 500)
    response = rest.post(
        f"draftPurchaseOrders/{quiet['POHeaderId']}/action/checkFunds", headers=headers, json={}
    )
    assert response.status_code == 200 and response.json() == {"result": "PASSED"}

    loud = draft(rest, 2500)
    response = rest.post(
        f"draftPurchaseOrders/{loud['POHeaderId']}/action/checkFunds", headers=headers, json={}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "result": "WARNING",
        "POChargeAccount": ACCOUNT,
        "ExceededBy": 1500.0,
        "Message": (
            f"The funds check for purchase order {loud['OrderNumber']} passed with warnings: "
            f"the budget for {ACCOUNT} is exceeded by £1,500.00."
        ),
    }
    # A warning doesn't stop REST's submit: the client has decided.
    submitted = rest.post(
        f"draftPurchaseOrders/{loud['POHeaderId']}/action/submit", headers=headers, json={}
    )
    assert submitted.status_code == 200
    assert status_of(rest, loud["POHeaderId"]) == "Open"
