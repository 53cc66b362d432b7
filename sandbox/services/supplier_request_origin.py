"""Where a REST write to a supplier comes from: a page's save, or an integration.

Fusion 26A's Redwood supplier pages route edits through change requests (change control); a
REST integration's writes are not approved and are not under change control (Oracle's
"REST APIs (Inbound)" for the supplier model: "Supplier updates using REST APIs aren't
approved. Change control isn't performed."). The sandbox tells the two apart by how the call
signs in: HTTP basic auth is an integration (the bots' REST reads, a test, a script); the page
session cookie, without basic auth, is a page's own save.

:class:`RequestOriginMiddleware` puts that, with the ``supplier_change_control`` setting, in a
context variable for each REST call; the supplier services read it
(``sandbox/services/supplier_change_control.py``). A context variable reaches the service code
through the thread pool the REST dispatcher runs it in, without the dispatcher passing it on.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from config.settings import SandboxSettings
from sandbox.auth import SESSION_COOKIE, Authenticator

REST_PREFIX = "/fscmRestApi/"


@dataclass(frozen=True)
class RequestOrigin:
    """``page_session``: a digest of the page session a call came with (never the token
    itself); None for a call signed in with basic auth (an integration)."""

    change_control: bool
    page_session: str | None = None

    @property
    def from_page(self) -> bool:
        return self.page_session is not None


_ORIGIN: ContextVar[RequestOrigin | None] = ContextVar("sandbox_request_origin", default=None)


def current_origin() -> RequestOrigin | None:
    """The origin of the REST call being served; None outside one (the admin endpoint, the
    seed, a test calling a service directly): treated as an integration."""
    return _ORIGIN.get()


def session_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


class RequestOriginMiddleware:
    """Records each REST call's origin (see the module's docstring) for the services."""

    def __init__(self, app: ASGIApp, *, settings: SandboxSettings, auth: Authenticator) -> None:
        self.app = app
        self.change_control = settings.supplier_change_control
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(REST_PREFIX):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        session: str | None = None
        if self.auth.basic_user(connection) is None:
            token = connection.cookies.get(SESSION_COOKIE)
            session = session_digest(token) if token else None
        marker = _ORIGIN.set(RequestOrigin(self.change_control, session))
        try:
            await self.app(scope, receive, send)
        finally:
            _ORIGIN.reset(marker)
