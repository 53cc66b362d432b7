"""Helpers for the raise-purchase-orders end-to-end tests: request files and REST checks."""

from __future__ import annotations

import csv
import io
import sys
import threading
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from config.settings import Settings
from flows.raise_purchase_orders.flow import FlowResult, RaiseOptions
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.oracle_target import ConfiguredOracle
from rpa.trigger import detect_trigger

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "purchase-requests.csv"
# Row-match q and children as collections: framework version 4, as rpa/oracle_rest.py asks.
REST_HEADERS = {"REST-Framework-Version": "4"}
# Fusion's expand=all stops at the lines: the nested children are named.
ORDER_EXPAND = "lines,lines.schedules,lines.schedules.distributions"


def unique_tag() -> str:
    return uuid.uuid4().hex[:6].upper()


def example_rows(
    tag: str, request_ids: list[str] | None = None, *, one_line: bool = False
) -> list[dict[str, str]]:
    """The example file's rows with unique request ids (``REQ-2026-0001`` → ``T<tag>-0001``).

    ``one_line`` keeps each request's first line only: where a test is about something other
    than lines, each line it does not key through the pages saves some fifteen seconds.
    """
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row["request_id"] = row["request_id"].replace("REQ-2026-", f"T{tag}-")
    if request_ids is not None:
        wanted = {r.replace("REQ-2026-", f"T{tag}-") for r in request_ids}
        rows = [r for r in rows if r["request_id"] in wanted]
    if one_line:
        firsts: dict[str, dict[str, str]] = {}
        for row in rows:
            firsts.setdefault(row["request_id"], row)
        rows = list(firsts.values())
    return rows


def write_requests(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def rpa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", *args]


def orders_for(rest: httpx.Client, request_id: str) -> list[dict[str, Any]]:
    """Every order (any status) whose description carries the request id, with its lines,
    schedules and distributions expanded, read as the bots read (REST framework version 4)."""
    response = rest.get(
        "/purchaseOrders",
        params={
            "q": f"Description LIKE '[{request_id}]%'",
            "expand": ORDER_EXPAND,
            "onlyData": "true",
            "limit": "50",
        },
        headers=REST_HEADERS,
    )
    response.raise_for_status()
    items: list[dict[str, Any]] = response.json()["items"]
    return [o for o in items if str(o["Description"]).startswith(f"[{request_id}] ")]


def decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def run_flow_on_inbox(settings: Settings) -> FlowResult:
    """A plain run, as the schedule starts it: the inbox (and what the ledger holds)."""
    return run_flow(settings, None)


def run_flow(settings: Settings, input_path: Path | None, workers: int = 1) -> FlowResult:
    """The flow in this process against the Oracle ``settings`` name (the test's sandbox)."""
    options = RaiseOptions(
        input_path=input_path, dry_run=False, workers=workers, today=date.today()
    )
    result, _recorder = run_raise_purchase_orders(
        settings,
        options,
        trigger=detect_trigger(operator="pytest"),
        run_id=f"test-{unique_tag()}",
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result
