"""One sign-in outcome per run, shared by the run's browser sessions.

A run may drive Oracle through several browser sessions (one per worker), and each session must
sign in for itself: cookies are not shared between browsers. Left alone, a wrong password would
then be typed once per session, and again for every item a session tries, and Oracle locks a
service account after a few refusals. The gate makes a refusal cost one attempt per run:

- until a sign-in of this run has succeeded, sessions sign in one at a time; the others wait
  for the outcome of the one signing in;
- once Oracle refused the account (or showed a sign-in page the bot must not type into), every
  later sign-in of the run fails at once with the same error, without touching the form;
- once a sign-in succeeded, the password is known good and sessions sign in side by side (a
  context is renewed every few dozen items, an expired session signs in again).

A system failure while signing in (a timeout, a 5xx) proves nothing either way: the next
session tries in its turn. The gate knows nothing of browsers; :class:`rpa.oracle_session.
OracleSession` passes its own sign-in to :meth:`SignInGate.sign_in`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from bots.errors import RunBlockingError


def _again(error: RunBlockingError) -> RunBlockingError:
    """A fresh exception of the same class, text and evidence as ``error`` (not the same
    object: each waiting thread raises its own, with its own traceback). Built without calling
    ``__init__``, whose signature differs between the subclasses. The evidence (the refused
    page's screenshot) is shared: whichever thread reports the stop first, it names the file."""
    copy = type(error).__new__(type(error))
    copy.__dict__.update(error.__dict__)
    copy.args = error.args
    copy.evidence = list(error.evidence)
    return copy


class SignInGate:
    """The sign-in outcome of one run (see the module's docstring). Thread-safe."""

    def __init__(self, *, refusal_evidence: Callable[[], Path] | None = None) -> None:
        """``refusal_evidence`` names the file for a screenshot of the sign-in page when a
        sign-in is refused (the session takes it, with password fields masked)."""
        self.refusal_evidence = refusal_evidence
        self._changed = threading.Condition()
        self._proven = False  # a sign-in of this run succeeded
        self._in_flight = False  # an unproven sign-in is under way; the others wait for it
        self._blocked: RunBlockingError | None = None
        self._attempts = 0

    @property
    def attempts(self) -> int:
        """Sign-ins actually tried in this run (a refusal handed on counts for nothing)."""
        with self._changed:
            return self._attempts

    @property
    def blocked(self) -> RunBlockingError | None:
        """Why no sign-in of this run can succeed, once Oracle said so."""
        with self._changed:
            return self._blocked

    def sign_in(self, attempt: Callable[[], None]) -> None:
        """Run ``attempt`` (one sign-in) unless the run's sign-in is already known to be refused.

        Raises the refusal (a copy of the first) without calling ``attempt`` when an earlier
        sign-in of the run was refused; waits while another unproven sign-in is under way.
        """
        with self._changed:
            while self._blocked is None and not self._proven and self._in_flight:
                self._changed.wait()
            if self._blocked is not None:
                raise _again(self._blocked)
            unproven = not self._proven
            self._in_flight = self._in_flight or unproven
            self._attempts += 1
        try:
            attempt()
        except RunBlockingError as exc:
            with self._changed:
                self._blocked = self._blocked or exc
                self._in_flight = False
                self._changed.notify_all()
            raise
        except BaseException:
            with self._changed:
                if unproven:
                    self._in_flight = False  # proves nothing: the next session tries
                    self._changed.notify_all()
            raise
        with self._changed:
            self._proven = True
            if unproven:
                self._in_flight = False
            self._changed.notify_all()
