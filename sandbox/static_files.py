"""Serving files from a folder, fast enough for a page that loads several hundred modules.

Starlette's FileResponse streams through the thread pool in chunks: right for big files, but a
JET page fetches hundreds of small ones, and those thread hops dominated page load. Small files
are read whole instead, and files that never change (the npm packages) are kept in memory.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.responses import FileResponse, PlainTextResponse, Response

SMALL_FILE_BYTES = 4 * 1024 * 1024
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


def safe_file(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it is a file inside ``root`` (no ``..`` escapes), else None."""
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


class FileServer:
    """Files under ``root`` with one Cache-Control policy; ``immutable`` files are remembered."""

    def __init__(self, root: Path, cache_control: str, *, immutable: bool) -> None:
        self.root = root.resolve()
        self.cache_control = cache_control
        self.immutable = immutable
        self._remembered: dict[str, tuple[bytes, str]] = {}

    def response(self, relative: str) -> Response:
        headers = {"Cache-Control": self.cache_control}
        remembered = self._remembered.get(relative)
        if remembered is not None:
            return Response(remembered[0], media_type=remembered[1], headers=headers)
        path = safe_file(self.root, relative)
        if path is None:
            return PlainTextResponse("Not found", status_code=404)
        if path.stat().st_size > SMALL_FILE_BYTES:
            return FileResponse(path, headers=headers)
        content = path.read_bytes()
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if self.immutable:
            self._remembered[relative] = (content, media_type)
        return Response(content, media_type=media_type, headers=headers)
