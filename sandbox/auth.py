"""Who is calling: the service account over HTTP basic auth, or a page session cookie.

Sessions live in memory with an idle timeout, as Fusion's do: a session not used for
``idle_timeout_s`` is gone, and a restart of the server signs everybody out.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from config.settings import SandboxSettings

SESSION_COOKIE = "ORA_SBX_SESSION"
REALM = "fscmRestApi"


@dataclass
class Session:
    username: str
    last_used: float


class SessionStore:
    """Session tokens -> users, forgetting those idle for longer than the timeout."""

    def __init__(self, idle_timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_timeout_s = idle_timeout_s
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, username: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = Session(username, self._clock())
        return token

    def touch(self, token: str) -> str | None:
        """The session's user, marking it used now; None when unknown or idle too long."""
        now = self._clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if now - session.last_used > self.idle_timeout_s:
                del self._sessions[token]
                return None
            session.last_used = now
            return session.username

    def drop(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)

    def expire_all(self) -> int:
        """End every session at once (the admin fault); returns how many there were."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count


class Authenticator:
    """Checks the service account's credentials and resolves a request to a user name."""

    def __init__(self, settings: SandboxSettings, sessions: SessionStore) -> None:
        self._username = settings.username
        self._password = settings.password.get_secret_value()
        self.sessions = sessions

    def check_password(self, username: str, password: str) -> bool:
        # User names are case-insensitive in Fusion; passwords are not. compare_digest keeps the
        # comparison time independent of how much of the password was right.
        name_ok = username.strip().upper() == self._username.upper()
        password_ok = hmac.compare_digest(password.encode(), self._password.encode())
        return name_ok and password_ok

    @property
    def username(self) -> str:
        return self._username

    def session_user(self, request: HTTPConnection) -> str | None:
        token = request.cookies.get(SESSION_COOKIE)
        return self.sessions.touch(token) if token else None

    def basic_user(self, request: HTTPConnection) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(":")
        if sep and self.check_password(username, password):
            return self._username
        return None

    def rest_user(self, request: HTTPConnection) -> str | None:
        """REST accepts basic auth (the bots' service account) or the pages' session cookie."""
        return self.basic_user(request) or self.session_user(request)
