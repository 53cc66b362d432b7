"""structlog configuration and redaction: what reaches the run's log file and the console."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from pydantic import SecretStr
from structlog.testing import capture_logs

from rpa.logging import (
    bound_contextvars,
    clear_contextvars,
    configure_logging,
    get_logger,
    shutdown_logging,
    start_unit_of_work,
)
from rpa.redaction import MASK, forget_secrets, redact, redact_text, register_secret

PASSWORD = "Tr0ub4dor&3-Welcome"
COOKIE = "c2Vzc2lvbi1jb29raWUtdmFsdWU"
STDLIB_LOGGERS = ("playwright", "tenacity", "apscheduler", "sqlalchemy", "httpx", "uvicorn")


class TerminalStream(io.StringIO):
    """A text stream that says it is a terminal, as stderr does in an operator's shell."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    root_level = logging.getLogger().level
    yield
    shutdown_logging()
    forget_secrets()
    clear_contextvars()
    structlog.reset_defaults()
    logging.getLogger().setLevel(root_level)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _fail_with_secret() -> None:
    raise ConnectionError(f"sign-in refused for password={PASSWORD}")


def test_planted_secrets_appear_nowhere_in_the_log_file(tmp_path: Path) -> None:
    """Password and cookie are masked in fields, messages, stdlib lines and tracebacks alike."""
    events = tmp_path / "runs" / "R1" / "events.jsonl"
    register_secret(SecretStr(PASSWORD))
    register_secret(COOKIE)
    configure_logging(level="debug", log_file=events, console=False)
    log = get_logger()

    log.info("signing in", user="RPA.PROCUREMENT", password=PASSWORD)
    log.info("request", headers={"Authorization": "Basic cnBhOnB3", "X-Api-Key": "k-123"})
    log.info("cookies", jar=[{"name": "ORA_SBX_SESSION", "value": COOKIE}], Session_Id="s1")
    log.info("url %s", f"http://127.0.0.1/signin?pw={PASSWORD}")
    log.info("typed", text=f"the password is {PASSWORD}", error=ValueError(PASSWORD))
    for name in STDLIB_LOGGERS:
        logging.getLogger(name).warning("%s saw cookie %s", name, COOKIE)
    try:
        _fail_with_secret()
    except ConnectionError:
        log.exception("sign-in failed")
        logging.getLogger("playwright").exception("browser step failed")
    shutdown_logging()

    raw = events.read_text(encoding="utf-8")
    assert PASSWORD not in raw and COOKIE not in raw
    assert "Tr0ub4dor%263-Welcome" not in raw  # nor its URL-encoded spelling
    lines = _lines(events)
    assert len(lines) == 5 + len(STDLIB_LOGGERS) + 2
    assert lines[0]["password"] == MASK and lines[0]["user"] == "RPA.PROCUREMENT"
    assert lines[1]["headers"] == {"Authorization": MASK, "X-Api-Key": MASK}
    assert lines[2]["jar"] == [{"name": "ORA_SBX_SESSION", "value": MASK}]
    assert lines[2]["Session_Id"] == MASK
    assert lines[3]["event"] == f"url http://127.0.0.1/signin?pw={MASK}"
    assert lines[4]["error"] == f"ValueError: {MASK}"
    assert {line["logger"] for line in lines[5:11]} == set(STDLIB_LOGGERS)
    for line in lines[-2:]:
        assert "Traceback" in line["exception"] and f"password={MASK}" in line["exception"]
        assert "_fail_with_secret" in line["exception"]


def test_every_line_carries_utc_time_level_logger_and_context(tmp_path: Path) -> None:
    """structlog and stdlib lines look alike: UTC ISO time, level, logger, bound context."""
    events = tmp_path / "events.jsonl"
    configure_logging(level="info", log_file=events, console=False)
    start_unit_of_work(run_id="20261129T193000Z-ab12cd")
    with bound_contextvars(request_id="REQ-7"):
        get_logger().info("order created", po_number="1001")
        logging.getLogger("apscheduler.scheduler").info("job executed")
    get_logger().info("after the item")
    get_logger().debug("not at info level")
    logging.getLogger("httpcore.http11").warning("wire detail at warning is kept")

    lines = _lines(events)
    assert [line["event"] for line in lines] == [
        "order created",
        "job executed",
        "after the item",
        "wire detail at warning is kept",
    ]
    for line in lines:
        assert line["timestamp"].endswith("Z") and "T" in line["timestamp"]
        assert line["run_id"] == "20261129T193000Z-ab12cd"
        assert line["level"] in ("info", "warning")
    assert lines[0]["logger"] == __name__ and lines[0]["request_id"] == "REQ-7"
    assert lines[1]["logger"] == "apscheduler.scheduler" and lines[1]["request_id"] == "REQ-7"
    assert "request_id" not in lines[2]


