"""The one retry policy for system failures (tenacity): bounded, exponential, jittered.

Business failures are never retried. Before a step that is not safe to repeat is retried, the
caller checks whether it already happened (see the flows' resume logic).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import structlog
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from bots.errors import TransientBotError
from config.settings import RetrySettings

T = TypeVar("T")
log = structlog.get_logger()


def _log_before_sleep(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning(
        "retrying after system failure",
        attempt=state.attempt_number,
        failure_class=type(exc).__name__ if exc else None,
        error=str(exc) if exc else None,
        wait_s=round(state.next_action.sleep, 2) if state.next_action else None,
    )


def retrying(settings: RetrySettings) -> Retrying:
    return Retrying(
        stop=stop_after_attempt(settings.attempts),
        wait=wait_random_exponential(multiplier=settings.initial_wait_s, max=settings.max_wait_s),
        retry=retry_if_exception_type(TransientBotError),
        before_sleep=_log_before_sleep,
        reraise=True,
    )


def call_with_retries(settings: RetrySettings, fn: Callable[[int], T]) -> T:
    """Call ``fn(attempt_number)`` until it succeeds, fails for business reasons, or runs out."""
    for attempt in retrying(settings):
        with attempt:
            return fn(attempt.retry_state.attempt_number)
    raise AssertionError("unreachable: tenacity reraises the last error")
