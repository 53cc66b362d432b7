"""The admin endpoint (faults, session expiry, reset) and the health probe.

Admin calls change what every client sees, so only callers on this machine (loopback) may
make them: anyone else gets 403.
"""

from __future__ import annotations

import ipaddress
import json

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.auth import SessionStore
from sandbox.db import Database
from sandbox.faults import FaultState


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def admin_routes(faults: FaultState, sessions: SessionStore, db: Database) -> list[BaseRoute]:
    def refused(request: Request) -> Response | None:
        if not is_loopback(request.client.host if request.client else None):
            return PlainTextResponse(
                "Admin calls are only accepted from this machine.", status_code=403
            )
        return None

    async def get_faults(request: Request) -> Response:
        return refused(request) or JSONResponse(faults.snapshot().model_dump())

    async def put_faults(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        try:
            changes = json.loads(await request.body() or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("the body must be a JSON object")
            return JSONResponse(faults.update(changes).model_dump())
        except (ValueError, ValidationError) as exc:
            return PlainTextResponse(f"Invalid faults: {exc}", status_code=400)

    async def restore_faults(request: Request) -> Response:
        return refused(request) or JSONResponse(faults.restore().model_dump())

    async def expire_sessions(request: Request) -> Response:
        return refused(request) or JSONResponse({"expired": sessions.expire_all()})

    async def reset(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        await run_in_threadpool(db.reset)
        return JSONResponse({"status": "reset"})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return [
        Route("/sandbox/admin/faults", get_faults, methods=["GET"]),
        Route("/sandbox/admin/faults", put_faults, methods=["PUT"]),
        Route("/sandbox/admin/faults", restore_faults, methods=["DELETE"]),
        Route("/sandbox/admin/expire-sessions", expire_sessions, methods=["POST"]),
        Route("/sandbox/admin/reset", reset, methods=["POST"]),
        Route("/sandbox/health", health, methods=["GET"]),
    ]