def test_each_worker_thread_has_its_own_context(tmp_path: Path) -> None:
    """start_unit_of_work in a worker thread binds that thread's request only."""
    events = tmp_path / "events.jsonl"
    configure_logging(level="info", log_file=events, console=False)
    start_unit_of_work(run_id="R1")

    def worker(request_id: str) -> None:
        start_unit_of_work(run_id="R1", request_id=request_id, worker=request_id)
        get_logger().info("working")

    threads = [threading.Thread(target=worker, args=(f"REQ-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    get_logger().info("main thread")

    lines = _lines(events)
    assert sorted(line["request_id"] for line in lines[:3]) == ["REQ-0", "REQ-1", "REQ-2"]
    assert all(line["request_id"] == line["worker"] for line in lines[:3])
    assert "request_id" not in lines[3]


def test_console_is_json_off_a_terminal_and_text_on_one() -> None:
    """Without a TTY stderr gets JSON lines; on a TTY aligned text; both redacted."""
    register_secret(PASSWORD)
    piped, terminal = io.StringIO(), TerminalStream()

    configure_logging(level="info", console=True, stream=piped)
    get_logger().warning("retrying", password=PASSWORD, attempt=2)
    configure_logging(level="info", console=True, stream=terminal)
    get_logger().warning("retrying", password=PASSWORD, attempt=2)

    as_json = json.loads(piped.getvalue())
    assert as_json["event"] == "retrying" and as_json["password"] == MASK
    coloured = terminal.getvalue()
    text = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert coloured != text  # colours on a terminal
    assert "retrying" in text and "attempt=2" in text and "password=***" in text
    assert not text.lstrip().startswith("{")
    assert PASSWORD not in piped.getvalue() + coloured


def test_json_console_can_be_forced_on_a_terminal() -> None:
    """json_console=True gives JSON even on a terminal (for log shippers)."""
    terminal = TerminalStream()
    configure_logging(level="info", console=True, json_console=True, stream=terminal)
    get_logger().info("hello")
    assert json.loads(terminal.getvalue())["event"] == "hello"


def test_reconfiguring_replaces_only_its_own_handlers(tmp_path: Path) -> None:
    """A second configure_logging moves output to the new file and keeps foreign handlers."""
    foreign = logging.NullHandler()
    logging.getLogger().addHandler(foreign)
    try:
        configure_logging(level="info", log_file=tmp_path / "first.jsonl", console=False)
        get_logger().info("one")
        configure_logging(level="info", log_file=tmp_path / "second.jsonl", console=False)
        get_logger().info("two")
        assert foreign in logging.getLogger().handlers
    finally:
        logging.getLogger().removeHandler(foreign)

    assert [line["event"] for line in _lines(tmp_path / "first.jsonl")] == ["one"]
    assert [line["event"] for line in _lines(tmp_path / "second.jsonl")] == ["two"]


def test_capture_logs_sees_events_in_tests(tmp_path: Path) -> None:
    """structlog's capture_logs works after configure_logging (loggers are not cached)."""
    configure_logging(level="info", log_file=tmp_path / "events.jsonl", console=False)
    log = get_logger()
    with capture_logs() as captured:
        log.info("order created", po_number="1001")
    assert captured == [{"event": "order created", "po_number": "1001", "log_level": "info"}]


def test_redact_masks_sensitive_keys_at_any_depth_without_mutating() -> None:
    """Keys named like secrets are masked case-insensitively in nested data; input is untouched."""
    data = {
        "PassWord": "x",
        "passwd": "x",
        "client_secret": "x",
        "refresh_token": "x",
        "set-cookie": "x",
        "authorization": "x",
        "api_key": "x",
        "apiKey": "x",
        "session_expired": True,
        "nested": [{"db": {"Pwd": "x", "host": "db1"}}, ("tuple", {"Token": None})],
        "count": 3,
    }
    original = json.dumps(data, sort_keys=True)

    cleaned = redact(data)

    assert json.dumps(data, sort_keys=True) == original
    for key in ("PassWord", "passwd", "client_secret", "refresh_token", "set-cookie"):
        assert cleaned[key] == MASK
    assert cleaned["authorization"] == cleaned["api_key"] == cleaned["apiKey"] == MASK
    assert cleaned["session_expired"] is True and cleaned["count"] == 3
    assert cleaned["nested"] == [{"db": {"Pwd": MASK, "host": "db1"}}, ["tuple", {"Token": None}]]


def test_registered_values_are_masked_in_any_spelling() -> None:
    """A registered secret is masked raw, URL-encoded and escaped; blanks are never registered."""
    register_secret(PASSWORD)
    register_secret("")
    register_secret("   ")
    register_secret(None)
    assert redact_text(f"a {PASSWORD} b") == f"a {MASK} b"
    assert redact_text("q=Tr0ub4dor%263-Welcome") == f"q={MASK}"
    assert redact_text("nothing secret here") == "nothing secret here"
    forget_secrets()
    assert redact_text(PASSWORD) == PASSWORD


def test_library_routine_stays_in_the_file_and_off_the_console(tmp_path: Path) -> None:
    """Each HTTP request and each scheduled job is detail for the run log; the console (a
    person) gets them only as warnings; the flows' own info lines reach both."""
    events = tmp_path / "events.jsonl"
    console = io.StringIO()
    configure_logging(level="info", log_file=events, stream=console, json_console=True)
    logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/fscmRestApi/x")
    logging.getLogger("apscheduler.executors.default").info('Running job "tick"')
    logging.getLogger("httpx").warning("a library warning")
    get_logger().info("order created")
    shown = [json.loads(line)["event"] for line in console.getvalue().splitlines()]
    assert shown == ["a library warning", "order created"]
    assert [line["event"] for line in _lines(events)] == [
        "HTTP Request: GET http://127.0.0.1/fscmRestApi/x",
        'Running job "tick"',
        "a library warning",
        "order created",
    ]
