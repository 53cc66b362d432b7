"""Faults on demand: added latency, 5xx answers, a dropped connection after a submit.

Latency applies to data calls and pages (REST, sign-in, the session probe, page routes) but
never to static files, because a page loads hundreds of JET modules and a per-file delay would
measure the file count, not the server. 5xx faults apply to REST only. Admin and health calls
are never slowed or failed, so that a test can always repair what it broke.
"""

from __future__ import annotations

import asyncio
import random
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from config.settings import SandboxSettings

REST_PREFIX = "/fscmRestApi/"
UNTOUCHED_PREFIXES = ("/sandbox/static/", "/sandbox/jet/", "/sandbox/admin/", "/sandbox/health")
# Where SandboxApp keeps the server's own receive/send, so that a response can drop the socket.
RAW_CHANNEL = "sandbox.raw_channel"
DISCONNECT_WAIT_S = 5.0


class FailNext(BaseModel):
    """Fail the next ``times`` REST calls whose path contains ``path_contains``.

    A deterministic fault, for tests and training: "the supplier list's next two searches
    fail" rather than "5% of all calls fail".
    """

    model_config = ConfigDict(extra="forbid")

    path_contains: str = Field(min_length=1)
    times: int = Field(default=1, ge=0, le=1000)
    status: int = Field(default=500, ge=500, le=599)


class FaultSettings(BaseModel):
    """The faults in force; the admin endpoint's JSON body (partial updates allowed)."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    latency_jitter_ms: int = Field(default=0, ge=0, le=60_000)
    fault_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    fault_statuses: list[int] = Field(default_factory=lambda: [500, 503], min_length=1)
    drop_next_submit: bool = False
    fail_next: list[FailNext] = Field(default_factory=list, max_length=50)


class FaultState:
    """The live fault settings, shared by the request handlers (thread-safe)."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.initial = FaultSettings(
            latency_ms=settings.latency_ms,
            latency_jitter_ms=settings.latency_jitter_ms,
            fault_rate=settings.fault_rate,
        )
        self._current = self.initial.model_copy()
        self._lock = threading.Lock()
        self._random = random.Random()

    def snapshot(self) -> FaultSettings:
        with self._lock:
            return self._current.model_copy(deep=True)

    def update(self, changes: dict[str, Any]) -> FaultSettings:
        """Apply the given fields (validated); the others keep their values."""
        with self._lock:
            merged = self._current.model_dump() | changes
            self._current = FaultSettings.model_validate(merged)
            return self._current.model_copy(deep=True)

    def restore(self) -> FaultSettings:
        """Back to the faults the server was started with."""
        with self._lock:
            self._current = self.initial.model_copy()
            return self._current.model_copy(deep=True)

    def delay_s(self) -> float:
        with self._lock:
            jitter = self._random.uniform(0, self._current.latency_jitter_ms)
            return (self._current.latency_ms + jitter) / 1000

    def pick_fault(self, path: str) -> int | None:
        """A status to fail this REST call with, or None.

        A ``fail_next`` rule matching the path comes first (and counts down); otherwise
        ``fault_rate`` of calls fail at random.
        """
        with self._lock:
            for rule in self._current.fail_next:
                if rule.times > 0 and rule.path_contains in path:
                    rule.times -= 1
                    return rule.status
            if self._current.fault_rate > 0 and self._random.random() < self._current.fault_rate:
                return self._random.choice(self._current.fault_statuses)
            return None

    def take_drop_next_submit(self) -> bool:
        """True once after ``drop_next_submit`` was set: this submit's answer is dropped."""
        with self._lock:
            if self._current.drop_next_submit:
                self._current = self._current.model_copy(update={"drop_next_submit": False})
                return True
            return False


class FaultMiddleware:
    """Delays and fails requests according to the live :class:`FaultState`."""

    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(UNTOUCHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        delay = self.state.delay_s()
        if delay > 0:
            await asyncio.sleep(delay)  # the injected latency itself, not a wait for state
        status = self.state.pick_fault(path) if path.startswith(REST_PREFIX) else None
        if status is not None:
            text = "Service Unavailable" if status == 503 else "Internal Server Error"
            await PlainTextResponse(text, status_code=status)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class ConnectionDroppedError(RuntimeError):
    """Raised where there is no socket to drop (an in-process test client)."""


class DropConnection(Response):
    """A 'response' that aborts the TCP connection instead of answering.

    The server (uvicorn) gives the application no handle on the socket, so SandboxApp keeps
    the server's own ``send`` in the scope; its owner holds the transport. After the abort the
    server must notice the disconnect before the application returns, or it would log an
    error and try to answer 500 itself.
    """

    def __init__(self) -> None:
        super().__init__(status_code=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_receive, raw_send = scope.get(RAW_CHANNEL, (None, None))
        transport = getattr(getattr(raw_send, "__self__", None), "transport", None)
        if transport is None or raw_receive is None:
            raise ConnectionDroppedError("the connection was dropped on purpose (drop_next_submit)")
        transport.abort()
        async with asyncio.timeout(DISCONNECT_WAIT_S):
            while (await raw_receive())["type"] != "http.disconnect":
                pass
