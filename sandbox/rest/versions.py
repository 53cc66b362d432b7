"""The ``REST-Framework-Version`` request header: which behaviour of Fusion's REST a client gets.

Fusion's REST APIs run on Oracle's ADF REST framework, whose behaviour a client chooses per
request with the ``REST-Framework-Version`` header; without it the framework answers as
version 1 (Oracle: "Set the REST Framework Version"). What changes between the versions the
sandbox imitates:

- 1: ``q`` is query-by-example (``Attr=value;Attr2=value``, ``sandbox/rest/qbe.py``); expanded
  children are plain JSON arrays of items.
- 2: ``q`` is a row-match expression (``Attr='a' and Attr2 LIKE 'b%'``, ``sandbox/rest/query.py``).
- 3: expanded children are collection objects (``items``, ``count``, ``hasMore``, …).
- 4: errors are a JSON payload instead of plain text (its exact shape is inferred).

Each response names the version it was answered with in a ``REST-Framework-Version`` header.
A version the sandbox does not imitate (not a whole number from 1 to 4) answers 400.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.responses import PlainTextResponse, Response

HEADER = "REST-Framework-Version"
DEFAULT_VERSION = 1  # what Fusion uses when the header is absent
SUPPORTED_VERSIONS = (1, 2, 3, 4)
# The media type of a framework version 4 error payload [inferred].
ERROR_MEDIA_TYPE = "application/vnd.oracle.adf.error+json"
# Fusion's messages often start with their code ("POZ-2130496: You must provide …").
_MESSAGE_CODE = re.compile(r"^([A-Z][A-Z0-9]{1,5}-\d+)\b")
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
}


class UnsupportedVersionError(ValueError):
    """The request asked for a framework version the sandbox does not imitate (HTTP 400)."""


@dataclass(frozen=True)
class FrameworkVersion:
    """One request's framework version and what it means for the answer."""

    number: int

    @property
    def row_match_q(self) -> bool:
        """``q`` is a row-match expression (v2+), not query-by-example (v1)."""
        return self.number >= 2

    @property
    def child_collections(self) -> bool:
        """Expanded children are collection objects (v3+), not arrays (v1, v2)."""
        return self.number >= 3

    @property
    def json_errors(self) -> bool:
        """Errors are a JSON payload (v4+), not plain text (v1–v3)."""
        return self.number >= 4

    def headers(self) -> dict[str, str]:
        return {HEADER: str(self.number)}

    def error(self, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
        """An error answer as this version words it: plain text, or (v4) a JSON payload."""
        all_headers = {**(headers or {}), **self.headers()}
        if not self.json_errors:
            return PlainTextResponse(message, status_code=status, headers=all_headers)
        return Response(
            json.dumps(error_payload(message, status)),
            status_code=status,
            headers=all_headers,
            media_type=ERROR_MEDIA_TYPE,
        )


def error_payload(message: str, status: int) -> dict[str, object]:
    """The v4 error payload [inferred]: a problem-details object whose ``o:errorDetails`` list
    carries the message (``detail``) and, when the message starts with one, its code."""
    detail: dict[str, str] = {"detail": message}
    code = _MESSAGE_CODE.match(message)
    if code:
        detail["o:errorCode"] = code.group(1)
    return {
        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
        "title": _TITLES.get(status, "Error"),
        "status": str(status),
        "o:errorDetails": [detail],
    }


def requested_version(header: str | None) -> FrameworkVersion:
    """The version a request asked for (``header`` is its ``REST-Framework-Version``, or None)."""
    if header is None or not header.strip():
        return FrameworkVersion(DEFAULT_VERSION)
    text = header.strip()
    if not text.isdigit() or int(text) not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise UnsupportedVersionError(
            f"The REST framework version {text} isn't supported. "
            f"Use one of these versions: {supported}."
        )
    return FrameworkVersion(int(text))
