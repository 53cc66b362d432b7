"""Evidence files of one run: confirmation screenshots, and on failure a screenshot and a trace.

Stored under ``<logs>/runs/<run_id>/evidence/``. Traces are scrubbed of cookies, authorization
headers and every registered secret before they are kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from rpa.trace_scrub import scrub_trace

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Marks a name that had to be changed; never part of a name that needed no change, so a changed
# name can never equal an unchanged one.
_CHANGED_MARK = "~"


def safe_file_name(name: str) -> str:
    """``name`` made safe as a file name, characters outside ``A-Za-z0-9._-`` replaced by ``_``."""
    return _UNSAFE.sub("_", name)


def safe_item_name(item: str) -> str:
    """An item's name (a request id, a supplier key) as its evidence files start, unique per item.

    A name that is safe already is kept as it is (``REQ-2026-0042``). Any other gets the first
    characters of its SHA-256 after the sanitised form, so ``COL/1`` and ``COL_1`` never share
    a file: ``COL_1~d8958a89`` and ``COL_1``.
    """
    safe = safe_file_name(item)
    if safe == item:
        return item
    digest = hashlib.sha256(item.encode("utf-8")).hexdigest()[:8]
    return f"{safe}{_CHANGED_MARK}{digest}"


class EvidenceStore:
    def __init__(self, folder: Path, secrets: Iterable[str] = ()) -> None:
        self.folder = folder
        self._secrets = [s for s in secrets if s]

    def item_file(self, item: str, kind: str) -> Path:
        """The path of one of an item's evidence files: ``<item>-<kind>``, e.g.
        ``REQ-2026-0042-failure.png`` (the item's part by :func:`safe_item_name`)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{safe_item_name(item)}-{safe_file_name(kind)}"

    def scrub_trace(self, trace: Path, extra_secrets: Iterable[str] = ()) -> None:
        scrub_trace(trace, [*self._secrets, *extra_secrets])
