"""The viewer's web application: read-only routes over the ledger, the trail and the evidence.

Every route answers GET (and HEAD) only; nothing in the application writes to the database or
the logs directory. Evidence files are served only from ``<logs>/runs/<run_id>/evidence/``: a
path with a ``..``, ``.`` or empty segment, a backslash or a NUL is refused before the file
system is asked, and the resolved file must still lie in that folder, so neither encoded dot
segments nor symbolic links reach anything else. Requests naming another host than the
viewer's own are refused (:mod:`config.allowed_hosts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from app.viewer.guard import AccessGuard
from app.viewer.integrity import TrailCheck
from app.viewer.pages import RunFilters, not_found_page, run_page, runs_page, search_page
from config.allowed_hosts import HostAllowList, allowed_hosts
from rpa.audit.evidence import served_evidence
from rpa.audit.queries import find_reference
from rpa.audit.run_view import load_run_view
from rpa.audit.verify import UnknownRunError, verify_trail
from rpa.display_time import local_day_start
from rpa.ledger import Ledger
from rpa.ledger.database import read_transaction
from rpa.ledger.schema import runs
from rpa.run_record import RunStatus, list_runs

MAX_RUNS_LISTED = 200
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
    ".json": "application/json",
}


def _day(text: str | None) -> datetime | None:
    """The start of the day a filter names, a day as people in the display zone live it."""
    try:
        return local_day_start(date.fromisoformat(text or ""))
    except ValueError:
        return None  # an unreadable date filters nothing, as if it were left empty


class ViewerApp:
    """The routes, over one ledger and one logs directory."""

    def __init__(self, ledger: Ledger, logs_dir: Path) -> None:
        self.ledger = ledger
        self.logs_dir = logs_dir
        self.trail = TrailCheck(ledger.engine, logs_dir)

    def _flows(self) -> list[str]:
        with read_transaction(self.ledger.engine) as conn:
            return sorted(row[0] for row in conn.execute(select(runs.c.flow).distinct()).all())

    def home(self, request: Request) -> Response:
        return RedirectResponse("/runs", status_code=302)

    def runs(self, request: Request) -> Response:
        q = request.query_params
        status = q.get("status", "")
        since, until = _day(q.get("since")), _day(q.get("until"))
        filters = RunFilters(
            flow=q.get("flow", ""),
            status=status if status in {s.value for s in RunStatus} else "",
            since=q.get("since", "") if since else "",
            until=q.get("until", "") if until else "",
        )
        records = list_runs(
            self.ledger,
            flow=filters.flow or None,
            status=RunStatus(filters.status) if filters.status else None,
            since=since,
            until=until + timedelta(days=1) if until else None,
            limit=MAX_RUNS_LISTED,
        )
        return HTMLResponse(runs_page(records, filters, self._flows(), self.trail.report()))

    def run(self, request: Request) -> Response:
        run_id = request.path_params["run_id"]
        view = load_run_view(self.ledger, run_id, self.logs_dir)
        if view is None:
            return HTMLResponse(not_found_page(f"There is no run {run_id!r}."), 404)
        try:
            report = verify_trail(self.ledger.engine, self.logs_dir, run_id=run_id)
        except UnknownRunError:
            report = None
        return HTMLResponse(run_page(view, report))

    def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        result = find_reference(self.ledger.engine, query) if query else None
        return HTMLResponse(search_page(query, result))

    def evidence(self, request: Request) -> Response:
        # The path as the server decoded it (%2e, %2f already turned into '.' and '/'): the
        # check works on exactly what would be opened.
        target = served_evidence(self.logs_dir, request.path_params["path"])
        if target is None:
            return HTMLResponse(not_found_page("There is no such evidence file."), 404)
        media = MEDIA_TYPES.get(target.suffix.lower(), "application/octet-stream")
        inline = media.startswith("image/")
        return FileResponse(
            target,
            media_type=media,
            filename=target.name,
            content_disposition_type="inline" if inline else "attachment",
        )


def create_app(
    ledger: Ledger,
    logs_dir: Path,
    *,
    credentials: tuple[str, str] | None = None,
    authenticate_everyone: bool = False,
    bound_host: str = "127.0.0.1",
    extra_hosts: Iterable[str] = (),
) -> AccessGuard:
    """The viewer as an ASGI application, behind its access rules (:mod:`app.viewer.guard`).

    ``bound_host`` is the address it listens on; with ``extra_hosts`` (the operator's
    ``audit.viewer.allowed_hosts``) it decides which ``Host`` headers are answered.
    """
    viewer = ViewerApp(ledger, logs_dir)
    app = Starlette(
        routes=[
            Route("/", viewer.home, methods=["GET"]),
            Route("/runs", viewer.runs, methods=["GET"]),
            Route("/runs/{run_id}", viewer.run, methods=["GET"]),
            Route("/search", viewer.search, methods=["GET"]),
            Route("/evidence/{path:path}", viewer.evidence, methods=["GET"]),
        ]
    )
    # Inside the access guard, so that a refused host name gets the security headers too.
    hosts = HostAllowList(
        app,
        allowed=allowed_hosts(bound_host, extra_hosts),
        hint="Add the name to audit.viewer.allowed_hosts to serve it.",
    )
    return AccessGuard(hosts, credentials=credentials, authenticate_everyone=authenticate_everyone)
