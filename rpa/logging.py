"""Logging for every entry point: structlog in front, the standard library's handlers behind.

Call :func:`configure_logging` once, at the entry point (the ``rpa`` command, a scheduled run).
Then, in any module::

    log = structlog.get_logger()
    log.info("order created", po_number="1001")

Where lines go:

- the run's own file (``<logs_dir>/runs/<run_id>/events.jsonl``): one JSON object per line;
- stderr: coloured, aligned text on a terminal, the same JSON lines otherwise (so a scheduler's
  captured output stays machine-readable).

Libraries that log through the standard library (Playwright, tenacity, APScheduler, SQLAlchemy,
httpx, uvicorn — started with ``log_config=None`` so its loggers propagate) go through the same
:class:`structlog.stdlib.ProcessorFormatter`, so their lines carry the same timestamp, level and
context fields, and the same redaction (:mod:`rpa.redaction`) applies to everything written.

Context: :func:`start_unit_of_work` at the start of each unit (a run, one request) clears what a
previous unit bound on this thread — thread pools reuse threads — and binds the new values
(``run_id``, ``request_id``); every line logged afterwards carries them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import structlog
from structlog.contextvars import (
    bind_contextvars,
    bound_contextvars,
    clear_contextvars,
    merge_contextvars,
)
from structlog.typing import Processor

from rpa.redaction import redact_event_dict

__all__ = [
    "bind_contextvars",
    "bound_contextvars",
    "clear_contextvars",
    "configure_logging",
    "get_logger",
    "shutdown_logging",
    "start_unit_of_work",
]

# Libraries whose lower levels are a flood of wire detail; they stay at WARNING or above.
QUIET_LOGGERS = {"httpcore": logging.WARNING, "sqlalchemy.engine": logging.WARNING}

# Marks the handlers this module installed, so reconfiguring replaces exactly those and leaves
# any others (a test runner's capture handler) alone.
_OWNED = "_rpa_logging_handler"

_SHARED_PROCESSORS: list[Processor] = [
    merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


def _level_number(level: str | int) -> int:
    if isinstance(level, int):
        return level
    number = logging.getLevelNamesMapping().get(level.upper())
    if number is None:
        raise ValueError(f"unknown log level {level!r}")
    return number


def _formatter(renderer: Processor) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # Exceptions become text before redaction, so their messages are masked too. The
            # console then prints that text instead of a pretty traceback: secrets come first.
            structlog.processors.format_exc_info,
            redact_event_dict,
            renderer,
        ],
        # The record's own exception and stack stay unset on the copy being formatted
        # (structlog's default): the base Formatter would append them unredacted.
        keep_exc_info=False,
        keep_stack_info=False,
    )


def _own(handler: logging.Handler, renderer: Processor, level: int) -> logging.Handler:
    handler.setFormatter(_formatter(renderer))
    handler.setLevel(level)
    setattr(handler, _OWNED, True)
    return handler


# Libraries whose routine lines (each HTTP request, each job the scheduler runs) are detail for
# the log file, not news for a person at the console: only their warnings reach it. The
# scheduler's own lines ("Scheduler started", jobs added) still do: a service's console is its
# journal, and those say it is up.
CONSOLE_QUIET_LIBRARIES = ("httpx", "httpcore", "apscheduler.executors")


# Lines for the log file only, never the console: the technical detail (a traceback) behind a
# sentence the command has already told the person in its own words.
FILE_ONLY_LOGGER = "rpa.file_only"
logging.getLogger(FILE_ONLY_LOGGER).addHandler(logging.NullHandler())  # no "last resort" print


def _libraries_quiet_on_the_console(record: logging.LogRecord) -> bool:
    if record.name == FILE_ONLY_LOGGER:
        return False
    if record.levelno >= logging.WARNING:
        return True
    return not record.name.startswith(CONSOLE_QUIET_LIBRARIES)


class _RunFileHandler(logging.FileHandler):
    """The run's log file. When the disk cannot take a line (full, read-only), the line is lost
    silently: the run's next write of its own meets the same fault and says so in one sentence,
    instead of the logging module printing a traceback for every line."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def shutdown_logging() -> None:
    """Detach and close the handlers :func:`configure_logging` installed (flushing the file)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OWNED, False):
            root.removeHandler(handler)
            handler.close()


def configure_logging(
    *,
    level: str | int = "info",
    log_file: Path | None = None,
    console: bool = True,
    json_console: bool | None = None,
    stream: TextIO | None = None,
    console_level: str | int | None = None,
) -> None:
    """Route structlog and standard-library logging to ``log_file`` (JSON lines) and stderr.

    ``json_console`` None means: JSON unless the stream is a terminal. ``stream`` defaults to
    stderr. Calling again replaces the previous configuration (e.g. a new run's file).
    """
    number = _level_number(level)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,  # skip the work for lines the level drops anyway
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(ignore_frame_names=[__name__]),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: a later configure_logging (the next run in this process) must take effect
        # for loggers already created, and structlog's capture_logs() must reach them in tests.
        cache_logger_on_first_use=False,
    )
    shutdown_logging()
    root = logging.getLogger()
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = _RunFileHandler(log_file, encoding="utf-8")
        root.addHandler(_own(file_handler, structlog.processors.JSONRenderer(), number))
    if console:
        out = stream if stream is not None else sys.stderr
        on_terminal = out.isatty()
        use_json = (not on_terminal) if json_console is None else json_console
        renderer: Processor = (
            structlog.processors.JSONRenderer()
            if use_json
            # NO_COLOR (no-color.org): any value, even empty, turns colours off.
            else structlog.dev.ConsoleRenderer(colors=on_terminal and "NO_COLOR" not in os.environ)
        )
        console_number = number if console_level is None else _level_number(console_level)
        console_handler = _own(logging.StreamHandler(out), renderer, console_number)
        console_handler.addFilter(_libraries_quiet_on_the_console)
        root.addHandler(console_handler)
    root.setLevel(number)
    for name, floor in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(number, floor))


def get_logger(name: str | None = None, **initial_values: Any) -> structlog.stdlib.BoundLogger:
    """A structlog logger (typed); ``name`` defaults to the calling module's."""
    # Without a name, the logger factory names it after the module where it is first used.
    args = () if name is None else (name,)
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(*args, **initial_values)
    return logger


def start_unit_of_work(**values: Any) -> None:
    """Forget context bound by a previous unit on this thread, then bind ``values``."""
    clear_contextvars()
    bind_contextvars(**values)
