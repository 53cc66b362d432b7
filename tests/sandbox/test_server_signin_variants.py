"""The sign-in page's kinds over HTTP: single-step (default), two-step and federated SSO.

Which page /signin serves, and what POST /signin does, for each ``sandbox.sign_in`` value. The
two-step page is driven in Chromium in test_pages_signin_variants.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.applications import Starlette

from tests.conftest import AsgiClient

USER, PASSWORD = "RPA.PROCUREMENT", "Sandbox-Welcome1"
REST = "/fscmRestApi/resources/11.13.18.05"


def test_single_step_is_the_default_and_has_no_sso_page(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """By default /signin is the one-form page, and there is no single-sign-on page."""
    client = AsgiClient(sandbox_app())
    page = client.get("/signin").text
    assert 'label-hint="User name or email"' in page and 'label-hint="Password"' in page
    assert 'label="Next"' not in page and "ssoBtn" not in page
    assert client.get("/signin/sso").status_code == 404


def test_two_step_page_and_its_sign_in(sandbox_app: Callable[..., Starlette]) -> None:
    """two-step serves IDCS's two-step form (Next, then the password); the form posts to the
    same POST /signin, which signs in or answers with the usual error redirect."""
    client = AsgiClient(sandbox_app(sign_in="two-step"))
    page = client.get("/signin").text
    assert 'label="Next"' in page and 'label="Sign In"' in page
    assert 'label-hint="User name or email"' in page and 'label-hint="Password"' in page
    assert "sandboxStart('signin', 'signin-two-step')" in page

    wrong = client.post("/signin", data={"username": USER, "password": "nope", "redirect": "/x"})
    assert wrong.status_code == 303 and wrong.headers["location"] == "/signin?error=1&redirect=/x"
    right = client.post("/signin", data={"username": USER, "password": PASSWORD})
    assert right.status_code == 303 and "ORA_SBX_SESSION" in right.cookies


def test_sso_page_has_no_password_and_nobody_signs_in(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """sso serves a company sign-in page with only "Company Single Sign-On" (#ssoBtn); it leads
    to a page saying single sign-on isn't available here; no password is taken, not even the
    right one. The REST API's basic auth still works."""
    client = AsgiClient(sandbox_app(sign_in="sso"))
    page = client.get("/signin?redirect=/fscmUI/faces/FuseWelcome")
    assert page.status_code == 200
    assert "Sign in with your company account" in page.text
    assert '<oj-c-button id="ssoBtn" label="Company Single Sign-On"' in page.text
    fields = ("oj-c-input-password", 'label-hint="Password"', 'name="password"', "oj-c-input-text")
    assert not [field for field in fields if field in page.text]

    unavailable = client.get("/signin/sso?redirect=/fscmUI/faces/FuseWelcome")
    assert unavailable.status_code == 200
    assert "Single sign-on is not available in the sandbox" in unavailable.text

    refused = client.post("/signin", data={"username": USER, "password": PASSWORD})
    assert refused.status_code == 403 and "single sign-on" in refused.text
    assert "ORA_SBX_SESSION" not in refused.cookies
    home = client.get("/fscmUI/faces/FuseWelcome")
    assert home.status_code == 302 and home.headers["location"].startswith("/signin?")

    rest = client.get(f"{REST}/purchaseOrders", params={"limit": 1}, auth=(USER, PASSWORD))
    assert rest.status_code == 200 and rest.json()["count"] == 1


def test_an_unknown_sign_in_kind_is_refused() -> None:
    """The routes refuse a kind they have no page for (the setting's type already does)."""
    from sandbox.signin import signin_routes

    with pytest.raises(ValueError, match="two-step"):
        signin_routes(None, None, None, "magic-link")  # type: ignore[arg-type]
