"""The run's sign-in gate, with real threads: a refused account is tried once per run, however
many sessions want to sign in; a good one is tried by one session first, then by all."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bots.errors import (
    PageTimeoutError,
    RunBlockingError,
    SignInRefusedError,
    UnsupportedSignInError,
)
from rpa.sign_in_gate import SignInGate

SESSIONS = 4


class FakeOracle:
    """Counts sign-ins and answers them with ``answers`` in turn (None: let in), recording how
    many were under way at once."""

    def __init__(self, *answers: Exception | None) -> None:
        self.answers = list(answers)
        self.lock = threading.Lock()
        self.tried = 0
        self.at_once = 0
        self.most_at_once = 0
        self.hold: threading.Event | None = None  # sign-ins wait on it when set

    def sign_in(self) -> None:
        with self.lock:
            self.tried += 1
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
            answer = self.answers.pop(0) if self.answers else None
        try:
            if self.hold is not None:
                assert self.hold.wait(10)
            if answer is not None:
                raise answer
        finally:
            with self.lock:
                self.at_once -= 1


def _until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll real state (a counter other threads move) under a deadline."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _in_threads(gate: SignInGate, sign_in: Callable[[], None]) -> list[BaseException | None]:
    """Every session signs in through ``gate`` at the same moment; what each one got."""
    barrier = threading.Barrier(SESSIONS)
    results: list[BaseException | None] = [None] * SESSIONS

    def session(n: int) -> None:
        barrier.wait()
        try:
            gate.sign_in(sign_in)
        except BaseException as exc:
            results[n] = exc

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_a_refused_account_is_tried_once_whatever_the_number_of_sessions() -> None:
    refusal = SignInRefusedError("Oracle refused the sign-in of SVC", account="SVC")
    refusal.evidence = [Path("sign-in-refused.png")]
    oracle = FakeOracle(refusal)
    gate = SignInGate()

    got = _in_threads(gate, oracle.sign_in)

    assert oracle.tried == 1 and gate.attempts == 1
    assert all(isinstance(exc, SignInRefusedError) for exc in got)
    assert {str(exc) for exc in got} == {"Oracle refused the sign-in of SVC"}
    assert sum(exc is refusal for exc in got) == 1  # the others get copies
    copies = [exc for exc in got if exc is not refusal]
    assert all(c.account == "SVC" for c in copies)  # type: ignore[union-attr]
    assert all(c.evidence == [Path("sign-in-refused.png")] for c in copies)  # type: ignore[union-attr]
    assert gate.blocked is refusal
    with pytest.raises(SignInRefusedError):  # and later in the run, still without trying
        gate.sign_in(oracle.sign_in)
    assert oracle.tried == 1


def test_a_single_sign_on_page_keeps_its_class_for_the_waiting_sessions() -> None:
    oracle = FakeOracle(UnsupportedSignInError("a single sign-on page", account="SVC"))
    got = _in_threads(SignInGate(), oracle.sign_in)
    assert oracle.tried == 1
    assert all(isinstance(exc, UnsupportedSignInError) for exc in got)


def test_the_first_sign_in_is_alone_then_the_others_go_side_by_side() -> None:
    oracle = FakeOracle()
    gate = SignInGate()

    got = _in_threads(gate, oracle.sign_in)

    assert got == [None] * SESSIONS
    assert oracle.tried == SESSIONS
    # Once proven, sign-ins no longer wait for each other.
    oracle.hold = threading.Event()
    threads = [threading.Thread(target=gate.sign_in, args=(oracle.sign_in,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    _until(lambda: oracle.at_once == 2)  # both under way at once: neither waits for the other
    oracle.hold.set()
    for thread in threads:
        thread.join(10)
    assert oracle.most_at_once == 2


def test_sessions_wait_while_the_first_sign_in_is_under_way() -> None:
    oracle = FakeOracle()
    oracle.hold = threading.Event()
    gate = SignInGate()
    first = threading.Thread(target=gate.sign_in, args=(oracle.sign_in,))
    first.start()
    _until(lambda: oracle.tried == 1)
    second = threading.Thread(target=gate.sign_in, args=(oracle.sign_in,))
    second.start()
    second.join(0.3)
    assert second.is_alive() and oracle.tried == 1  # waiting for the first's outcome
    oracle.hold.set()
    first.join(10)
    second.join(10)
    assert oracle.tried == 2 and oracle.most_at_once == 1


def test_a_system_failure_proves_nothing_and_the_next_session_tries() -> None:
    oracle = FakeOracle(PageTimeoutError("the sign-in page did not load"), None)
    gate = SignInGate()
    with pytest.raises(PageTimeoutError):
        gate.sign_in(oracle.sign_in)
    gate.sign_in(oracle.sign_in)
    assert oracle.tried == 2 and gate.blocked is None


def test_a_refusal_after_a_good_sign_in_blocks_the_rest_of_the_run() -> None:
    """The account locked or its password changed mid-run: later sign-ins are not tried."""
    oracle = FakeOracle(None, SignInRefusedError("the account is locked", account="SVC"))
    gate = SignInGate()
    gate.sign_in(oracle.sign_in)
    with pytest.raises(SignInRefusedError):
        gate.sign_in(oracle.sign_in)
    with pytest.raises(RunBlockingError, match="the account is locked"):
        gate.sign_in(oracle.sign_in)
    assert oracle.tried == 2
