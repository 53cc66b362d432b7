"""The REST endpoint: ``/fscmRestApi/resources/11.13.18.05/<resource>[/<id>[/child/…|/action/…]]``.

One route takes every path and walks the resource tree, so that all resources share the same
paging, filtering, error and link behaviour. Work that touches SQLite runs in the thread pool;
writes run in one transaction each. Every request is answered as the REST framework version its
``REST-Framework-Version`` header asks for (1 without it; ``sandbox/rest/versions.py``), and
every answer names that version in the same header.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from config.settings import SandboxSettings
from sandbox.auth import REALM, Authenticator
from sandbox.db import Database
from sandbox.faults import DropConnection, FaultState
from sandbox.rest import render
from sandbox.rest.lov_resources import lov_resources
from sandbox.rest.params import Shape, read_params
from sandbox.rest.po_resources import draft_purchase_orders, purchase_orders
from sandbox.rest.query import QueryError, attributes_in, compile_sql
from sandbox.rest.resource import Resource
from sandbox.rest.supplier_resources import suppliers_resource
from sandbox.rest.versions import (
    HEADER,
    FrameworkVersion,
    UnsupportedVersionError,
    requested_version,
)
from sandbox.rest.views import select_one, select_page
from sandbox.rules import RuleViolation
from sandbox.services.body import Body
from sandbox.services.context import make_context
from sandbox.ui_variants import UiVariant, ui_variant

REST_ROOT = "/fscmRestApi/resources/11.13.18.05"
ACTION_MEDIA_TYPES = ("application/vnd.oracle.adf.action+json", "application/json")
JSON_MEDIA = "application/json"


class NotFoundError(Exception):
    """The path names no resource or no item (HTTP 404, plain text)."""


@dataclass
class Target:
    """What a path points at: a resource, the keys above it, and maybe an item or an action."""

    resource: Resource
    parents: tuple[Any, ...]
    key: Any | None
    action: str | None
    href: str  # the collection's URL (item: the collection's URL + "/" + key)


def all_resources(order_number_prefix: str = "") -> dict[str, Resource]:
    """Every root resource; order numbers read with ``order_number_prefix`` (the UI variant's)."""
    roots = [
        purchase_orders(order_number_prefix),
        draft_purchase_orders(order_number_prefix),
        suppliers_resource(),
        *lov_resources(),
    ]
    return {r.name: r for r in roots}


def resolve(
    conn: sqlite3.Connection,
    roots: dict[str, Resource],
    segments: list[str],
    base: str,
    method: str = "GET",
) -> Target:
    """Walk the path; every item on the way must exist under its parent (else NotFoundError).

    The item a DELETE names is looked up in its resource's ``delete_view`` when it has one.
    """
    if not segments or segments[0] not in roots:
        raise NotFoundError(f"The resource {segments[0] if segments else ''} doesn't exist.")
    resource, href = roots[segments[0]], f"{base}/{segments[0]}"
    parents: tuple[Any, ...] = ()
    rest = segments[1:]
    while True:
        if not rest:
            return Target(resource, parents, None, None, href)
        key = resource.view.parse_key(rest[0])
        parent = parents[-1] if parents else None
        view = resource.view
        if method == "DELETE" and len(rest) == 1 and resource.delete_view is not None:
            view = resource.delete_view
        if key is None or select_one(conn, view, key, parent) is None:
            raise NotFoundError(f"The {resource.name} item {rest[0]} doesn't exist.")
        rest = rest[1:]
        if not rest:
            return Target(resource, parents, key, None, href)
        if rest[0] == "action" and len(rest) == 2 and rest[1] in resource.actions:
            return Target(resource, parents, key, rest[1], href)
        if rest[0] != "child" or len(rest) < 2 or rest[1] not in resource.children:
            raise NotFoundError(f"The path {'/'.join(segments)} doesn't exist.")
        href = f"{href}/{key}/child/{rest[1]}"
        resource, parents, rest = resource.children[rest[1]], (*parents, key), rest[2:]


class RestApi:
    def __init__(
        self,
        settings: SandboxSettings,
        db: Database,
        auth: Authenticator,
        faults: FaultState,
        variant: UiVariant | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.auth = auth
        self.faults = faults
        # A tenant's order numbers carry its prefix in REST as on the pages (redwood-alt: NCC).
        self.variant = variant or ui_variant(settings.ui_variant)
        self.roots = all_resources(self.variant.order_number_prefix)

    def routes(self) -> list[BaseRoute]:
        methods = ["GET", "POST", "PATCH", "DELETE", "PUT"]
        return [
            Route(REST_ROOT, self.handle, methods=methods),
            Route(REST_ROOT + "/{path:path}", self.handle, methods=methods),
        ]

    async def handle(self, request: Request) -> Response:
        try:
            version = requested_version(request.headers.get(HEADER))
        except UnsupportedVersionError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        user = self.auth.rest_user(request)
        if user is None:
            # A page's own calls get no Basic challenge: a browser would hold the request open
            # behind a password prompt instead of letting the page go to the sign-in page.
            # The challenge comes before the REST framework, so it is plain text in any version.
            from_page = request.headers.get("X-Requested-With") == "XMLHttpRequest"
            headers = {} if from_page else {"WWW-Authenticate": f'Basic realm="{REALM}"'}
            return PlainTextResponse(
                "Unauthorized", status_code=401, headers={**headers, **version.headers()}
            )
        raw = await request.body()
        try:
            return await run_in_threadpool(self._dispatch, request, user, raw, version)
        except NotFoundError as exc:
            return version.error(str(exc), 404)
        except (RuleViolation, QueryError) as exc:
            return version.error(str(exc), 400)

    def _dispatch(
        self, request: Request, user: str, raw: bytes, version: FrameworkVersion
    ) -> Response:
        segments = [s for s in request.path_params.get("path", "").split("/") if s]
        base = str(request.base_url).rstrip("/") + REST_ROOT
        method = request.method
        if method == "GET":
            with self.db.read() as conn:
                target = resolve(conn, self.roots, segments, base)
                if target.action is not None:
                    return self._not_allowed("POST", version)
                return self._read(conn, target, dict(request.query_params), version)
        with self.db.write() as conn:
            target = resolve(conn, self.roots, segments, base, method)
            ctx = make_context(
                conn,
                user,
                self.settings.auto_approve_limit,
                self.variant.order_number_prefix,
                self.settings.funds_check_warning_above,
            )
            if target.action is not None:
                if method != "POST":
                    return self._not_allowed("POST", version)
                content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if raw.strip() and content_type not in ACTION_MEDIA_TYPES:
                    return version.error(
                        f"The media type {content_type} isn't supported for actions. "
                        f"Use {ACTION_MEDIA_TYPES[0]}.",
                        415,
                    )
                result = target.resource.actions[target.action](
                    ctx, conn, target.key, _body(raw, target.action)
                )
                dropping = target.action == "submit" and self.faults.take_drop_next_submit()
            else:
                return self._write(conn, ctx, target, method, raw, version)
        # The transaction above has committed: the submit happened even if nobody hears of it.
        if dropping:
            return DropConnection()
        return JSONResponse(result, media_type=JSON_MEDIA, headers=version.headers())

    def _not_allowed(self, allowed: str, version: FrameworkVersion) -> Response:
        return version.error("Method not allowed", 405, headers={"Allow": allowed})

    def _read(
        self,
        conn: sqlite3.Connection,
        target: Target,
        query: dict[str, str],
        version: FrameworkVersion,
    ) -> Response:
        resource = target.resource
        params = read_params(resource, query, version)
        parent = target.parents[-1] if target.parents else None
        if target.key is not None:
            row = select_one(conn, resource.view, target.key, parent)
            assert row is not None
            body = render.item(
                conn,
                resource,
                row,
                f"{target.href}/{target.key}",
                params.shape,
                params.only_data,
                version.child_collections,
            )
            return JSONResponse(body, headers=version.headers())
        view = resource.view_for(attributes_in(params.q) if params.q else set())
        where = compile_sql(params.q, view.columns(), view.coerce) if params.q else None
        page = select_page(
            conn,
            view,
            parent_id=parent,
            where=where,
            order=params.order_by,
            limit=params.limit,
            offset=params.offset,
            count_total=params.total_results,
        )
        body = render.collection(
            conn,
            resource,
            page,
            target.href,
            params.shape,
            params.only_data,
            params.limit,
            params.offset,
            child_collections=version.child_collections,
        )
        return JSONResponse(body, headers=version.headers())

    def _write(
        self,
        conn: sqlite3.Connection,
        ctx: Any,
        target: Target,
        method: str,
        raw: bytes,
        version: FrameworkVersion,
    ) -> Response:
        resource = target.resource
        parent = target.parents[-1] if target.parents else None
        if target.key is None:
            if method != "POST" or resource.create is None:
                return self._not_allowed("GET, POST" if resource.create else "GET", version)
            key = resource.create(ctx, conn, target.parents, _body(raw, resource.name))
            status = 201
        elif method == "PATCH" and resource.update is not None:
            resource.update(ctx, conn, target.parents, target.key, _body(raw, resource.name))
            key, status = target.key, 200
        elif method == "DELETE" and resource.delete is not None:
            resource.delete(ctx, conn, target.parents, target.key)
            return Response(status_code=204, headers=version.headers())
        else:
            allowed = (
                ["GET"]
                + (["PATCH"] if resource.update else [])
                + (["DELETE"] if resource.delete else [])
            )
            return self._not_allowed(", ".join(allowed), version)
        row = select_one(conn, resource.view, key, parent)
        if row is None:  # e.g. written through a resource that no longer lists it
            return Response(status_code=204, headers=version.headers())
        href = f"{target.href}/{key}"
        shape = Shape(children={}) if method == "PATCH" else _expanded(resource)
        body = render.item(
            conn, resource, row, href, shape, False, child_collections=version.child_collections
        )
        headers = {"Location": href} if status == 201 else {}
        return JSONResponse(body, status_code=status, headers={**headers, **version.headers()})


def _expanded(resource: Resource) -> Shape:
    """A created item is returned with its children, as Fusion returns nested creates."""
    return Shape(children={name: _expanded(child) for name, child in resource.children.items()})


def _body(raw: bytes, resource: str) -> Body:
    if not raw.strip():
        return Body({}, resource)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise RuleViolation("The request body isn't valid JSON.") from None
    if not isinstance(data, dict):
        raise RuleViolation("The request body must be a JSON object.")
    return Body(data, resource)
