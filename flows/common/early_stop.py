"""Stopping a run before its items are done, for the reasons every flow shares besides a signal.

1. **A run-blocking error** (:class:`bots.errors.RunBlockingError`): Oracle refused the service
   account, or a page is not what the UI profile describes. No item can succeed until a person
   acts, and trying more items only repeats the failure (a refused password tried again brings
   the account's lock-out nearer), so the run stops at once. The item in hand is neither
   rejected (it is not at fault) nor failed (the next run must not count it against the item):
   the flow releases its claim and reports it ``pending``.
2. **The failed-items breaker**: ``retry.abort_after_failed_items`` items in a row ending
   ``failed`` (a system failure that outlasted its retries) mean Oracle is down or misbehaving;
   spending every remaining item's retries on it helps nobody. A success or a rejection shows
   Oracle answering, and resets the count.

Either way the run then behaves as if stopped by a signal: its workers take no other item, and
the run closes ``aborted`` (exit 4) when it left items undone. Its message is one sentence for an
operator (:meth:`EarlyStop.message`): what happened, what became of the items, what to do. The
technical detail (error class, screen, URL, profile entry, evidence files) goes to the run's log.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import structlog

from bots.errors import (
    RunBlockingError,
    SignInRefusedError,
    StructuralMismatchError,
    UnsupportedSignInError,
)
from flows.common.outcomes import ItemStatus

log = structlog.get_logger()

# Outcomes that show Oracle answering: the breaker's count starts again.
_RESETS_THE_BREAKER = frozenset(
    {ItemStatus.RAISED, ItemStatus.APPLIED, ItemStatus.UNCHANGED, ItemStatus.REJECTED}
)


@dataclass(frozen=True)
class BreakerTrip:
    """The failed-items breaker stopped the run: how many failed in a row, the last one's why."""

    in_a_row: int
    last_reason: str


StopCause = RunBlockingError | BreakerTrip


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _clause(text: str) -> str:
    """``text`` to sit inside a sentence: one line, no full stop of its own."""
    return " ".join(text.split()).rstrip(".")


def progress_phrase(*, done: int, left: int, verb: str, noun: str) -> str:
    """What the run did and left: "nothing was raised and the 3 requests left stay pending for
    the next run", "2 were raised and the 1 request left stays pending for the next run"."""
    did = f"nothing was {verb}" if done == 0 else f"{done} {'was' if done == 1 else 'were'} {verb}"
    stays = "stays" if left == 1 else "stay"
    return f"{did} and the {_plural(left, noun)} left {stays} pending for the next run"


def _what_happened(cause: StopCause, noun: str) -> str:
    if isinstance(cause, BreakerTrip):
        return (
            f"{_plural(cause.in_a_row, noun)} in a row failed after their retries, "
            f"the last with: {_clause(cause.last_reason)}"
        )
    text = _clause(cause.message)
    if isinstance(cause, SignInRefusedError) and cause.account and cause.account not in text:
        text = f"Oracle refused the sign-in of {cause.account}: {text}"
    return text


def _what_to_do(cause: StopCause) -> str:
    if isinstance(cause, BreakerTrip):
        return "Check that Oracle is up and answering (rpa doctor), then run again."
    if isinstance(cause, StructuralMismatchError):
        return "Check the UI profile (rpa doctor --probe-ui), then run again."
    if isinstance(cause, UnsupportedSignInError):
        return (
            "The service account needs a plain sign-in, without single sign-on or a second "
            "factor (rpa doctor checks it); then run again."
        )
    if isinstance(cause, SignInRefusedError):
        return (
            "Fix the service account (its password, lock or expiry; rpa doctor checks the "
            "sign-in), then run again."
        )
    return "A person must act first (the run's log has the detail), then run again."


def stop_message(cause: StopCause, *, progress: str, noun: str = "item") -> str:
    """The operator's sentence for a run stopped by ``cause``: "Stopped: <what happened>;
    <progress>. <what to do>" (``progress`` from :func:`progress_phrase`)."""
    return f"Stopped: {_what_happened(cause, noun)}; {progress}. {_what_to_do(cause)}"


class EarlyStop:
    """Why a run is stopping early, shared by its workers (thread-safe; the first cause wins).

    Setting a cause sets ``stop``, the event the workers check between items: the same one a
    signal sets, so a run stops the same way whoever asked.
    """

    def __init__(self, stop: threading.Event, *, failed_items_limit: int) -> None:
        self.stop = stop
        self.failed_items_limit = failed_items_limit
        self._lock = threading.Lock()
        self._cause: StopCause | None = None
        self._failed_in_a_row = 0

    @property
    def cause(self) -> StopCause | None:
        with self._lock:
            return self._cause

    def blocked(self, error: RunBlockingError, *, item: str | None = None) -> None:
        """A run-blocking error: stop the run (``item`` is the one in hand, if any)."""
        with self._lock:
            first = self._cause is None
            if first:
                self._cause = error
        if first:
            log.error(
                "run stopped: a person must act",
                failure_class=type(error).__name__,
                error=error.message,
                item=item,
                screen=error.screen or None,
                url=error.url or None,
                profile_key=getattr(error, "profile_key", None),
                expected=getattr(error, "expected", None),
                found=getattr(error, "found", None),
                account=getattr(error, "account", None),
                evidence=[str(p) for p in error.evidence],
            )
        self.stop.set()

    def item_ended(self, status: ItemStatus, reason: str = "") -> None:
        """Count an item's outcome after its attempts: ``failed`` adds one to the breaker's
        count, a success or a rejection resets it; other outcomes (an item another run holds,
        one found done already) say nothing about Oracle and leave it as it is."""
        status = ItemStatus(status)
        tripped: BreakerTrip | None = None
        with self._lock:
            if status in _RESETS_THE_BREAKER:
                self._failed_in_a_row = 0
            elif status is ItemStatus.FAILED:
                self._failed_in_a_row += 1
                if self._failed_in_a_row >= self.failed_items_limit and self._cause is None:
                    tripped = self._cause = BreakerTrip(self._failed_in_a_row, reason)
        if tripped is not None:
            log.error(
                "run stopped: the failed-items breaker tripped",
                failed_in_a_row=tripped.in_a_row,
                limit=self.failed_items_limit,
                last_error=reason,
            )
            self.stop.set()

    def message(self, *, done: int, left: int, verb: str, noun: str) -> str | None:
        """The operator's sentence, or None when nothing stopped the run early."""
        cause = self.cause
        if cause is None:
            return None
        progress = progress_phrase(done=done, left=left, verb=verb, noun=noun)
        return stop_message(cause, progress=progress, noun=noun)
