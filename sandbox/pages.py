"""Page routes (session required) and the static files the pages load.

Pages are served from files; their JavaScript reads ids from the URL and data from REST. Before a
page is sent, the server fills in what depends on how the sandbox was started: the shared
``<head>`` lines, the UI variant's texts in place of ``%{key}`` (``sandbox/ui_variants.py``), and
a JSON block the page scripts read (the variant's texts and the paths pages link to). JET is
served from ``sandbox/node_modules`` (never from a CDN), limited to the packages pages load, with
long-lived caching because one page loads several hundred JET modules.

Home (``/fscmUI/faces/FuseWelcome``) is not a JET page: as in Fusion, it is an ADF page, imitated
by a small script of the sandbox's own (``web/static/js/adf/page.js``). Its Navigator menu comes
from the server through a partial-page request, ``POST`` to the page's own URL (see
``home_partial``), answered after a pause as a JSF partial response.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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
from sandbox.ui_variants import UiVariant

HOME_PATH = "/fscmUI/faces/FuseWelcome"
SIGNIN_PATH = "/signin"
ORDERS_PATH = "/fscmUI/redwood/purchase-orders/"
# The Redwood order page at the URL seen on an Oracle demo pod:
# /fscmUI/redwood/purchase-orders/manage/edit?poHeaderId=<POHeaderId>&intent=Buyer
# (a Redwood page lives at /fscmUI/redwood/<app>/<flow>/<page>?…). The order is named in the
# query string, so /fscmUI/redwood/purchase-orders/<id> is no page at all (404), as on a pod.
ORDER_PAGE_PATH = "/fscmUI/redwood/purchase-orders/manage/edit"
ORDER_PAGE_TEMPLATE = ORDER_PAGE_PATH + "?poHeaderId={header_id}&intent=Buyer"
SUPPLIERS_PATH = "/fscmUI/redwood/suppliers/"
# Fusion's Redwood suppliers start at the Supplier Management landing page, whose "Suppliers
# (New)" quick action opens the supplier list (26A readiness notes); this path is the sandbox's.
SUPPLIER_MANAGEMENT_PATH = "/fscmUI/redwood/supplier-management/"
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


@dataclass(frozen=True)
class PageRoute:
    """A page URL and its file; ``query_id`` names a query parameter the page needs (a key)."""

    path: str
    file: str
    query_id: str | None = None


# The page's JavaScript takes the id from the URL (the path's last segment, or ``query_id``).
PAGE_ROUTES = (
    PageRoute(HOME_PATH, "home.html"),
    PageRoute(ORDERS_PATH, "purchase-orders.html"),
    PageRoute(ORDER_PAGE_PATH, "purchase-order.html", query_id="poHeaderId"),
    PageRoute(SUPPLIER_MANAGEMENT_PATH, "supplier-management.html"),
    PageRoute(SUPPLIERS_PATH, "suppliers.html"),
    PageRoute(SUPPLIERS_PATH + "{supplier_id}", "supplier.html"),
)


def order_page_url(header_id: int | str) -> str:
    """The order page of one purchase order."""
    return ORDER_PAGE_TEMPLATE.format(header_id=quote(str(header_id), safe=""))


# Where a page's <head> takes the lines every page shares (web/head.html): charset, JET's
# Redwood style sheets, sandbox.css, RequireJS and the shared JET configuration.
SHARED_HEAD_MARKER = "  <!-- sandbox:head -->\n"
# Where head.html takes the JSON the page scripts read (common/ui.js).
PAGE_CONFIG_MARKER = "<!-- sandbox:page-config -->"
PAGE_CONFIG_ID = "sbx-page-config"
# A text of the UI variant, by key: label-hint="%{po.create.procurement_bu}".
TEXT_PLACEHOLDER = re.compile(r"%\{([A-Za-z0-9_.-]+)\}")


class UnknownTextError(KeyError):
    """A page names a text (``%{key}``) that the UI variants don't have."""


