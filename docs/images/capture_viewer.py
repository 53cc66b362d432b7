"""Take ``viewer-run.png``: the run log viewer's page of a real run with a rejected request.

Run from the repository root:  .venv/bin/python docs/images/capture_viewer.py

It raises three example requests (one with a charge account Oracle rejects) with two workers
against the embedded sandbox in a temporary home, starts ``rpa viewer`` on a free port, and
saves the run's page down to the start of its timeline. Takes a few minutes.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from config.settings import BrowserSettings  # noqa: E402
from rpa.browser import launch_chromium  # noqa: E402

OUT = Path(__file__).resolve().with_name("viewer-run.png")
WANTED = {"REQ-2026-0002", "REQ-2026-0004", "REQ-2026-0005"}


def write_requests(path: Path) -> None:
    with (REPO / "examples" / "purchase-requests.csv").open(encoding="utf-8-sig") as stream:
        rows = [r for r in csv.DictReader(stream) if r["request_id"] in WANTED]
    for row in rows:
        if row["request_id"] == "REQ-2026-0005":
            row["charge_account"] = "1000-CC150-5100-000"  # disabled for posting in the seed
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        requests = Path(folder) / "requests.csv"
        write_requests(requests)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
        env.update(RPA_HOME=str(home), PYTHONUNBUFFERED="1", USER="s.hughes")
        rpa = [sys.executable, "-m", "app"]
        subprocess.run(
            [
                *rpa,
                "run",
                "raise-purchase-orders",
                "--sandbox",
                "--input",
                str(requests),
                "--workers",
                "2",
            ],
            env=env,
            cwd=REPO,
            check=False,
            timeout=1800,
        )
        run_id = next((home / "logs" / "runs").iterdir()).name
        viewer = subprocess.Popen(
            [*rpa, "viewer", "--port", "0"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert viewer.stdout is not None
        try:
            url = viewer.stdout.readline().split(": ", 1)[1].split()[0].rstrip("/")
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, BrowserSettings())
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(f"{url}/runs/{run_id}")
                page.wait_for_load_state("networkidle")
                timeline = page.get_by_role("heading", name="Timeline").bounding_box()
                assert timeline is not None
                page.screenshot(
                    path=OUT,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": 1360, "height": timeline["y"] + 260},
                )
                browser.close()
        finally:
            viewer.send_signal(signal.SIGTERM)
            viewer.wait(timeout=30)
            viewer.stdout.close()
    print(f"saved {OUT}")


if __name__ == "__main__":
    main()
