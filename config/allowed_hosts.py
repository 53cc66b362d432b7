"""Which ``Host`` headers a local web server (the viewer, the sandbox) answers.

A web page on any site can make the browser of someone on this machine send requests to a
server listening on loopback, under the page's own host name, by pointing that name at
127.0.0.1 (DNS rebinding). Such a request names the attacker's host in its ``Host`` header, so
a server that answers only its own names cannot be read that way.

A server answers a ``Host`` (port ignored) that is:

- the address it is bound to, or the address the request actually arrived on;
- ``localhost``, ``127.0.0.1`` and ``::1`` when bound to loopback or to every interface;
- this machine's host name when bound to every interface (``0.0.0.0``, ``::``);
- a name the operator configured (the name of a reverse proxy in front of it, say).

Anything else, and a request without exactly one ``Host`` header, gets 421 and a one-line reason.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from config.audit_settings import is_loopback_host

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERY_INTERFACE = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (names, not a bind)
MISDIRECTED = 421


def host_of(value: str) -> str | None:
    """The host of a ``Host`` header value (or of a configured name) without its port: lower
    case, an IPv6 address without brackets, no trailing dot. None when it is not a host."""
    text = value.strip().lower()
    if text.startswith("["):
        address, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        try:
            return str(ipaddress.IPv6Address(address))
        except ValueError:
            return None
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None  # a second colon (a bare IPv6 address) or a port that is no number
    name = name.rstrip(".")
    if not name or any(c in name for c in "/\\@ \t\x00"):
        return None
    return name


def allowed_hosts(bound: str, configured: Iterable[str] = ()) -> frozenset[str]:
    """The host names a server bound to ``bound`` answers, with the operator's ``configured``."""
    bound_host = host_of(bound) if bound.strip() else ""
    names: set[str] = {bound_host} if bound_host else set()
    if bound_host in EVERY_INTERFACE:
        names |= LOOPBACK_NAMES
        # Other machines reach it by this machine's name; its addresses are covered by the
        # address each request arrived on.
        for own in (socket.gethostname(), socket.getfqdn()):
            if (name := host_of(own)) is not None:
                names.add(name)
    elif is_loopback_host(bound):
        names |= LOOPBACK_NAMES
    for entry in configured:
        if (name := host_of(entry)) is not None:
            names.add(name)
    names.discard("")
    return frozenset(names)


def _arrival_address(scope: Scope) -> str | None:
    """The local address the connection came in on, as the server saw it (an IP, or None)."""
    server = scope.get("server")
    if not server:
        return None
    try:
        return str(ipaddress.ip_address(str(server[0])))
    except ValueError:
        return None


def request_host(scope: Scope) -> str | None:
    """The request's ``Host`` without the port; None when missing, repeated or malformed."""
    values = Headers(scope=scope).getlist("host")
    return host_of(values[0]) if len(values) == 1 else None


class HostAllowList:
    """ASGI middleware: answers 421 to a request whose ``Host`` is not one of ``allowed``.

    ``hint`` completes the refusal's one line: where the operator adds a name.
    """

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str], hint: str) -> None:
        self.app = app
        self.allowed = frozenset(allowed)
        self.hint = hint

    def allows(self, scope: Scope) -> bool:
        host = request_host(scope)
        if host is None:
            return False
        return host in self.allowed or host == _arrival_address(scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allows(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        refused = PlainTextResponse(
            f"This server does not answer to that host name. {self.hint}", MISDIRECTED
        )
        await refused(scope, receive, send)
