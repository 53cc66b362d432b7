"""Running the sandbox as a real subprocess: what the shell uses to start the embedded sandbox,
and what the tests use as their fixture.

The child runs ``python -m sandbox serve`` in its own process group (so stopping it also stops
anything it started), on a free port, with settings passed through ``RPA_SANDBOX__*``
variables. Startup waits on real state: the child's ``server.json`` and then its health probe,
each under a deadline.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from config.settings import SandboxSettings
from sandbox.server import SERVER_FILE

REST_PATH = "/fscmRestApi/resources/11.13.18.05"
LOG_FILE = "server.log"
POLL_INTERVAL_S = 0.05


class SandboxStartError(RuntimeError):
    """The sandbox process exited or did not become healthy in time."""


def settings_env(settings: SandboxSettings) -> dict[str, str]:
    """The environment variables that give a child process exactly these sandbox settings."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
        env[f"RPA_SANDBOX__{name.upper()}"] = text
    return env


class SandboxProcess:
    """A sandbox server in a subprocess, for as long as the ``with`` block lasts."""

    def __init__(
        self,
        data_dir: Path,
        settings: SandboxSettings | None = None,
        *,
        port: int = 0,
        reset: bool = False,
        startup_timeout_s: float = 60.0,
        stop_grace_s: float = 10.0,
        extra_env: Mapping[str, str] | None = None,
        allowed_hosts: Sequence[str] = (),
    ) -> None:
        # Port 0 unless told otherwise: two sandboxes (or a developer's own) never collide.
        self.settings = (settings or SandboxSettings()).model_copy(update={"port": port})
        self.data_dir = data_dir
        self.reset_on_start = reset
        self.startup_timeout_s = startup_timeout_s
        self.stop_grace_s = stop_grace_s
        self.extra_env = dict(extra_env or {})
        self.allowed_hosts = tuple(allowed_hosts)  # names to answer besides its own address
        self._process: subprocess.Popen[bytes] | None = None
        self._base_url: str | None = None
        self._http = httpx.Client(timeout=30.0, trust_env=False)

    # --- what clients need ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox is not running")
        return self._base_url

    @property
    def rest_base(self) -> str:
        return self.base_url + REST_PATH

    @property
    def username(self) -> str:
        return self.settings.username

    @property
    def password(self) -> str:
        return self.settings.password.get_secret_value()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    # --- life cycle ----------------------------------------------------------------------------
    def start(self) -> Self:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        server_file = self.data_dir / SERVER_FILE
        server_file.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "sandbox",
            "serve",
            "--host",
            self.settings.host,
            "--port",
            str(self.settings.port),
            "--data-dir",
            str(self.data_dir),
        ]
        if self.reset_on_start:
            command.append("--reset")
        for name in self.allowed_hosts:
            command += ["--allowed-host", name]
        env = {**os.environ, **settings_env(self.settings), **self.extra_env}
        with (self.data_dir / LOG_FILE).open("ab") as log:
            self._process = subprocess.Popen(
                command,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self._wait_until_ready(server_file)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, server_file: Path) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise SandboxStartError(
                    f"the sandbox exited with code {self._process.returncode}: {self._log_tail()}"
                )
            if self._base_url is None:
                self._base_url = self._announced_url(server_file)
            if self._base_url is not None and self._healthy():
                return
            time.sleep(POLL_INTERVAL_S)  # polling real state (file, health) under a deadline
        raise SandboxStartError(
            f"the sandbox was not healthy after {self.startup_timeout_s:.0f} s: {self._log_tail()}"
        )

    def _announced_url(self, server_file: Path) -> str | None:
        try:
            record = json.loads(server_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        assert self._process is not None
        return str(record["base_url"]) if record.get("pid") == self._process.pid else None

    def _healthy(self) -> bool:
        try:
            return self._http.get(self.base_url + "/sandbox/health", timeout=2.0).status_code == 200
        except httpx.TransportError:
            return False

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = (self.data_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after the grace period."""
        process, self._process = self._process, None
        self._base_url = None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=self.stop_grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def close(self) -> None:
        self.stop()
        self._http.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- admin helpers -------------------------------------------------------------------------
    def _admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        # A call that changes anything must send a JSON body, if only {} (sandbox/admin_guard.py).
        if body is None and method != "GET":
            body = {}
        response = self._http.request(method, f"{self.base_url}/sandbox/admin/{path}", json=body)
        response.raise_for_status()
        return response.json()

    def faults(self) -> dict[str, Any]:
        result: dict[str, Any] = self._admin("GET", "faults")
        return result

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        """Change some faults (``latency_ms``, ``fault_rate``, ``drop_next_submit``…)."""
        result: dict[str, Any] = self._admin("PUT", "faults", changes)
        return result

    def restore_faults(self) -> dict[str, Any]:
        """Back to the faults the server started with."""
        result: dict[str, Any] = self._admin("DELETE", "faults")
        return result

    def server_stats(self, *, reset: bool = False) -> dict[str, float]:
        """Requests served and seconds spent serving them (without injected latency)."""
        result: dict[str, float] = self._admin("DELETE" if reset else "GET", "stats")
        return result

    def expire_sessions(self) -> int:
        return int(self._admin("POST", "expire-sessions")["expired"])

    def reset(self) -> None:
        """Restore the seed data."""
        self._admin("POST", "reset")

    def set_order_status(self, header_id: int, status: str) -> str:
        """Put the order in any of Fusion's statuses ("Pending Supplier Acknowledgment"…)."""
        result = self._admin("POST", f"orders/{header_id}/status", {"status": status})
        return str(result["Status"])
