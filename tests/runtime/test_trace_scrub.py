"""Traces kept as evidence carry no cookie, authorization header or registered secret."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from rpa.trace_scrub import scrub_trace


def test_scrub_removes_sensitive_headers_and_secret_values(tmp_path: Path) -> None:
    """Header values of Cookie/Set-Cookie/Authorization are masked; secrets vanish everywhere."""
    trace = tmp_path / "trace.zip"
    network = {
        "type": "resource-snapshot",
        "snapshot": {
            "request": {
                "headers": [
                    {"name": "Cookie", "value": "ORA_SBX_SESSION=abc123cookie"},
                    {"name": "Accept", "value": "application/json"},
                ]
            },
            "response": {
                "headers": [{"name": "Set-Cookie", "value": "ORA_SBX_SESSION=abc123cookie"}]
            },
        },
    }
    with zipfile.ZipFile(trace, "w") as z:
        z.writestr("trace.network", json.dumps(network) + "\n")
        z.writestr("trace.trace", json.dumps({"type": "log", "message": "typed Pa55word!"}) + "\n")
        z.writestr("resources/page.html", "<p>abc123cookie</p>")
    scrub_trace(trace, ["Pa55word!", "abc123cookie"])
    with zipfile.ZipFile(trace) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
        net = json.loads(z.read("trace.network").decode().splitlines()[0])
    assert b"abc123cookie" not in everything
    assert b"Pa55word!" not in everything
    headers = net["snapshot"]["request"]["headers"]
    assert {"name": "Accept", "value": "application/json"} in headers
    assert {"name": "Cookie", "value": "***"} in headers
