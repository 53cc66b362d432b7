"""HTTP requests written byte for byte on a TCP socket, for the tests of hostile requests.

httpx and browsers normalise a URL before sending it (``/a/%2e%2e/b`` becomes ``/b``) and always
send a ``Host`` that matches the URL; an attacker's client does neither. Here the request line
and the headers go out exactly as given, and the answer is read until the server closes.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def raw_request(
    port: int,
    target: str,
    *,
    method: str = "GET",
    host: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    address: str = "127.0.0.1",
) -> RawResponse:
    """Send ``method target HTTP/1.1`` to ``address:port`` as is; ``host`` defaults to the
    address and port (what a well-behaved client sends)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host or f'{address}:{port}'}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method not in {"GET", "HEAD"}:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection((address, port), timeout=TIMEOUT_S) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return _parse(b"".join(chunks))


def _parse(data: bytes) -> RawResponse:
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _unchunk(body)
    return RawResponse(int(status_line.split()[1]), headers, body)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)
