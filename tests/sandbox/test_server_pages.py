"""Page routes and static files: session required, files served as is, JET cached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.applications import Starlette

from tests.conftest import AsgiClient

PAGES = {
    "/fscmUI/faces/FuseWelcome": "home.html",
    "/fscmUI/redwood/purchase-orders/": "purchase-orders.html",
    "/fscmUI/redwood/purchase-orders/manage/edit?poHeaderId=300000060000001&intent=Buyer": (
        "purchase-order.html"
    ),
    "/fscmUI/redwood/suppliers/": "suppliers.html",
    "/fscmUI/redwood/suppliers/300000052000001": "supplier.html",
}


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    """Stand-in page files, each naming itself, plus one static file."""
    root = tmp_path / "web"
    (root / "pages").mkdir(parents=True)
    for name in [*PAGES.values(), "signin.html"]:
        (root / "pages" / name).write_text(f"<html>{name}</html>", encoding="utf-8")
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "js" / "app.js").write_text("console.log('app');", encoding="utf-8")
    return root


@pytest.fixture
def client(sandbox_app: Callable[..., Starlette], web_dir: Path) -> AsgiClient:
    return AsgiClient(sandbox_app(web_dir=web_dir))


def sign_in(client: AsgiClient) -> None:
    response = client.post(
        "/signin", data={"username": "RPA.PROCUREMENT", "password": "Sandbox-Welcome1"}
    )
    assert (
        response.status_code == 303 and response.headers["location"] == "/fscmUI/faces/FuseWelcome"
    )


def test_pages_need_a_session(client: AsgiClient) -> None:
    """Without a session every page redirects (302) to sign-in with its own path."""
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"] == f"/signin?redirect={quote(path, safe='/')}"


def test_pages_are_served_after_sign_in(client: AsgiClient) -> None:
    """With a session each route serves its page file unchanged, and / goes Home."""
    sign_in(client)
    for path, name in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200 and response.text == f"<html>{name}</html>", path
        assert response.headers["content-type"].startswith("text/html")
    assert client.get("/").headers["location"] == "/fscmUI/faces/FuseWelcome"


def test_pages_get_the_shared_head_in_place_of_its_marker(
    sandbox_app: Callable[..., Starlette], web_dir: Path
) -> None:
    """A page's ``<!-- sandbox:head -->`` line becomes web/head.html; the rest is as written."""
    (web_dir / "head.html").write_text('  <meta charset="utf-8">\n', encoding="utf-8")
    (web_dir / "pages" / "home.html").write_text(
        "<head>\n  <!-- sandbox:head -->\n  <title>Home</title>\n</head>", encoding="utf-8"
    )
    client = AsgiClient(sandbox_app(web_dir=web_dir))
    sign_in(client)
    page = client.get("/fscmUI/faces/FuseWelcome").text
    assert page == '<head>\n  <meta charset="utf-8">\n  <title>Home</title>\n</head>'


def test_every_real_page_has_the_shared_head() -> None:
    """The shipped JET pages all use the marker, so each gets JET, RequireJS and its config;
    Home, an ADF page as in Fusion, has none of it (only its config)."""
    pages = Path(__file__).resolve().parents[2] / "sandbox" / "web" / "pages"
    shared = (pages.parent / "head.html").read_text(encoding="utf-8")
    assert "require.js" in shared and "jet-config.js" in shared
    for page in sorted(pages.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if page.name == "home.html":
            assert "sandbox:head" not in text and "<!-- sandbox:page-config -->" in text
            continue
        assert "  <!-- sandbox:head -->\n" in text, page.name


def test_sign_in_page_needs_no_session(client: AsgiClient) -> None:
    """GET /signin serves the sign-in page to anyone."""
    assert client.get("/signin?redirect=/x").text == "<html>signin.html</html>"


def test_missing_page_file_is_a_clear_404(
    sandbox_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    """A page whose file is absent answers 404 naming the file."""
    (tmp_path / "empty-web" / "pages").mkdir(parents=True)
    client = AsgiClient(sandbox_app(web_dir=tmp_path / "empty-web"))
    sign_in(client)
    response = client.get("/fscmUI/redwood/suppliers/")
    assert response.status_code == 404 and "sandbox/web/pages/suppliers.html" in response.text


def test_static_files_are_served_and_contained(client: AsgiClient) -> None:
    """/sandbox/static/ serves web/static without a session; paths can't escape the folder."""
    assert client.get("/sandbox/static/js/app.js").text == "console.log('app');"
    assert client.get("/sandbox/static/js/missing.js").status_code == 404
    assert client.get("/sandbox/static/..%2Fpages%2Fhome.html").status_code == 404


def test_jet_packages_are_served_with_long_caching(client: AsgiClient) -> None:
    """/sandbox/jet/ serves the JET packages from node_modules, cacheable for a day, immutable."""
    response = client.get("/sandbox/jet/@oracle/oraclejet/package.json")
    assert response.status_code == 200 and '"name": "@oracle/oraclejet"' in response.text
    assert response.headers["cache-control"] == "public, max-age=86400, immutable"
    assert client.get("/sandbox/jet/requirejs/require.js").status_code == 200


def test_jet_serves_only_the_listed_packages(client: AsgiClient) -> None:
    """Other packages in node_modules, and escapes from it, answer 404."""
    assert client.get("/sandbox/jet/@types/signals/package.json").status_code == 404
    assert client.get("/sandbox/jet/requirejs/..%2F..%2Fapp.py").status_code == 404


def test_order_page_is_only_at_the_pod_url_shape(client: AsgiClient) -> None:
    """The order page answers at .../manage/edit?poHeaderId=<id>&intent=Buyer (the shape seen on
    an Oracle pod); the sandbox's old /purchase-orders/<id> is no page, and neither is the edit
    page without an order."""
    sign_in(client)
    edit = "/fscmUI/redwood/purchase-orders/manage/edit"
    assert client.get(f"{edit}?poHeaderId=300000060000001&intent=Buyer").status_code == 200
    assert client.get("/fscmUI/redwood/purchase-orders/300000060000001").status_code == 404
    assert client.get(edit).status_code == 404
    assert client.get(f"{edit}?poHeaderId=abc&intent=Buyer").status_code == 404
