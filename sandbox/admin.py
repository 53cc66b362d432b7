"""The admin endpoint (faults, session expiry, reset, an order's status, supplier change
requests) and the health probe.

Admin calls change what every client sees, so only callers on this machine (loopback) may
make them: anyone else gets 403. Those that change something must also send JSON and come from
no other site's page (``sandbox/admin_guard.py``).

Supplier change requests (``sandbox/services/supplier_change_control.py``) are decided here, as
an approver would in Fusion:

- ``GET /sandbox/admin/supplier-change-requests`` (``?status=PENDING``, ``&supplierNumber=``):
  ``{"items": [...]}``, each request with its ``changes``;
- ``GET /sandbox/admin/supplier-change-requests/{number}``: one (404 when unknown);
- ``POST …/{number}/approve``: applies it (409 when it is not pending, or an edit no longer
  applies: it then stays pending); ``POST …/{number}/reject``: nothing of it is applied. Both
  take a JSON body, ``{}`` or ``{"by": "Approver Name", "note": "…"}``, and answer the request.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.auth import SessionStore
from sandbox.db import Database
from sandbox.faults import FaultState
from sandbox.rules import RuleViolation
from sandbox.services import orders
from sandbox.services import supplier_change_control as change_control

APPROVER = "SANDBOX.ADMIN"  # who decides a change request when the call names nobody


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

    def put_status(header_id: str, status: object) -> Response:
        if not header_id.isdigit():
            return PlainTextResponse(f"The purchase order {header_id} doesn't exist.", 404)
        if not isinstance(status, str):
            return PlainTextResponse('The body must be {"status": "<status name>"}.', 400)
        timestamp = datetime.now(UTC).isoformat(timespec="milliseconds")
        with db.write() as conn:
            found = conn.execute(
                "SELECT 1 FROM po_headers WHERE id = ?", (int(header_id),)
            ).fetchone()
            if found is None:
                return PlainTextResponse(f"The purchase order {header_id} doesn't exist.", 404)
            try:
                name = orders.set_status(conn, int(header_id), status, timestamp)
            except RuleViolation as exc:
                return PlainTextResponse(str(exc), 400)
        return JSONResponse({"POHeaderId": int(header_id), "Status": name})

    async def order_status(request: Request) -> Response:
        """Put an order in any of Fusion's statuses, whatever its life cycle would allow."""
        if (denied := refused(request)) is not None:
            return denied
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return PlainTextResponse("The request body isn't valid JSON.", status_code=400)
        status = body.get("status") if isinstance(body, dict) else None
        return await run_in_threadpool(put_status, request.path_params["header_id"], status)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def list_change_requests(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        status = request.query_params.get("status")
        number = request.query_params.get("supplierNumber")

        def read() -> list[dict[str, object]]:
            with db.read() as conn:
                return change_control.list_requests(conn, status=status, supplier_number=number)

        return JSONResponse({"items": await run_in_threadpool(read)})

    async def get_change_request(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        number = request.path_params["number"]

        def read() -> dict[str, object]:
            with db.read() as conn:
                return change_control.get_request(conn, number)

        try:
            return JSONResponse(await run_in_threadpool(read))
        except change_control.ChangeRequestError as exc:
            return PlainTextResponse(exc.message, status_code=exc.status)

    def decision(decide: change_control.Decision) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if (denied := refused(request)) is not None:
                return denied
            number = request.path_params["number"]
            try:
                given = json.loads(await request.body() or b"{}")
                if not isinstance(given, dict):
                    raise ValueError("the body must be a JSON object")
            except ValueError as exc:
                return PlainTextResponse(f"Invalid decision: {exc}", status_code=400)
            by = str(given.get("by") or APPROVER)
            note = given.get("note")

            def write() -> dict[str, object]:
                with db.write() as conn:
                    decide(conn, number, by, None if note is None else str(note))
                with db.read() as conn:
                    return change_control.get_request(conn, number)

            try:
                return JSONResponse(await run_in_threadpool(write))
            except change_control.ChangeRequestError as exc:
                return PlainTextResponse(exc.message, status_code=exc.status)

        return endpoint

    return [
        Route("/sandbox/admin/faults", get_faults, methods=["GET"]),
        Route("/sandbox/admin/faults", put_faults, methods=["PUT"]),
        Route("/sandbox/admin/faults", restore_faults, methods=["DELETE"]),
        Route("/sandbox/admin/expire-sessions", expire_sessions, methods=["POST"]),
        Route("/sandbox/admin/reset", reset, methods=["POST"]),
        Route("/sandbox/admin/orders/{header_id}/status", order_status, methods=["POST"]),
        Route("/sandbox/admin/supplier-change-requests", list_change_requests, methods=["GET"]),
        Route(
            "/sandbox/admin/supplier-change-requests/{number}",
            get_change_request,
            methods=["GET"],
        ),
        Route(
            "/sandbox/admin/supplier-change-requests/{number}/approve",
            decision(change_control.approve),
            methods=["POST"],
        ),
        Route(
            "/sandbox/admin/supplier-change-requests/{number}/reject",
            decision(change_control.reject),
            methods=["POST"],
        ),
        Route("/sandbox/health", health, methods=["GET"]),
    ]
