"""The sandbox's ASGI application: pages, sign-in, REST, admin, all in one Starlette app."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import Receive, Scope, Send

from config.allowed_hosts import HostAllowList, allowed_hosts
from config.settings import SandboxSettings
from sandbox.admin import admin_routes
from sandbox.admin_guard import AdminWriteGuard
from sandbox.auth import Authenticator, SessionStore
from sandbox.db import Database
from sandbox.faults import RAW_CHANNEL, FaultMiddleware, FaultState
from sandbox.pages import PageFiles, page_routes
from sandbox.rest.api import RestApi
from sandbox.seed import seed
from sandbox.seed_reference import ensure_service_user
from sandbox.server_stats import ServerStats, ServerTimeMiddleware, stats_routes
from sandbox.services.supplier_request_origin import RequestOriginMiddleware
from sandbox.signin import signin_routes
from sandbox.ui_variants import ui_variant

SANDBOX_DIR = Path(__file__).resolve().parent
WEB_DIR = SANDBOX_DIR / "web"
JET_DIR = SANDBOX_DIR / "node_modules"


class SandboxSetupError(RuntimeError):
    """Something the sandbox needs on disk is missing."""


class SandboxApp(Starlette):
    """Starlette, plus the server's own receive/send kept in the scope.

    Starlette's middleware wraps ``send``; the one fault that must drop the TCP connection
    (``drop_next_submit``) needs the server's original to reach the socket.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[RAW_CHANNEL] = (receive, send)
        await super().__call__(scope, receive, send)


def create_app(
    settings: SandboxSettings,
    data_dir: Path,
    *,
    reset: bool = False,
    web_dir: Path = WEB_DIR,
    jet_dir: Path = JET_DIR,
    clock: Callable[[], float] = time.monotonic,
    extra_hosts: Iterable[str] = (),
) -> Starlette:
    """The app over the data in ``data_dir`` (created and seeded when new, or when ``reset``).

    ``settings.ui_variant`` and ``settings.sign_in`` choose how the pages look and how one signs
    in; the data is the same whichever is chosen, so one data dir serves every variant.

    ``clock`` measures sessions' idle time: tests pass one they move on by hand.

    Requests are answered only under the sandbox's own names (``settings.host``, and on
    loopback ``localhost``/``127.0.0.1``/``::1``) and ``extra_hosts`` (``--allowed-host``):
    :mod:`config.allowed_hosts`.
    """
    if not jet_dir.is_dir():
        raise SandboxSetupError(
            f"Oracle JET is not installed ({jet_dir} is missing): run make setup."
        )
    db = Database(data_dir, lambda conn: seed(conn, settings.username))
    db.open(reset=reset)
    with db.write() as conn:
        ensure_service_user(conn, settings.username)
    sessions = SessionStore(settings.idle_timeout_s, clock)
    auth = Authenticator(settings, sessions)
    faults = FaultState(settings)
    stats = ServerStats()
    # The UI variant (labels, wordings, order-number prefix) shapes the pages and REST alike.
    variant = ui_variant(settings.ui_variant)
    pages = PageFiles(web_dir, variant)
    routes = [
        *admin_routes(faults, sessions, db),
        *stats_routes(stats),
        *signin_routes(pages, auth, db, settings.sign_in),
        *RestApi(settings, db, auth, faults, variant).routes(),
        *page_routes(pages, jet_dir, auth),
    ]
    # The timing middleware sits inside the fault middleware: injected delays are not counted.
    app = SandboxApp(
        routes=routes,
        middleware=[
            # First, before anything is read or changed: DNS rebinding, then cross-site admin.
            Middleware(
                HostAllowList,
                allowed=allowed_hosts(settings.host, extra_hosts),
                hint="Start the sandbox with --allowed-host NAME to serve it.",
            ),
            Middleware(AdminWriteGuard),
            Middleware(FaultMiddleware, state=faults),
            Middleware(ServerTimeMiddleware, stats=stats),
            # Whether a REST write is a page's save or an integration's (change control).
            Middleware(RequestOriginMiddleware, settings=settings, auth=auth),
        ],
    )
    app.state.db = db
    app.state.faults = faults
    app.state.sessions = sessions
    app.state.stats = stats
    return app
