"""Home as an ADF page over HTTP: no JET in it, and its partial-page requests (the Navigator).

Driven in Chromium in test_pages_home.py and tests/bots/test_readiness_families.py.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

from starlette.applications import Starlette

from sandbox.pages import HOME_PARTIAL_DELAY_S, HOME_PATH
from tests.conftest import AsgiClient

USER, PASSWORD = "RPA.PROCUREMENT", "Sandbox-Welcome1"
NAVIGATOR_EVENT = {"event": "pt1:_UISmmLink"}


def signed_in(sandbox_app: Callable[..., Starlette]) -> AsgiClient:
    client = AsgiClient(sandbox_app())
    assert client.post("/signin", data={"username": USER, "password": PASSWORD}).status_code == 303
    return client


def test_home_is_adf_shaped_and_loads_no_jet(sandbox_app: Callable[..., Starlette]) -> None:
    """Home has the ADF runtime script, pt1: ids, a Navigator link, and nothing of JET."""
    page = signed_in(sandbox_app).get(HOME_PATH).text
    assert '<script src="/sandbox/static/js/adf/page.js"></script>' in page
    assert '<a id="pt1:_UISmmLink"' in page and 'title="Navigator"' in page
    assert "Good day, " in page
    for jet in ("require.js", "jet-config", "/sandbox/jet/", "ojs/", "oj-c-", "sandboxStart"):
        assert jet not in page, jet


def test_the_navigator_menu_comes_as_a_partial_response(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """POST to Home with the Navigator link's id answers, after a pause, a JSF partial
    response replacing pt1:_UISnvr with the Procurement group and its two links."""
    client = signed_in(sandbox_app)
    started = time.monotonic()
    response = client.post(HOME_PATH, data=NAVIGATOR_EVENT, headers={"Adf-Rich-Message": "true"})
    assert time.monotonic() - started >= HOME_PARTIAL_DELAY_S * 0.9
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    [update] = ET.fromstring(response.text).iter("update")  # noqa: S314 - the test's own app
    assert update.get("id") == "pt1:_UISnvr"
    markup = update.text or ""
    assert '<nav id="pt1:_UISnvr"' in markup and 'aria-label="Navigator"' in markup
    assert ">Procurement<" in markup
    assert (
        'id="pt1:_UISnvr:0:nv_itemNode_procurement_PurchaseOrders" '
        'href="/fscmUI/redwood/purchase-orders/">Purchase Orders<'
    ) in markup
    assert 'href="/fscmUI/redwood/supplier-management/">Suppliers<' in markup


def test_a_partial_request_without_a_session_redirects_to_sign_in(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """A partial-page request after the session ended answers a redirect to the sign-in page
    (the page's script follows it), not the menu."""
    client = AsgiClient(sandbox_app())
    response = client.post(HOME_PATH, data=NAVIGATOR_EVENT)
    assert response.status_code == 200
    root = ET.fromstring(response.text)  # noqa: S314 - the test's own app
    assert [r.get("url") for r in root.iter("redirect")] == [
        "/signin?redirect=/fscmUI/faces/FuseWelcome"
    ]
    assert not list(root.iter("update"))


def test_an_unknown_component_is_refused(sandbox_app: Callable[..., Starlette]) -> None:
    """Only components the page has answer partial requests."""
    response = signed_in(sandbox_app).post(HOME_PATH, data={"event": "pt1:nothing"})
    assert response.status_code == 400 and "pt1:nothing" in response.text
