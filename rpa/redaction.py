"""Keeping secrets out of logs, run records and anything else written for people to read.

Two rules, applied together:

1. **By key**: the value of any field whose name looks secret (password, passwd, pwd, secret,
   token, cookie, authorization, session, api_key, credential, private_key; any case, at any
   depth of nested dicts and lists) is replaced by ``***``.
2. **By value**: every value registered with :func:`register_secret` (the Oracle password, the
   session cookie, …) is replaced by ``***`` wherever it appears inside any string — a message,
   a URL, an exception's text or traceback. Its URL-encoded and escaped spellings are masked
   too, because that is how a secret typically turns up in a logged URL or ``repr``.

Redaction never changes its input: it returns new containers, because a log event's nested
values may still be in use by the code that logged them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from pydantic import SecretStr
from structlog.typing import EventDict, WrappedLogger

MASK = "***"

_SENSITIVE_KEY = re.compile(
    r"passw(?:or)?d|pwd|secret|token|cookie|authori[sz]ation|session|api[_-]?key|credential"
    r"|private[_-]?key",
    re.IGNORECASE,
)


def is_sensitive_key(key: object) -> bool:
    """True when a field with this name must never have its value written out."""
    return isinstance(key, str) and _SENSITIVE_KEY.search(key) is not None


def _spellings(value: str) -> set[str]:
    escaped = value.encode("unicode_escape").decode("ascii")
    return {value, quote(value, safe=""), quote_plus(value, safe=""), escaped} - {""}


class SecretRegistry:
    """Secret values to mask wherever they appear. Thread-safe; one per process is the norm."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str | SecretStr | None) -> None:
        """Mask ``value`` from now on. Empty and whitespace-only values are ignored."""
        plain = value.get_secret_value() if isinstance(value, SecretStr) else value
        if plain is None or not plain.strip():
            return
        with self._lock:
            self._values |= _spellings(plain)
            # Longest first, so a secret that contains another is masked whole.
            alternatives = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in alternatives))

    def clear(self) -> None:
        """Forget every registered value."""
        with self._lock:
            self._values = set()
            self._pattern = None

    def mask(self, text: str) -> str:
        """``text`` with every registered value replaced by :data:`MASK`."""
        pattern = self._pattern  # one read: a concurrent add() swaps in a whole new pattern
        return text if pattern is None else pattern.sub(MASK, text)


_registry = SecretRegistry()


def register_secret(value: str | SecretStr | None) -> None:
    """Mask this value in every log line and record from now on (e.g. a password, a cookie)."""
    _registry.add(value)


def forget_secrets() -> None:
    """Forget all registered values (between tests; a run keeps its secrets until it exits)."""
    _registry.clear()


def redact_text(text: str) -> str:
    """``text`` with every registered secret masked."""
    return _registry.mask(text)


def _describe(value: object) -> str:
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", errors="replace")
    return str(value)


def redact(value: Any) -> Any:
    """A redacted copy of ``value``: dicts and lists walked, strings masked, keys checked.

    Numbers, booleans and None pass through. Other objects become their text, masked, since
    their text is what a renderer would write.
    """
    if isinstance(value, str):
        return _registry.mask(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {
            (_registry.mask(k) if isinstance(k, str) else k): (
                # A flag such as session_expired=True reveals nothing; keep it readable.
                MASK if is_sensitive_key(k) and not isinstance(v, bool | None) else redact(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact(v) for v in value]
    return _registry.mask(_describe(value))


def redact_event_dict(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """A structlog processor applying :func:`redact` to a whole event.

    Place it after exceptions are formatted to text (``format_exc_info``), so their messages
    and tracebacks are masked too, and before the renderer.
    """
    redacted: EventDict = redact(event_dict)
    return redacted