def fill_texts(page: str, variant: UiVariant) -> str:
    """``page`` with every ``%{key}`` replaced by the variant's text, escaped for HTML."""

    def text(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in variant.texts:
            raise UnknownTextError(key)
        return html.escape(variant.texts[key], quote=True)

    return TEXT_PLACEHOLDER.sub(text, page)


def script_json(value: object) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML-significant characters)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class PageFiles:
    """The page files of ``web_dir`` as this server serves them (its UI variant filled in)."""

    def __init__(self, web_dir: Path, variant: UiVariant) -> None:
        self.web_dir = web_dir
        self.variant = variant

    def page_config(self) -> dict[str, object]:
        return {
            **self.variant.page_config(),
            "paths": {
                "purchaseOrders": ORDERS_PATH,
                # "{id}" is the POHeaderId, put in by common/ui.js (URL-encoded).
                "purchaseOrder": ORDER_PAGE_TEMPLATE.replace("{header_id}", "{id}"),
                "suppliers": SUPPLIERS_PATH,
                "supplier": SUPPLIERS_PATH + "{id}",
            },
        }

    def render(self, name: str) -> str | None:
        """The page's HTML as served, or None when the build has no such page file."""
        path = self.web_dir / "pages" / name
        if not path.is_file():
            return None
        # The page's own texts first: the shared head and the JSON are not templates.
        page = fill_texts(path.read_text(encoding="utf-8"), self.variant)
        if SHARED_HEAD_MARKER in page:
            shared_head = (self.web_dir / "head.html").read_text(encoding="utf-8")
            page = page.replace(SHARED_HEAD_MARKER, shared_head, 1)
        # A page without the shared head (Home, an ADF page: no JET) names the JSON itself.
        config = (
            f'<script type="application/json" id="{PAGE_CONFIG_ID}">'
            f"{script_json(self.page_config())}</script>"
        )
        return page.replace(PAGE_CONFIG_MARKER, config, 1)

    def fragment(self, name: str) -> str | None:
        """A piece of a page (``web/fragments/<name>``) as a partial-page request answers it, the
        variant's texts filled in; None when the build has no such file."""
        path = self.web_dir / "fragments" / name
        if not path.is_file():
            return None
        return fill_texts(path.read_text(encoding="utf-8"), self.variant)

    def response(self, name: str) -> Response:
        try:
            page = self.render(name)
        except UnknownTextError as exc:
            return PlainTextResponse(
                f"The page file sandbox/web/pages/{name} names the text %{{{exc.args[0]}}}, "
                "which sandbox/ui_variants.py doesn't have.",
                status_code=500,
            )
        if page is None:
            return PlainTextResponse(
                f"The page file sandbox/web/pages/{name} doesn't exist in this build.",
                status_code=404,
            )
        # Pages are small and change with the build: always revalidate.
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


# Home's partial-page requests (ADF's PPR): the component a request names -> the element its
# answer replaces and the file (web/fragments/) holding the new markup. In Fusion the Navigator
# link is pt1:_UISmmLink and its menu's items are pt1:_UISnvr:0:… .
HOME_PARTIALS = {"pt1:_UISmmLink": ("pt1:_UISnvr", "home-navigator.html")}
# How long the server takes to answer one: long enough that a bot which does not wait for ADF
# to be synchronized with the server finds no menu (Fusion's take a few hundred ms).
HOME_PARTIAL_DELAY_S = 0.3


def partial_response(updates: dict[str, str] | None = None, redirect: str | None = None) -> str:
    """A JSF partial response: elements to replace (id -> markup), or a page to go to."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<partial-response>"]
    if redirect is not None:
        parts.append(f'<redirect url="{html.escape(redirect, quote=True)}"/>')
    else:
        parts.append("<changes>")
        for element_id, markup in (updates or {}).items():
            cdata = markup.replace("]]>", "]]]]><![CDATA[>")
            parts.append(
                f'<update id="{html.escape(element_id, quote=True)}"><![CDATA[{cdata}]]></update>'
            )
        parts.append("</changes>")
    parts.append("</partial-response>")
    return "".join(parts)


def home_partial(pages: PageFiles, auth: Authenticator) -> Callable[[Request], Awaitable[Response]]:
    """``POST /fscmUI/faces/FuseWelcome`` with ``event=<component id>``: the partial-page
    request Home's script sends when a component needs the server (the Navigator link). Answers
    the component's new markup; without a session, a partial response sending the page to the
    sign-in page (as an ADF page's requests are redirected when the session has ended)."""

    async def endpoint(request: Request) -> Response:
        if auth.session_user(request) is None:
            target = f"{SIGNIN_PATH}?redirect={quote(HOME_PATH, safe='/')}"
            return Response(partial_response(redirect=target), media_type="text/xml")
        form = await request.form()
        event = str(form.get("event") or "")
        if event not in HOME_PARTIALS:
            return PlainTextResponse(f"The page has no component {event}.", status_code=400)
        await asyncio.sleep(HOME_PARTIAL_DELAY_S)
        target_id, file = HOME_PARTIALS[event]
        markup = pages.fragment(file)
        if markup is None:
            return PlainTextResponse(
                f"The fragment sandbox/web/fragments/{file} doesn't exist in this build.",
                status_code=404,
            )
        return Response(
            partial_response({target_id: markup}),
            media_type="text/xml",
            headers={"Cache-Control": "no-store"},
        )

    return endpoint


def signin_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{SIGNIN_PATH}?redirect={quote(target, safe='/')}", status_code=302)


def page_routes(pages: PageFiles, jet_dir: Path, auth: Authenticator) -> list[BaseRoute]:
    def page(route: PageRoute) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if auth.session_user(request) is None:
                return signin_redirect(request)
            if route.query_id is not None:
                key = request.query_params.get(route.query_id, "")
                if not key.isdigit():
                    return PlainTextResponse(
                        f"This page needs the parameter {route.query_id} (a number) in its URL.",
                        status_code=404,
                    )
            return pages.response(route.file)

        return endpoint

    async def root(request: Request) -> Response:
        return RedirectResponse(HOME_PATH, status_code=302)

    # The pages' own files change with the build: always revalidate, never remember.
    own_files = FileServer(pages.web_dir / "static", "no-cache", immutable=False)
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
    routes += [Route(route.path, page(route)) for route in PAGE_ROUTES]
    routes.append(Route(HOME_PATH, home_partial(pages, auth), methods=["POST"]))
    routes += [
        Route("/sandbox/static/{path:path}", static),
        Route("/sandbox/jet/{path:path}", jet),
    ]
    return routes
