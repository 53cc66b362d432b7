"""Evidence files of one run: confirmation screenshots, and on failure a screenshot and a trace.

Stored under ``<logs>/runs/<run_id>/evidence/``. Traces are scrubbed of cookies, authorization
headers and every registered secret before they are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rpa.trace_scrub import scrub_trace

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str) -> str:
    """``name`` (a request id, a supplier key) as evidence files are named after it."""
    return _UNSAFE.sub("_", name)


class EvidenceStore:
    def __init__(self, folder: Path, secrets: Iterable[str] = ()) -> None:
        self.folder = folder
        self._secrets = [s for s in secrets if s]

    def path(self, name: str) -> Path:
        """A path in the run's evidence folder for ``name`` (made safe as a file name)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / safe_file_name(name)

    def scrub_trace(self, trace: Path, extra_secrets: Iterable[str] = ()) -> None:
        scrub_trace(trace, [*self._secrets, *extra_secrets])
