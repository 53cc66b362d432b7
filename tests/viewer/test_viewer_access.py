"""Who may read the viewer, what it serves, and that it changes nothing.

Requests go to the ASGI application in process (httpx's ASGI transport), so a request can come
from a non-loopback client address without any traffic leaving this machine.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import cli
from app.viewer.app import create_app
from rpa.ledger import Ledger
from rpa.ledger.schema import metadata
from tests.viewer.conftest import REJECTION, Trail

REMOTE = ("203.0.113.7", 51000)  # TEST-NET-3: documentation addresses, never routed
LOCAL = ("127.0.0.1", 51000)
CREDENTIALS = ("support", "Viewer-Pw-9x")
VIEWER_URL = "http://127.0.0.1:8790"
# Only ever passed to the refusing command: nothing listens on it in these tests.
PUBLIC = "0.0.0.0"  # noqa: S104


def _get(
    app: object,
    path: str,
    *,
    client: tuple[str, int],
    method: str = "GET",
    auth: tuple[str, str] | None = None,
) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=client)  # type: ignore[arg-type]
        # The viewer answers only its own host names: loopback ones, as bound by default.
        async with httpx.AsyncClient(transport=transport, base_url=VIEWER_URL) as http:
            return await http.request(method, path, auth=auth)

    return asyncio.run(go())


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_this_machine_reads_without_credentials(trail: Trail, ledger: Ledger) -> None:
    """Bound to loopback, a local browser gets the pages with the security headers."""
    app = create_app(ledger, trail.logs_dir)
    page = _get(app, "/runs", client=LOCAL)
    assert page.status_code == 200 and trail.failed.record.run_id in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_another_machine_is_refused_without_configured_credentials(
    trail: Trail, ledger: Ledger
) -> None:
    """With no credentials configured, a non-loopback client gets 403 on every route."""
    app = create_app(ledger, trail.logs_dir)
    run_id = trail.failed.record.run_id
    for path in (
        "/",
        "/runs",
        f"/runs/{run_id}",
        "/search?q=100231",
        f"/evidence/runs/{run_id}/evidence/REQ-2026-0103-failure.png",
    ):
        refused = _get(app, path, client=REMOTE)
        assert refused.status_code == 403, path
        assert run_id not in refused.text


def test_another_machine_must_authenticate(trail: Trail, ledger: Ledger) -> None:
    """With credentials configured: 401 and a challenge without them or with wrong ones."""
    app = create_app(ledger, trail.logs_dir, credentials=CREDENTIALS)
    anonymous = _get(app, "/runs", client=REMOTE)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Basic realm=")
    assert trail.raised.record.run_id not in anonymous.text
    assert _get(app, "/runs", client=REMOTE, auth=("support", "guess")).status_code == 401
    assert _get(app, "/runs", client=REMOTE, auth=("admin", CREDENTIALS[1])).status_code == 401
    assert _get(app, "/runs", client=REMOTE, auth=CREDENTIALS).status_code == 200


def test_bound_beyond_loopback_everyone_authenticates(trail: Trail, ledger: Ledger) -> None:
    """Bound to a public address, even a loopback client (a local proxy) must authenticate."""
    app = create_app(ledger, trail.logs_dir, credentials=CREDENTIALS, authenticate_everyone=True)
    assert _get(app, "/runs", client=LOCAL).status_code == 401
    assert _get(app, "/runs", client=LOCAL, auth=CREDENTIALS).status_code == 200


def test_the_command_refuses_a_public_address_without_credentials(trail: Trail) -> None:
    """rpa viewer --host 0.0.0.0 with no credentials exits 2 before listening."""
    env = {k: None for k in os.environ if k.startswith("RPA_")}
    done = CliRunner().invoke(cli, ["--home", str(trail.home), "viewer", "--host", PUBLIC], env=env)
    assert done.exit_code == 2
    assert "no credentials are configured" in done.stderr
    half = CliRunner().invoke(
        cli,
        ["--home", str(trail.home), "viewer", "--host", PUBLIC],
        env={**env, "RPA_AUDIT__VIEWER__USERNAME": "support"},
    )
    assert half.exit_code == 2 and "audit.viewer" in half.stderr


def _state(home: Path) -> dict[str, str]:
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and "-wal" not in p.name and "-shm" not in p.name
    }


def _settle(ledger: Ledger) -> None:
    """On SQLite, move the WAL into the database file, so that files compare byte for byte."""
    if ledger.engine.dialect.name == "sqlite":
        with ledger.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _rows(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every ledger table, in key order: the database as the viewer found it."""
    with ledger.engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in metadata.sorted_tables
        }


