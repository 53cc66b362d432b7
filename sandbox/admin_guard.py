"""Admin calls that change state come from a script or a test, never from a web page elsewhere.

Every call under ``/sandbox/admin/`` other than GET and HEAD (faults, expire-sessions, reset, an
order's status, change-request decisions, the stats reset) must:

- carry no ``Origin`` header, or the sandbox's own origin: a browser names the page's origin
  on such a request, so a page from another site is refused with 403;
- send a JSON body (``Content-Type: application/json``): an HTML form on another site can send
  only form or plain-text bodies without asking the sandbox first (a CORS preflight, which the
  sandbox never grants), so otherwise 415.

Only loopback callers may make admin calls at all (``sandbox/admin.py``): these rules keep a
page open in a browser on this machine from making them on its user's behalf.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from config.allowed_hosts import host_of

ADMIN_PREFIX = "/sandbox/admin/"
READING_METHODS = frozenset({"GET", "HEAD"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(authority: str, scheme: str) -> int | None:
    """The port of ``host[:port]``; the scheme's default when none is given."""
    _, bracket, after = authority.rpartition("]")
    rest = after if bracket else authority
    _, colon, port = rest.rpartition(":")
    if colon:
        return int(port) if port.isdigit() else None
    return DEFAULT_PORTS.get(scheme)


def same_origin(origin: str, scheme: str, host_header: str) -> bool:
    """True when ``origin`` (an ``Origin`` header) is ``scheme://host_header``, ports included."""
    parts = urlsplit(origin.strip().lower())
    if parts.scheme != scheme or not parts.netloc or parts.path not in {"", "/"}:
        return False
    theirs, ours = host_of(parts.netloc), host_of(host_header)
    return (
        theirs is not None
        and theirs == ours
        and _port(parts.netloc, scheme) == _port(host_header.strip().lower(), scheme)
    )


def is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json"


class AdminWriteGuard:
    """ASGI middleware applying the rules above to the state-changing admin calls."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def refusal(self, scope: Scope) -> PlainTextResponse | None:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and not same_origin(
            origin, str(scope.get("scheme", "http")), headers.get("host", "")
        ):
            return PlainTextResponse(
                "Admin calls from another site's page are refused (Origin is not this sandbox).",
                403,
            )
        if not is_json(headers.get("content-type", "")):
            return PlainTextResponse(
                "Admin calls that change anything must send a JSON body "
                "(Content-Type: application/json; {} when there is nothing to send).",
                415,
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].startswith(ADMIN_PREFIX)
            and scope["method"] not in READING_METHODS
            and (refused := self.refusal(scope)) is not None
        ):
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)
