"""Page routes (session required) and the static files the pages load.

Pages are served as files; their JavaScript reads ids from the URL and data from REST. JET is
served from ``sandbox/node_modules`` (never from a CDN), limited to the packages pages load,
with long-lived caching because one page loads several hundred JET modules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Route

from sandbox.auth import Authenticator
from sandbox.static_files import FileServer

HOME_PATH = "/fscmUI/faces/FuseWelcome"
SIGNIN_PATH = "/signin"
JET_PACKAGES = frozenset(
    {
        "@oracle/oraclejet",
        "@oracle/oraclejet-core-pack",
        "@oracle/oraclejet-preact",
        "requirejs",
        "require-css",
        "requirejs-text",
        "knockout",
        "jquery",
        "jquery-ui",
        "hammerjs",
        "signals",
        "preact",
    }
)
JET_CACHE = "public, max-age=86400, immutable"
# (path, page file): the page's JavaScript takes the id from the URL.
PAGE_ROUTES = (
    (HOME_PATH, "home.html"),
    ("/fscmUI/redwood/purchase-orders/", "purchase-orders.html"),
    ("/fscmUI/redwood/purchase-orders/{order_id}", "purchase-order.html"),
    ("/fscmUI/redwood/suppliers/", "suppliers.html"),
    ("/fscmUI/redwood/suppliers/{supplier_id}", "supplier.html"),
)


# Where a page's <head> takes the lines every page shares (web/head.html): charset, JET's
# Redwood style sheets, sandbox.css, RequireJS and the shared JET configuration.
SHARED_HEAD_MARKER = "  <!-- sandbox:head -->\n"


def page_file(web_dir: Path, name: str) -> Response:
    path = web_dir / "pages" / name
    if not path.is_file():
        return PlainTextResponse(
            f"The page file sandbox/web/pages/{name} doesn't exist in this build.", status_code=404
        )
    html = path.read_text(encoding="utf-8")
    if SHARED_HEAD_MARKER in html:
        shared_head = (web_dir / "head.html").read_text(encoding="utf-8")
        html = html.replace(SHARED_HEAD_MARKER, shared_head, 1)
    # Pages are small and change with the build: always revalidate.
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def signin_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{SIGNIN_PATH}?redirect={quote(target, safe='/')}", status_code=302)


def page_routes(web_dir: Path, jet_dir: Path, auth: Authenticator) -> list[BaseRoute]:
    def page(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if auth.session_user(request) is None:
                return signin_redirect(request)
            return page_file(web_dir, name)

        return endpoint

    async def root(request: Request) -> Response:
        return RedirectResponse(HOME_PATH, status_code=302)

    # The pages' own files change with the build: always revalidate, never remember.
    own_files = FileServer(web_dir / "static", "no-cache", immutable=False)
    jet_files = FileServer(jet_dir, JET_CACHE, immutable=True)

    async def static(request: Request) -> Response:
        return own_files.response(request.path_params["path"])

    async def jet(request: Request) -> Response:
        relative: str = request.path_params["path"]
        parts = relative.split("/")
        package = "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
        if package not in JET_PACKAGES:
            return PlainTextResponse("Not found", status_code=404)
        return jet_files.response(relative)

    routes: list[BaseRoute] = [Route("/", root)]
    routes += [Route(path, page(name)) for path, name in PAGE_ROUTES]
    routes += [
        Route("/sandbox/static/{path:path}", static),
        Route("/sandbox/jet/{path:path}", jet),
    ]
    return routes