def test_the_viewer_changes_nothing(trail: Trail, ledger: Ledger) -> None:
    """Writing methods are refused, and browsing every page leaves every file and every row of
    the ledger as it was."""
    app = create_app(ledger, trail.logs_dir)
    run_id = trail.failed.record.run_id
    _settle(ledger)
    before = _state(trail.home), _rows(ledger)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert _get(app, "/runs", client=LOCAL, method=method).status_code == 405
        assert _get(app, f"/runs/{run_id}", client=LOCAL, method=method).status_code == 405
    for path in (
        "/runs",
        "/runs?status=partial&since=2000-01-01",
        f"/runs/{run_id}",
        "/search?q=REQ-2026-0103",
        f"/evidence/runs/{run_id}/evidence/REQ-2026-0103-trace.zip",
    ):
        assert _get(app, path, client=LOCAL).status_code == 200, path
    _settle(ledger)
    assert (_state(trail.home), _rows(ledger)) == before


def test_evidence_is_served_and_nothing_else(trail: Trail, ledger: Ledger) -> None:
    """Screenshots inline, traces as downloads; paths out of the evidence folders are refused."""
    app = create_app(ledger, trail.logs_dir)
    run_id = trail.failed.record.run_id
    folder = f"/evidence/runs/{run_id}/evidence"
    shot = _get(app, f"{folder}/REQ-2026-0103-failure.png", client=LOCAL)
    assert shot.status_code == 200 and shot.headers["content-type"] == "image/png"
    assert shot.content.startswith(b"\x89PNG")
    assert shot.headers["content-disposition"].startswith("inline")
    trace = _get(app, f"{folder}/REQ-2026-0103-trace.zip", client=LOCAL)
    assert trace.headers["content-type"] == "application/zip"
    assert trace.headers["content-disposition"].startswith("attachment")
    link = trail.logs_dir / "runs" / run_id / "evidence" / "ledger-link.png"
    link.symlink_to(trail.home / "state" / "ledger.sqlite3")
    for path in (
        f"/evidence/runs/{run_id}/run.json",  # a run record, not evidence
        "/evidence/audit/digests/digest-00000001.json",
        f"/evidence/runs/{run_id}/evidence/%2e%2e/%2e%2e/%2e%2e/../state/ledger.sqlite3",
        "/evidence/runs/%2e%2e/%2e%2e/state/ledger.sqlite3",
        "/evidence/%2Fetc%2Fpasswd",
        f"{folder}/ledger-link.png",  # a link out of the logs directory
        f"{folder}/no-such-file.png",
    ):
        refused = _get(app, path, client=LOCAL)
        assert refused.status_code == 404, path
        assert b"SQLite format" not in refused.content


def test_data_is_escaped_in_the_pages(trail: Trail, ledger: Ledger) -> None:
    """Oracle's message with markup characters is shown as text, never as HTML."""
    app = create_app(ledger, trail.logs_dir)
    page = _get(app, f"/runs/{trail.failed.record.run_id}", client=LOCAL).text
    assert "&lt;Enter a valid account&gt; &amp; try again." in page
    assert REJECTION not in page
    search = _get(app, "/search?q=%3Cb%3Ebold%3C/b%3E", client=LOCAL).text
    assert "<b>bold</b>" not in search and "&lt;b&gt;bold&lt;/b&gt;" in search


@pytest.mark.parametrize("status", ["partial", "succeeded"])
def test_tampering_shows_on_the_affected_run_only(
    trail: Trail, ledger: Ledger, status: str
) -> None:
    """A changed screenshot marks its run 'tampered' and the banner names it; others stay intact."""
    shot = trail.logs_dir / "runs" / trail.failed.record.run_id / "evidence"
    (shot / "REQ-2026-0103-failure.png").write_bytes(b"\x89PNG edited")
    app = create_app(ledger, trail.logs_dir)
    page = _get(app, f"/runs?status={status}", client=LOCAL).text
    assert "Audit trail check FAILED" in page and "REQ-2026-0103-failure.png changed" in page
    if status == "partial":
        assert '<span class="badge bad">tampered</span>' in page
    else:
        assert '<span class="badge good">intact</span>' in page and "tampered</span>" not in page
