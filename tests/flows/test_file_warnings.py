"""A request file's warnings (a column no one reads, values under no heading) are shown, not
only collected: on the console, in ``--json``, beside the results file and in the run's audit
record. A misspelt column name is told its likely meaning."""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import date
from pathlib import Path

from config.settings import OracleSettings, Settings
from flows.raise_purchase_orders.flow import RaiseOptions
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.audit.queries import run_events
from rpa.ledger import Ledger
from rpa.oracle_target import ConfiguredOracle
from rpa.trigger import detect_trigger
from tests.e2e.po_support import example_rows, rpa_command, write_requests

WARNING = (
    "orders.csv: column 'requestor' is not a purchase-request column; its values are ignored "
    "(did you mean 'requester'?)"
)


def _misspelt(tmp_path: Path, need_by: str = "2027-03-15") -> Path:
    rows = [
        {**{k: v for k, v in row.items() if k != "requester"}, "requestor": row["requester"]}
        for row in example_rows("FW", ["REQ-2026-0003"])
    ]
    rows = [{**row, "need_by_date": need_by} for row in rows]
    return write_requests(tmp_path / "orders.csv", rows)


def test_a_dry_run_shows_the_warning_on_the_console_and_in_json(tmp_path: Path) -> None:
    source = _misspelt(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "RPA_HOME": str(tmp_path / "home")}
    shown = subprocess.run(
        rpa_command("run", "raise-purchase-orders", "--input", str(source), "--dry-run"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert f"WARNING   {WARNING}" in shown.stdout
    as_json = subprocess.run(
        rpa_command("run", "raise-purchase-orders", "--input", str(source), "--dry-run", "--json"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(as_json.stdout)["warnings"] == [WARNING]


def test_a_run_keeps_the_warnings_beside_the_results_and_in_its_audit_record(
    tmp_path: Path,
) -> None:
    """Every request rejected (need-by in the past), so no Oracle is opened; the file is still
    archived with its results, and its warnings beside them."""
    source = _misspelt(tmp_path, need_by="2020-01-01")
    home = tmp_path / "home"
    # An Oracle that is never opened: nothing is left to raise after validation.
    unreachable = OracleSettings(
        base_url="http://127.0.0.1:9", username="SVC", password="never-sent-f1c2a9"
    )
    settings = Settings(home=home, oracle=unreachable)
    result, recorder = run_raise_purchase_orders(
        settings,
        RaiseOptions(input_path=source, dry_run=False, workers=1, today=date(2026, 12, 1)),
        trigger=detect_trigger(operator="pytest"),
        run_id="test-warnings",
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    assert recorder is not None
    [results] = result.results_files
    warnings_file = results.with_name("orders.csv.warnings.txt")
    assert warnings_file.read_text(encoding="utf-8") == WARNING + "\n"
    with Ledger(settings.effective_ledger_url) as ledger:
        steps = [e.payload for e in run_events(ledger.engine, "test-warnings") if e.kind == "step"]
    [recorded] = [s for s in steps if s.get("action") == "file warnings"]
    assert recorded["warnings"] == [WARNING]
