"""One attempt at an item through Oracle's pages, traced, with evidence kept when it fails: the
same for every flow.

Signing in happens first, outside the trace (a trace records typed text); the session cookies
are registered as secrets so no log or trace keeps them. When the attempt fails, a screenshot is
taken while the failure is on screen and the trace (if this attempt records one) is kept,
scrubbed of cookies and passwords; both are attached to the error as its evidence. When the
error blocks the run (a page unlike the UI profile), an ARIA snapshot of the page is kept as
well: the page's roles and names as text, what a person compares with the profile to find what
changed. The session then recovers for the next attempt: an expired session signs in again, a
crashed browser is replaced, a timeout keeps the browser (the next attempt opens its page
afresh).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

import structlog

from bots.errors import BotError, BrowserCrashedError, RunBlockingError, SessionExpiredError
from rpa.evidence_store import EvidenceStore
from rpa.redaction import register_secret

T = TypeVar("T")
P = TypeVar("P", covariant=True)
log = structlog.get_logger()


class AttemptSession(Protocol[P]):
    """What an attempt needs of a browser session (rpa.oracle_session.OracleSession): pages of
    kind ``P``, signed in, and the means to trace, capture and recover."""

    def ready_pages(self) -> P: ...

    def session_cookie_values(self) -> list[str]: ...

    def start_trace(self, attempt: int) -> None: ...

    def stop_trace(self, save_to: Path | None) -> None: ...

    def screenshot(self, path: Path) -> Path | None: ...

    def aria_snapshot(self, path: Path) -> Path | None:
        """The page's ARIA snapshot as YAML at ``path``; None when none could be taken (best
        effort, like a screenshot). Never of a page with a typed password."""
        ...

    def close_context(self) -> None: ...

    def close_browser(self) -> None: ...


def traced_attempt(
    session: AttemptSession[P],
    evidence: EvidenceStore,
    *,
    item_name: str,
    attempt: int,
    work: Callable[[P], T],
) -> T:
    """Run ``work`` on signed-in pages as attempt number ``attempt`` of item ``item_name``."""
    pages = session.ready_pages()
    for secret in session.session_cookie_values():
        register_secret(secret)
    session.start_trace(attempt)
    try:
        result = work(pages)
    except BotError as exc:
        keep_failure_evidence(session, evidence, item_name, exc)
        if isinstance(exc, SessionExpiredError):
            session.close_context()  # the next attempt signs in again, outside the trace
        elif isinstance(exc, BrowserCrashedError):
            session.close_browser()
        raise
    session.stop_trace(None)
    return result


def _failure_picture(session: AttemptSession[object], path: Path, exc: BotError) -> Path | None:
    """The screen when the cause was on it (taken by the page object before it closed Oracle's
    dialog or the list), else the screen now."""
    if exc.picture is None:
        return session.screenshot(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(exc.picture)
    except OSError:
        return session.screenshot(path)
    return path


def keep_failure_evidence(
    session: AttemptSession[object], evidence: EvidenceStore, item_name: str, exc: BotError
) -> None:
    """A screenshot of the failure and the attempt's trace, named after the item, on ``exc``;
    for a run-blocking error also the page's ARIA snapshot (``<item>-aria.yaml``).

    Sign-in is never inside an attempt, so no page here holds a typed password; the session
    refuses a snapshot of one all the same.
    """
    shot = _failure_picture(session, evidence.item_file(item_name, "failure.png"), exc)
    aria = None
    if isinstance(exc, RunBlockingError):
        aria = session.aria_snapshot(evidence.item_file(item_name, "aria.yaml"))
    trace_path = evidence.item_file(item_name, "trace.zip")
    session.stop_trace(trace_path)
    kept: list[Path] = [p for p in (shot, aria) if p is not None]
    if trace_path.is_file():
        evidence.scrub_trace(trace_path, session.session_cookie_values())
        kept.append(trace_path)
    exc.evidence = kept
    log.warning(
        "attempt failed",
        failure_class=type(exc).__name__,
        error=exc.message,
        detail=exc.detail or None,
        screen=exc.screen,
        url=exc.url,
        evidence=[str(p) for p in kept],
    )
