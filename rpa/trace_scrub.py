"""Scrub secrets from a Playwright trace before it is kept as evidence.

A trace records the network exchanges of the traced section, request and response headers
included: the session cookie would otherwise travel with every failure's evidence. Sign-in is kept
outside traced sections, so no typed password is in the trace; this pass also removes any secret
value that reached a text entry by another route.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SENSITIVE_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
MASK = "***"
_TEXT_SUFFIXES = (".trace", ".network", ".json", ".txt", ".html", ".css", ".js")


def _scrub_headers(node: Any) -> Any:
    if isinstance(node, dict):
        if (
            isinstance(node.get("name"), str)
            and node["name"].lower() in SENSITIVE_HEADERS
            and "value" in node
        ):
            return {**node, "value": MASK}
        return {key: _scrub_headers(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_scrub_headers(item) for item in node]
    return node


def _scrub_text(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


def _scrub_json_lines(text: str) -> str:
    out = []
    for line in text.splitlines():
        try:
            out.append(json.dumps(_scrub_headers(json.loads(line)), separators=(",", ":")))
        except ValueError:
            out.append(line)
    return "\n".join(out) + "\n"


def scrub_trace(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite the trace zip in place without sensitive headers or secret values."""
    secret_list = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(_TEXT_SUFFIXES) or "/" not in info.filename:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    dst.writestr(info, data)
                    continue
                if info.filename.endswith((".trace", ".network")):
                    text = _scrub_json_lines(text)
                data = _scrub_text(text, secret_list).encode("utf-8")
            elif secret_list:
                data = _scrub_bytes(data, secret_list)
            dst.writestr(info, data)
    tmp.replace(path)


def _scrub_bytes(data: bytes, secrets: list[str]) -> bytes:
    for secret in secrets:
        data = data.replace(secret.encode("utf-8"), MASK.encode("utf-8"))
    return data
