"""The real command against the embedded sandbox: the trail verifies, and no secret leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audit.secret_scan import leaks
from tests.e2e.po_support import example_rows, write_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PLANTED = "Planted-Sbx-Pw-4q8Zr2!"
USERNAME = "RPA.PROCUREMENT"


def _rpa(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(
        {
            "RPA_HOME": str(home),
            "PYTHONPATH": str(REPO),
            # The embedded sandbox's service account: the flow signs in with it, so it must never
            # be written anywhere.
            "RPA_SANDBOX__PASSWORD": PLANTED,
            "RPA_RETRY__INITIAL_WAIT_S": "0.2",
            "RPA_RETRY__MAX_WAIT_S": "1",
            # Every attempt records a trace, so the trace's scrubbing is checked too.
            "RPA_BROWSER__TRACE": "always",
            # Oracle's refusal must happen in the pages (with a screenshot and a trace to
            # scrub), not in the checks before browser work.
            "RPA_REFERENCE_CHECKS__ENABLED": "false",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(900)  # two browser sessions and a sandbox: minutes on a busy machine
def test_a_real_run_verifies_and_leaks_no_password_or_cookie(tmp_path: Path) -> None:
    """rpa run (2 workers, one order raised, one rejected by Oracle) → verify passes, no leaks."""
    home = tmp_path / "home"
    home.mkdir()
    rows = example_rows("E2E", ["REQ-2026-0004", "REQ-2026-0005"], one_line=True)
    for row in rows:
        if row["request_id"].endswith("-0005"):
            row["charge_account"] = "1000-CC150-5100-000"  # disabled in the seed: Oracle rejects
    source = write_requests(tmp_path / "requests.csv", rows)

    done = _rpa(
        home,
        "run",
        "raise-purchase-orders",
        "--sandbox",
        "--input",
        str(source),
        "--workers",
        "2",
        "--json",
        timeout=840,
    )
    assert done.returncode == 3, done.stderr[-3000:]
    result = json.loads(done.stdout)
    run_id = result["run_id"]
    assert result["counts"]["raised"] == 1 and result["counts"]["rejected"] == 1

    verified = _rpa(home, "audit", "verify", "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = json.loads(verified.stdout)
    assert report["ok"] and report["sealed_runs"] == [run_id]
    evidence = home / "logs" / "runs" / run_id / "evidence"
    names = sorted(p.name for p in evidence.iterdir())
    assert "TE2E-0004-confirmation.png" in names
    assert {"TE2E-0005-failure.png", "TE2E-0005-trace.zip"} <= set(names)
    assert report["evidence_checked"] >= len(names)

    shown = _rpa(home, "runs", "show", run_id, "--json")
    assert shown.returncode == 0, shown.stderr
    items = {i["subject"]: i for i in json.loads(shown.stdout)["items"]}
    assert items["TE2E-0004"]["status"] == "raised" and items["TE2E-0004"]["reference"]
    assert items["TE2E-0004"]["target"].startswith("sandbox:")  # the embedded sandbox's id
    assert items["TE2E-0005"]["status"] == "rejected"
    assert "1000-CC150-5100-000" in (items["TE2E-0005"]["message"] or "")

    assert leaks(home, PLANTED, USERNAME) == []
