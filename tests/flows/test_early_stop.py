"""What stops a run early, and the one sentence an operator reads about it."""

from __future__ import annotations

import threading

from bots.errors import (
    RunBlockingError,
    SignInRefusedError,
    StructuralMismatchError,
    UnsupportedSignInError,
)
from flows.common.early_stop import BreakerTrip, EarlyStop, progress_phrase, stop_message
from flows.common.outcomes import ItemStatus


def _stop(limit: int = 3) -> EarlyStop:
    return EarlyStop(threading.Event(), failed_items_limit=limit)


def test_a_mismatch_names_the_profile_entry_and_the_check() -> None:
    mismatch = StructuralMismatchError(
        "po.header.procurement_bu", "Procurement BU", "'Procurement Business Unit'"
    )
    early = _stop()
    early.blocked(mismatch, item="REQ-1")
    assert early.stop.is_set()
    assert early.message(done=0, left=3, verb="raised", noun="request") == (
        "Stopped: the page does not match the UI profile: po.header.procurement_bu expects "
        "'Procurement BU'; the page shows 'Procurement Business Unit'; nothing was raised and "
        "the 3 requests left stay pending for the next run. Check the UI profile "
        "(rpa doctor --probe-ui), then run again."
    )


def test_a_refused_sign_in_names_the_account_and_the_page_s_message() -> None:
    refused = SignInRefusedError(
        "Oracle refused the sign-in of RPA.PROCUREMENT: incorrect user name or password",
        account="RPA.PROCUREMENT",
    )
    assert stop_message(
        refused, progress=progress_phrase(done=0, left=5, verb="raised", noun="request")
    ) == (
        "Stopped: Oracle refused the sign-in of RPA.PROCUREMENT: incorrect user name or "
        "password; nothing was raised and the 5 requests left stay pending for the next run. "
        "Fix the service account (its password, lock or expiry; rpa doctor checks the "
        "sign-in), then run again."
    )
    # A page's message that does not name the account gets it added.
    locked = SignInRefusedError("Your account is locked.", account="RPA.PROCUREMENT")
    assert stop_message(locked, progress="p").startswith(
        "Stopped: Oracle refused the sign-in of RPA.PROCUREMENT: Your account is locked; p."
    )


def test_a_single_sign_on_page_says_what_the_account_needs() -> None:
    sso = UnsupportedSignInError(
        "Oracle showed a single sign-on page for SVC", account="SVC", screen="signin"
    )
    assert stop_message(sso, progress="p") == (
        "Stopped: Oracle showed a single sign-on page for SVC; p. The service account needs a "
        "plain sign-in, without single sign-on or a second factor (rpa doctor checks it); then "
        "run again."
    )


def test_any_other_run_blocking_error_asks_for_a_person() -> None:
    assert stop_message(RunBlockingError("HTTP 403"), progress="p") == (
        "Stopped: HTTP 403; p. A person must act first (the run's log has the detail), then "
        "run again."
    )


def test_the_breaker_counts_failures_in_a_row_and_says_the_last_reason() -> None:
    early = _stop(limit=3)
    for status in (ItemStatus.FAILED, ItemStatus.FAILED, ItemStatus.APPLIED):
        early.item_ended(status, "timeout")
    assert early.cause is None  # a success reset the count
    early.item_ended(ItemStatus.FAILED, "first")
    early.item_ended(ItemStatus.DUPLICATE)  # says nothing about Oracle: no reset
    early.item_ended(ItemStatus.IN_PROGRESS)
    early.item_ended(ItemStatus.FAILED, "second")
    assert early.cause is None and not early.stop.is_set()
    early.item_ended(ItemStatus.FAILED, "Oracle answered HTTP 503.")
    assert early.cause == BreakerTrip(3, "Oracle answered HTTP 503.")
    assert early.stop.is_set()
    assert early.message(done=1, left=1, verb="applied", noun="change") == (
        "Stopped: 3 changes in a row failed after their retries, the last with: Oracle "
        "answered HTTP 503; 1 was applied and the 1 change left stays pending for the next "
        "run. Check that Oracle is up and answering (rpa doctor), then run again."
    )


def test_a_rejection_resets_the_breaker_too() -> None:
    early = _stop(limit=2)
    early.item_ended(ItemStatus.FAILED, "x")
    early.item_ended(ItemStatus.REJECTED)
    early.item_ended(ItemStatus.FAILED, "x")
    assert early.cause is None


def test_the_first_cause_wins() -> None:
    early = _stop(limit=1)
    refused = SignInRefusedError("refused", account="SVC")
    early.blocked(refused)
    early.item_ended(ItemStatus.FAILED, "later")
    early.blocked(StructuralMismatchError("k", "v"))
    assert early.cause is refused


def test_nothing_stopped_the_run_means_no_message() -> None:
    assert _stop().message(done=2, left=0, verb="raised", noun="request") is None
