"""A planted password reaches none of a run's artifacts: records, chain, digests, logs, evidence."""

from __future__ import annotations

from pathlib import Path

import structlog

from rpa.audit.verify import verify_trail
from rpa.ledger import ItemState, Ledger
from rpa.logging import configure_logging, shutdown_logging
from rpa.redaction import register_secret
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from tests.audit.secret_scan import leaks
from tests.audit.trail_support import FLOW, SCOPE, png_bytes, trigger

PLANTED = "Planted-Pw-7f3kQ9zX!"


def test_a_registered_password_is_masked_in_every_record(
    home: Path, ledger: Ledger, logs_dir: Path
) -> None:
    """Messages, before/after values, settings and log lines carrying the password are masked."""
    register_secret(PLANTED)
    recorder = RunRecorder(ledger, logs_dir)
    settings = {"home": str(home), "oracle": {"username": "RPA.PROCUREMENT", "password": PLANTED}}
    recorder.start(
        flow=FLOW, trigger=trigger(), target_url=f"http://u:{PLANTED}@127.0.0.1", settings=settings
    )
    run_id = recorder.record.run_id
    configure_logging(level="debug", log_file=recorder.events_path, console=False)
    try:
        log = structlog.get_logger("test")
        log.info("signing in", password=PLANTED, url=f"http://127.0.0.1/?pw={PLANTED}")
        log.warning(f"Oracle said: wrong password {PLANTED}")
        ledger.register(SCOPE, "REQ-1", source_file="r.csv", content_hash="h", run_id=run_id)
        ledger.claim(SCOPE, "REQ-1", run_id=run_id, worker="w1")
        ledger.transition(
            SCOPE,
            "REQ-1",
            ItemState.REJECTED,
            run_id=run_id,
            message=f"Oracle echoed {PLANTED}",
            failure_class="BusinessRuleError",
        )
        shot = recorder.run_dir / "evidence" / "REQ-1-failure.png"
        shot.parent.mkdir(parents=True)
        shot.write_bytes(png_bytes())
        recorder.record_item(
            "REQ-1",
            "rejected",
            message=f"Oracle echoed {PLANTED}",
            failure_class="BusinessRuleError",
            evidence=[shot],
            details={
                "before": {"password": PLANTED, "note": PLANTED},
                "after": {"contact": f"x {PLANTED} y"},
            },
        )
        recorder.record_step("sign in", details={"session_cookie": "abc", "text": PLANTED})
        recorder.finish(RunStatus.PARTIAL, {"rejected": 1}, f"ended: {PLANTED}")
    finally:
        shutdown_logging()
    assert recorder.events_path.read_text().count("***") >= 3  # the log lines were written
    assert leaks(home, PLANTED) == []
    assert verify_trail(ledger.engine, logs_dir).ok
