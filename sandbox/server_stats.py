"""How much time the sandbox itself spends serving requests: the floor benchmarks compare to.

Measured inside the fault middleware, so injected latency and injected errors are not counted.
"""

from __future__ import annotations

import threading
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.admin import is_loopback


class ServerStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.server_time_s = 0.0

    def add(self, seconds: float) -> None:
        with self._lock:
            self.requests += 1
            self.server_time_s += seconds

    def snapshot(self, *, reset: bool = False) -> dict[str, float]:
        with self._lock:
            body = {"requests": self.requests, "server_time_s": round(self.server_time_s, 6)}
            if reset:
                self.requests, self.server_time_s = 0, 0.0
        return body


class ServerTimeMiddleware:
    def __init__(self, app: ASGIApp, stats: ServerStats) -> None:
        self.app = app
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/sandbox/admin/"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.stats.add(time.perf_counter() - started)


def stats_routes(stats: ServerStats) -> list[BaseRoute]:
    async def get_stats(request: Request) -> Response:
        if not is_loopback(request.client.host if request.client else None):
            return PlainTextResponse("Admin calls are only accepted from this machine.", 403)
        reset = request.method == "DELETE"
        return JSONResponse(stats.snapshot(reset=reset))

    return [Route("/sandbox/admin/stats", get_stats, methods=["GET", "DELETE"])]
