"""Read-only look-ups through Oracle's REST API. Writes always go through the pages.

Used to find an order again by the request id written into its description, and by tests and
support tools to check what Oracle holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from bots.errors import RunBlockingError, ServerError, SignInRefusedError, TransientBotError
from config.settings import RetrySettings
from rpa.oracle_target import OracleTarget
from rpa.retry import call_with_retries

# One REST read is tried this often before a 5xx or a lost connection counts as a failure.
GET_RETRIES = RetrySettings(attempts=3, initial_wait_s=0.25, max_wait_s=2.0)


@dataclass(frozen=True)
class FoundOrder:
    header_id: str
    order_number: str
    status: str
    description: str
    line_count: int
    # The order as Oracle's REST API returned it (header and lines), kept as evidence.
    document: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _found(item: dict[str, Any]) -> FoundOrder:
    return FoundOrder(
        header_id=str(item["POHeaderId"]),
        order_number=str(item["OrderNumber"]),
        status=str(item["Status"]),
        description=str(item.get("Description") or ""),
        line_count=len(_children(item.get("lines"))),
        document=item,
    )


class RestGetter(Protocol):
    """What a reader of Oracle's REST resources needs of :class:`OracleRestReader`: a GET that
    sends ``REST-Framework-Version: 4`` with every request (``q`` as a row-match expression,
    children as collection objects). A status Oracle answers with (400, 404) is raised as
    ``httpx.HTTPStatusError``."""

    def get(self, path: str, **params: Any) -> dict[str, Any]: ...


def quote(value: str) -> str:
    """Quote a literal for a REST Framework v2 ``q`` expression."""
    return "'" + value.replace("'", "''") + "'"


def _children(value: Any) -> list[Any]:
    """An expanded child collection: Oracle nests it as ``{"items": [...], "count": n}``."""
    if isinstance(value, dict):
        return list(value.get("items") or [])
    return list(value or [])


class OracleRestReader:
    """A small client for the REST reads the flows need."""

    def __init__(self, target: OracleTarget, *, timeout_s: float = 30.0) -> None:
        self.target = target
        self._client = httpx.Client(
            base_url=target.rest_base,
            auth=(target.username, target.password.get_secret_value()),
            timeout=timeout_s,
            headers={"REST-Framework-Version": "4"},
        )

    def close(self) -> None:
        self._client.close()

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        """GET a resource. A read is safe to repeat, so a 5xx or a lost connection is tried
        again here (briefly) before the caller sees a system failure."""
        return call_with_retries(GET_RETRIES, lambda _attempt: self._get_once(path, params))

    def _get_once(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise TransientBotError(f"REST look-up failed: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ServerError(f"REST look-up answered HTTP {response.status_code}")
        self._check_access(response)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def _check_access(self, response: httpx.Response) -> None:
        """A refused service account stops the run: no read can succeed until a person acts,
        and asking again with a wrong password only brings Oracle's lock-out nearer."""
        account = self.target.username
        where = str(response.request.url.copy_with(query=None))
        if response.status_code == 401:
            raise SignInRefusedError(
                f"Oracle's REST API refused the sign-in of {account} (HTTP 401 Unauthorized)",
                account=account,
                screen="rest",
                url=where,
            )
        if response.status_code == 403:
            raise RunBlockingError(
                f"Oracle's REST API refused {account} access to "
                f"{response.request.url.path} (HTTP 403 Forbidden): the service account lacks "
                "a role it needs",
                screen="rest",
                url=where,
            )

    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]:
        """Every order (any status but Canceled) whose description starts with ``prefix``."""
        like = prefix.replace("%", "") + "%"  # "_" matches itself too; exact prefix checked below
        body = self.get(
            "/purchaseOrders",
            q=f"Description LIKE {quote(like)}",
            expand="lines",
            onlyData="true",
            limit="50",
        )
        return [
            _found(item)
            for item in body.get("items", [])
            if item.get("Status") != "Canceled"
            and str(item.get("Description", "")).startswith(prefix)
        ]

    def find_order_by_number(self, order_number: str) -> FoundOrder | None:
        """The order with this number (any status but Canceled), or None.

        The second key of the exactly-once look-up: the ledger records an order's number the
        moment the page shows it, before the description carrying the request id is typed, so
        an order whose description never got written is still found.
        """
        body = self.get(
            "/purchaseOrders",
            q=f"OrderNumber = {quote(order_number)}",
            expand="lines",
            onlyData="true",
            limit="2",
        )
        found = [
            _found(item)
            for item in body.get("items", [])
            if item.get("Status") != "Canceled" and str(item.get("OrderNumber")) == order_number
        ]
        return found[0] if found else None
