"""Who may read the viewer, and the headers every answer carries.

Rules:

- a request from this machine (a loopback client address) is served without credentials, unless
  the viewer is bound to a non-loopback address: then every request must authenticate, because
  a reverse proxy on this machine would otherwise make every remote user look local;
- a request from any other machine must carry the configured user name and password (HTTP
  basic authentication); with no credentials configured, it is refused outright.

Basic authentication sends the password with every request: on anything but loopback, put the
viewer behind TLS (a reverse proxy) — see ``docs/audit.md``.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.audit_settings import is_loopback_host

REALM = "myOracle RPA run log"

SECURITY_HEADERS = [
    # No script at all; styles only from the page itself; images only from this server.
    (
        b"content-security-policy",
        b"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def _basic_credentials(headers: Headers) -> tuple[str, str] | None:
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


class AccessGuard:
    """ASGI middleware applying the access rules above and adding the security headers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        credentials: tuple[str, str] | None,
        authenticate_everyone: bool,
    ) -> None:
        self.app = app
        self.credentials = credentials
        self.authenticate_everyone = authenticate_everyone

    def _authorised(self, headers: Headers) -> bool:
        given = _basic_credentials(headers)
        if given is None or self.credentials is None:
            return False
        user_ok = hmac.compare_digest(given[0].encode(), self.credentials[0].encode())
        password_ok = hmac.compare_digest(given[1].encode(), self.credentials[1].encode())
        return user_ok and password_ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        client = scope.get("client")
        local = client is not None and is_loopback_host(str(client[0]))
        if local and not self.authenticate_everyone:
            await self.app(scope, receive, with_headers)
            return
        if self.credentials is None:
            refused = PlainTextResponse(
                "This viewer only answers requests from the machine it runs on.", 403
            )
            await refused(scope, receive, with_headers)
            return
        if not self._authorised(Headers(scope=scope)):
            challenge = PlainTextResponse(
                "Sign in with the viewer's user name and password.",
                401,
                headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
            )
            await challenge(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
