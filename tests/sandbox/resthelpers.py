"""REST clients by framework version, and reading an error's message in any version."""

from __future__ import annotations

import httpx

from sandbox.process import SandboxProcess

VERSION_HEADER = "REST-Framework-Version"
# The version the bots (rpa/oracle_rest.py) and the sandbox's pages (common/rest.js) ask for.
BOTS_VERSION = "4"


def rest_client(server: SandboxProcess, version: str | None) -> httpx.Client:
    """A client on the REST base with basic auth, asking for ``version`` (None: no header)."""
    headers = {VERSION_HEADER: version} if version is not None else {}
    return httpx.Client(
        base_url=server.rest_base,
        auth=(server.username, server.password),
        headers=headers,
        timeout=30.0,
        trust_env=False,
    )


def error_message(response: httpx.Response) -> str:
    """An error answer's message: a plain-text body (versions 1–3) or the ``detail`` of each
    ``o:errorDetails`` entry of the JSON payload (version 4)."""
    if "json" not in response.headers.get("content-type", ""):
        return response.text
    details = response.json().get("o:errorDetails", [])
    return " ".join(str(d.get("detail", "")) for d in details)
