"""The exact bytes every audit hash is computed over, in one place.

An auditor must be able to recompute each hash with any JSON library, so the rules are plain:
UTF-8 JSON, keys sorted, no insignificant whitespace, non-ASCII characters written as
themselves, timestamps as ISO 8601 text in UTC with microseconds
(``2026-11-29T19:30:00.123456+00:00``).
The hash of a record is the lowercase hex SHA-256 of those bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The "previous hash" of the first event and of the first digest.
GENESIS_HASH = "0" * 64

_BLOCK = 1 << 16


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text (see the module docstring)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(text: str) -> str:
    """SHA-256 of ``text`` encoded as UTF-8, lowercase hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, lowercase hex, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def utc_text(moment: datetime) -> str:
    """A timestamp as hashed: UTC, ISO 8601, always with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one chain event: its fields (``prev_hash`` included, ``hash`` excluded)."""
    return sha256_hex(canonical_json({k: v for k, v in fields.items() if k != "hash"}))


def digest_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one digest: its fields (``prev_digest_hash`` included, ``digest_hash`` not)."""
    return sha256_hex(canonical_json({k: v for k, v in fields.items() if k != "digest_hash"}))
