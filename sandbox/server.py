"""Serving the sandbox with uvicorn, and announcing where it listens.

Once the socket is listening, ``<data_dir>/server.json`` holds ``{"base_url", "pid"}``: with
``--port 0`` that file is how a launcher learns the port the system picked.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

import uvicorn

from config.settings import SandboxSettings
from sandbox.app import create_app

SERVER_FILE = "server.json"
# Seconds that open connections get to finish when the server is asked to stop.
GRACEFUL_SHUTDOWN_S = 5


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, which tells the world its URL once it listens and forgets it on exit."""

    def __init__(
        self, config: uvicorn.Config, data_dir: Path, announce: Callable[[str], None]
    ) -> None:
        super().__init__(config)
        self.data_dir = data_dir
        self.announce = announce
        self.url: str | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        port = self.servers[0].sockets[0].getsockname()[1]
        self.url = base_url(self.config.host, port)
        record = {"base_url": self.url, "pid": os.getpid()}
        # Written then renamed, so that a reader never sees half a file.
        partial = self.data_dir / (SERVER_FILE + ".tmp")
        partial.write_text(json.dumps(record), encoding="utf-8")
        partial.replace(self.data_dir / SERVER_FILE)
        self.announce(self.url)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets=sockets)
        server_file = self.data_dir / SERVER_FILE
        with contextlib.suppress(OSError, ValueError):
            if json.loads(server_file.read_text(encoding="utf-8")).get("pid") == os.getpid():
                server_file.unlink()


def serve(
    settings: SandboxSettings,
    data_dir: Path,
    *,
    reset: bool,
    announce: Callable[[str], None],
    extra_hosts: Iterable[str] = (),
) -> None:
    """Run until SIGINT/SIGTERM. ``announce`` gets the base URL once the server listens.

    ``extra_hosts``: host names to answer besides the sandbox's own (``--allowed-host``).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, data_dir, reset=reset, extra_hosts=extra_hosts)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    AnnouncingServer(config, data_dir, announce).run()
