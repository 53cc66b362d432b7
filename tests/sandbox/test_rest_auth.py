"""Who may call: basic auth for the service account, the page session cookie, idle expiry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from sandbox.auth import SESSION_COOKIE, SessionStore
from sandbox.process import SandboxProcess
from tests.conftest import AsgiClient

REST = "/fscmRestApi/resources/11.13.18.05"


def test_rest_without_credentials_is_401_with_basic_challenge(
    sandbox_server: SandboxProcess,
) -> None:
    """No credentials: 401 and WWW-Authenticate: Basic realm="fscmRestApi"."""
    response = httpx.get(sandbox_server.rest_base + "/purchaseOrders", trust_env=False)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="fscmRestApi"'


@pytest.mark.parametrize(
    "wrong", [("RPA.PROCUREMENT", "wrong"), ("SOMEONE.ELSE", "Sandbox-Welcome1")]
)
def test_rest_with_wrong_credentials_is_401(
    sandbox_server: SandboxProcess, wrong: tuple[str, str]
) -> None:
    """A wrong password or user name is refused."""
    response = httpx.get(sandbox_server.rest_base + "/purchaseOrders", auth=wrong, trust_env=False)
    assert response.status_code == 401


def test_user_name_is_case_insensitive(sandbox_server: SandboxProcess) -> None:
    """Fusion user names ignore case; the password does not."""
    auth = (sandbox_server.username.lower(), sandbox_server.password)
    response = httpx.get(sandbox_server.rest_base + "/currenciesLOV", auth=auth, trust_env=False)
    assert response.status_code == 200


def test_sign_in_cookie_authorises_rest_and_session_probe(sandbox_server: SandboxProcess) -> None:
    """After sign-in the HttpOnly cookie alone opens REST and /sandbox/session."""
    with httpx.Client(base_url=sandbox_server.base_url, trust_env=False) as client:
        response = client.post(
            "/signin",
            data={
                "username": sandbox_server.username,
                "password": sandbox_server.password,
                "redirect": "/fscmUI/redwood/purchase-orders/",
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/fscmUI/redwood/purchase-orders/"
        cookie_header = response.headers["set-cookie"]
        assert (
            cookie_header.startswith(f"{SESSION_COOKIE}=") and "httponly" in cookie_header.lower()
        )
        assert client.get(REST + "/currenciesLOV").status_code == 200
        assert client.get("/sandbox/session").json() == {
            "user": sandbox_server.username,
            "displayName": "RPA Procurement Service",
        }
        client.post("/signout")
        assert client.get("/sandbox/session").status_code == 401
        assert client.get(REST + "/currenciesLOV").status_code == 401


def test_wrong_sign_in_redirects_back_with_error(sandbox_server: SandboxProcess) -> None:
    """Wrong credentials: 303 to /signin?error=1 keeping the redirect; no cookie."""
    response = httpx.post(
        sandbox_server.base_url + "/signin",
        data={
            "username": "RPA.PROCUREMENT",
            "password": "nope",
            "redirect": "/fscmUI/redwood/suppliers/",
        },
        trust_env=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?error=1&redirect=/fscmUI/redwood/suppliers/"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_refuses_off_site_redirects(sandbox_server: SandboxProcess, target: str) -> None:
    """Only same-site paths are followed after sign-in; anything else goes Home."""
    response = httpx.post(
        sandbox_server.base_url + "/signin",
        data={
            "username": sandbox_server.username,
            "password": sandbox_server.password,
            "redirect": target,
        },
        trust_env=False,
    )
    assert response.headers["location"] == "/fscmUI/faces/FuseWelcome"


def test_expired_sessions_need_a_new_sign_in(sandbox_app: Callable[..., Starlette]) -> None:
    """After the admin expires sessions, REST says 401 and pages redirect to sign-in."""
    # An app of its own: expiring the shared server's sessions would sign other tests out.
    client = AsgiClient(sandbox_app())
    client.post("/signin", data={"username": "RPA.PROCUREMENT", "password": "Sandbox-Welcome1"})
    assert client.get(REST + "/currenciesLOV").status_code == 200
    assert client.post("/sandbox/admin/expire-sessions", json={}).json() == {"expired": 1}
    assert client.get(REST + "/currenciesLOV").status_code == 401
    page = client.get("/fscmUI/redwood/purchase-orders/")
    assert page.status_code == 302
    assert page.headers["location"] == "/signin?redirect=/fscmUI/redwood/purchase-orders/"


def test_session_store_forgets_idle_sessions() -> None:
    """A session unused for longer than the idle timeout is gone; use keeps it alive."""
    now = [1000.0]
    store = SessionStore(idle_timeout_s=60, clock=lambda: now[0])
    token = store.create("RPA.PROCUREMENT")
    now[0] += 59
    assert store.touch(token) == "RPA.PROCUREMENT"
    now[0] += 59  # idle 59 s since the last use: still alive
    assert store.touch(token) == "RPA.PROCUREMENT"
    now[0] += 61
    assert store.touch(token) is None
    assert store.touch("made-up") is None


def test_idle_timeout_over_http(sandbox_app: Callable[..., Starlette], tmp_path: Path) -> None:
    """With a short idle timeout a real session expires: REST 401, page 302 to sign-in."""
    pages = tmp_path / "web" / "pages"
    pages.mkdir(parents=True)
    (pages / "purchase-orders.html").write_text("<html>orders</html>", encoding="utf-8")
    now = [1000.0]
    app = sandbox_app(web_dir=tmp_path / "web", idle_timeout_s=2.0, clock=lambda: now[0])
    client = AsgiClient(app)
    response = client.post(
        "/signin", data={"username": "RPA.PROCUREMENT", "password": "Sandbox-Welcome1"}
    )
    assert response.status_code == 303
    assert client.get("/fscmUI/redwood/purchase-orders/").text == "<html>orders</html>"
    assert client.get(REST + "/currenciesLOV").status_code == 200
    now[0] += 1.9  # idle, but not long enough
    assert client.get(REST + "/currenciesLOV").status_code == 200
    now[0] += 2.1  # idle past the timeout since that last use
    assert client.get(REST + "/currenciesLOV").status_code == 401
    page = client.get("/fscmUI/redwood/purchase-orders/?q=1")
    assert page.status_code == 302
    assert page.headers["location"] == "/signin?redirect=/fscmUI/redwood/purchase-orders/%3Fq%3D1"


def test_a_pages_own_call_gets_401_without_a_basic_challenge(
    sandbox_app: Callable[..., Starlette],
) -> None:
    """A page's XHR after expiry must not trigger the browser's password prompt."""
    client = AsgiClient(sandbox_app())
    response = client.get(REST + "/currenciesLOV", headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 401
    assert "www-authenticate" not in response.headers
