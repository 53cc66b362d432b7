"""Serving the viewer with uvicorn on a socket bound here (so port 0 works and is reported)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from app.viewer.app import create_app
from config.audit_settings import ViewerSettings, is_loopback_host
from rpa.ledger import Ledger


class ViewerConfigError(ValueError):
    """The viewer may not start as configured."""


def check_exposure(host: str, settings: ViewerSettings) -> None:
    """Refuse a non-loopback address without credentials: the pages show orders and suppliers."""
    if not is_loopback_host(host) and not settings.has_credentials:
        raise ViewerConfigError(
            f"The viewer would listen on {host}, which other machines can reach, but no "
            "credentials are configured. Set RPA_AUDIT__VIEWER__USERNAME and "
            "RPA_AUDIT__VIEWER__PASSWORD (or a file <home>/secrets/audit__viewer__password), "
            "or bind 127.0.0.1."
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def viewer_app(ledger: Ledger, logs_dir: Path, settings: ViewerSettings, *, host: str) -> ASGIApp:
    """The viewer as it is served on ``host``: its access rules and the host names it answers."""
    check_exposure(host, settings)
    credentials = None
    if settings.username is not None and settings.password is not None:
        credentials = (settings.username, settings.password.get_secret_value())
    return create_app(
        ledger,
        logs_dir,
        credentials=credentials,
        authenticate_everyone=not is_loopback_host(host),
        bound_host=host,
        extra_hosts=settings.allowed_hosts,
    )


def serve(
    ledger: Ledger,
    logs_dir: Path,
    settings: ViewerSettings,
    *,
    host: str,
    port: int,
    on_ready: Callable[[str], None],
) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM); ``on_ready`` gets the URL once listening."""
    app = viewer_app(ledger, logs_dir, settings, host=host)
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="off", server_header=False
    )
    on_ready(f"http://{shown}:{bound_port}/")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
