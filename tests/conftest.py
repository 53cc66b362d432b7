"""Shared fixtures: one real sandbox server for the whole test session, and a REST client on it.

``sandbox_server`` is a :class:`sandbox.process.SandboxProcess` (attributes ``base_url``,
``rest_base``, ``username``, ``password``, ``data_dir``; methods ``set_faults(**kw)``,
``restore_faults()``, ``expire_sessions()``, ``reset()``). Faults a test sets are undone after
it. Data a test creates stays: tests that need the pristine seed call ``sandbox_server.reset()``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import SandboxSettings
from sandbox.app import create_app
from sandbox.process import SandboxProcess
from tests.ledger_backends import ledger_backend  # noqa: F401  (a fixture, for every test)
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _no_rpa_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No RPA_* setting from the developer's shell or CI reaches a test: each test states the
    settings it relies on (child processes get theirs through explicit environments)."""
    for name in list(os.environ):
        if name.startswith("RPA_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir = tmp_path_factory.mktemp("sandbox")
    with SandboxProcess(data_dir, SandboxSettings(port=0), reset=True) as server:
        yield server


@pytest.fixture(autouse=True)
def _restore_sandbox_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that used the sandbox, put its faults back as they were at start."""
    yield
    if "sandbox_server" in request.fixturenames:
        server: SandboxProcess = request.getfixturevalue("sandbox_server")
        if server.pid is not None:
            server.restore_faults()


@pytest.fixture
def rest(sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    """An HTTP client on the REST base, signed in as the service account (basic auth)."""
    with httpx.Client(
        base_url=sandbox_server.rest_base,
        auth=(sandbox_server.username, sandbox_server.password),
        timeout=30.0,
        trust_env=False,
    ) as client:
        yield client


class AsgiClient:
    """Calls an in-process sandbox app over ASGI, keeping cookies between calls.

    ``client`` is the peer address the app sees: tests of loopback-only endpoints pass another
    address here; no traffic leaves the process.
    """

    def __init__(self, app: Starlette, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self.app = app
        self.client = client
        self.cookies = httpx.Cookies()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=self.client)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1:8765", cookies=self.cookies
            ) as client:
                response = await client.request(method, url, **kwargs)
                self.cookies = client.cookies
                return response

        return asyncio.run(call())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture
def sandbox_app(tmp_path: Path) -> Callable[..., Starlette]:
    """Makes an in-process sandbox app on a fresh seed; keyword arguments are sandbox settings,
    ``web_dir`` replaces the page files (so tests need not depend on the real pages), ``clock``
    the sessions' clock (so idle time passes without waiting)."""
    made = 0

    def make(
        web_dir: Path | None = None, clock: Callable[[], float] | None = None, **settings: Any
    ) -> Starlette:
        nonlocal made
        made += 1
        data_dir = tmp_path / f"sandbox-app-{made}"
        options: dict[str, Any] = {}
        if web_dir is not None:
            options["web_dir"] = web_dir
        if clock is not None:
            options["clock"] = clock
        return create_app(SandboxSettings(**settings), data_dir, **options)

    return make


@pytest.fixture(scope="session")
def alt_sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """A second sandbox serving the "redwood-alt" variant: the pages as another release and
    tenant word them (config/ui_profiles/redwood-alt.toml describes it)."""
    data_dir = tmp_path_factory.mktemp("sandbox-alt")
    with SandboxProcess(
        data_dir, SandboxSettings(port=0, ui_variant="redwood-alt"), reset=True
    ) as server:
        yield server
