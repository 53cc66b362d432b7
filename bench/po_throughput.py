"""Seconds per purchase order and POs per hour, by trace setting, worker count and latency.

For each trace setting (``browser.trace``: on_retry, the default, and always), added latency
(0 ms and 200 ms on every sandbox request) and worker count (1, 2, 4), raises a batch of
generated requests against a fresh embedded sandbox and reports, in the same run: median and
p95 seconds per PO (wall time a worker spent on it), POs per hour for the batch, and the floor —
the time the sandbox itself spent serving requests, per PO — so the bot's own overhead is
visible as a ratio. Writes a Markdown table to stdout (and --out).

    .venv/bin/python -m bench.po_throughput [--per-worker 3] [--traces on_retry,always]
        [--workers 1,2,4] [--latencies 0,200] [--out bench-po.md]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from pydantic import SecretStr

from config.settings import (
    BrowserSettings,
    OracleSettings,
    RetrySettings,
    SandboxSettings,
    Settings,
)
from flows.raise_purchase_orders.flow import RaiseOptions
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.oracle_target import ConfiguredOracle
from rpa.trigger import detect_trigger
from sandbox.process import SandboxProcess

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "purchase-requests.csv"
# One two-line description request and one item request from the example file, repeated.
TEMPLATE_IDS = ("REQ-2026-0001", "REQ-2026-0004")


def _requests_file(folder: Path, count: int, tag: str) -> Path:
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["request_id"] in TEMPLATE_IDS]
    out_rows = []
    for n in range(count):
        template_id = TEMPLATE_IDS[n % len(TEMPLATE_IDS)]
        for row in rows:
            if row["request_id"] == template_id:
                out_rows.append({**row, "request_id": f"B{tag}-{n:04d}"})
    path = folder / f"bench-{tag}.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(out_rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(
    sandbox: SandboxProcess, home: Path, workers: int, count: int, latency_ms: int, trace: str
) -> dict[str, float]:
    tag = f"{trace[:2]}{latency_ms}L{workers}W{int(time.time())}"
    source = _requests_file(home, count, tag)
    settings = Settings(
        home=home / tag,
        oracle=OracleSettings(
            base_url=sandbox.base_url,
            username=sandbox.username,
            password=SecretStr(sandbox.password),
        ),
        retry=RetrySettings(attempts=3, initial_wait_s=0.2, max_wait_s=1.0),
        browser=BrowserSettings(trace=trace),
    )
    durations: list[float] = []
    lock = threading.Lock()

    def on_outcome(outcome: ItemOutcome) -> None:
        with lock:
            if outcome.duration_s is not None:
                durations.append(outcome.duration_s)

    sandbox.set_faults(latency_ms=latency_ms)
    sandbox.server_stats(reset=True)
    started = time.monotonic()
    result, _ = run_raise_purchase_orders(
        settings,
        RaiseOptions(source, dry_run=False, workers=workers, today=date.today()),
        trigger=detect_trigger(operator="bench"),
        run_id=f"bench-{tag}",
        target=ConfiguredOracle(settings.oracle),
        on_outcome=on_outcome,
        console_logging=False,
    )
    elapsed = time.monotonic() - started
    stats = sandbox.server_stats()
    sandbox.restore_faults()
    raised = result.counts["raised"]
    if raised != count:
        raise RuntimeError(f"only {raised} of {count} raised: {result.items}")
    return {
        "median_s": statistics.median(durations),
        "p95_s": _percentile(durations, 0.95),
        "pos_per_hour": raised / elapsed * 3600,
        "floor_s": stats["server_time_s"] / raised,
        "elapsed_s": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-worker", type=int, default=3, help="POs per worker in a batch")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latencies", default="0,200")
    parser.add_argument("--traces", default="on_retry,always", help="browser.trace settings")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| trace | added latency | workers | POs | median s/PO | p95 s/PO | POs/hour "
        "| floor s/PO | median ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-po-") as tmp:
        home = Path(tmp)
        with SandboxProcess(home / "sandbox", SandboxSettings(port=0), reset=True) as sandbox:
            batches = [
                (trace, int(latency), int(workers))
                for trace in args.traces.split(",")
                for latency in args.latencies.split(",")
                for workers in args.workers.split(",")
            ]
            for trace, latency, workers in batches:
                count = workers * args.per_worker
                m = measure(sandbox, home, workers, count, latency, trace)
                lines.append(
                    f"| {trace} | {latency} ms | {workers} | {count} | {m['median_s']:.1f} | "
                    f"{m['p95_s']:.1f} | {m['pos_per_hour']:.0f} | {m['floor_s']:.2f} | "
                    f"{m['median_s'] / m['floor_s']:.1f} |"
                )
                print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
