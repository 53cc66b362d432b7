"""A home with a real audit trail for the viewer tests: three runs of two flows, in a SQLite
ledger and again in a PostgreSQL one; and the viewer served for real on a loopback socket, in a
thread of the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from app.viewer.server import bind, viewer_app
from config.audit_settings import ViewerSettings
from rpa.ledger import Ledger
from rpa.run_record import RunStatus
from tests.audit.trail_support import BuiltRun, Item, build_run
from tests.ledger_backends import ledger_url_for


@dataclass(frozen=True)
class Trail:
    home: Path
    raised: BuiltRun  # succeeded: REQ-2026-0101 raised as PO 100231
    failed: BuiltRun  # partial: REQ-2026-0102 raised as 100232, REQ-2026-0103 rejected
    suppliers: BuiltRun  # another flow, succeeded
    ledger_url: str  # the home's SQLite file, or a PostgreSQL database

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"


REJECTION = "Charge account 1000-CC150-5100-000 is disabled. <Enter a valid account> & try again."


def build_trail(home: Path, ledger_url: str | None = None) -> Trail:
    """Three finished runs with evidence, through the real ledger and run recorder; the ledger
    is the home's own SQLite file unless ``ledger_url`` names another."""
    (home / "state").mkdir(parents=True, exist_ok=True)
    url = ledger_url or f"sqlite:///{home / 'state' / 'ledger.sqlite3'}"
    with Ledger(url) as ledger:
        logs = home / "logs"
        raised = build_run(ledger, logs, [Item("REQ-2026-0101", "raised", "100231")])
        failed = build_run(
            ledger,
            logs,
            [
                Item("REQ-2026-0102", "raised", "100232"),
                Item(
                    "REQ-2026-0103",
                    "rejected",
                    message=REJECTION,
                    failure_class="BusinessRuleError",
                ),
            ],
            operator="a.jones",
        )
        suppliers = build_run(
            ledger,
            logs,
            [Item("SUP-4471", "raised", "4471")],
            flow="sync-suppliers",
            status=RunStatus.SUCCEEDED,
        )
    return Trail(home, raised, failed, suppliers, url)


@pytest.fixture
def trail(request: pytest.FixtureRequest, ledger_backend: str, tmp_path: Path) -> Trail:
    """The trail in a SQLite ledger, and again in a PostgreSQL one."""
    home = tmp_path / "home"
    return build_trail(
        home, ledger_url_for(request, ledger_backend, home / "state" / "ledger.sqlite3")
    )


@pytest.fixture
def ledger(trail: Trail) -> Iterator[Ledger]:
    with Ledger(trail.ledger_url) as opened:
        yield opened


STARTUP_TIMEOUT_S = 30


@contextmanager
def serving(
    ledger: Ledger, logs_dir: Path, settings: ViewerSettings | None = None
) -> Iterator[int]:
    """The viewer as ``rpa viewer`` builds it (``settings.host``), listening on a free port of
    that address until the block ends; yields the port."""
    settings = settings or ViewerSettings()
    app = viewer_app(ledger, logs_dir, settings, host=settings.host)
    sock = bind(settings.host, 0)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started:  # uvicorn's own flag, polled under a deadline
            assert thread.is_alive() and time.monotonic() < deadline, "the viewer did not start"
            time.sleep(0.02)
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_S)
        sock.close()
