"""The one exit-code map of every ``rpa`` command, so that a scheduler or a script can act on them.

| code | meaning |
|---|---|
| 0 | success |
| 1 | an unexpected error (a bug or a crash): never returned on purpose |
| 2 | usage or configuration error (a bad option or setting; no Oracle configured; ``doctor``
|   | found problems) |
| 3 | finished, but some items need a person: rejected, in conflict or failed |
| 4 | aborted or refused: stopped before finishing its items, or the flow was already running, |
|   | or the storage failed (a locked ledger, a read-only home, a full disk: rpa.storage_faults) |
|   | or the ledger is behind its digest files or anchors (rpa.audit.continuity) |
| 5 | ``audit verify`` found a problem in the trail (an edit, a gap, a missing evidence file, |
|   | a table row unlike the trail, a missing or rolled-back ledger) |
| 6 | nothing matched (``runs find``, ``runs show`` of an unknown run) |

docs/operations.md carries the same table for operators.
"""

from __future__ import annotations

from rpa.run_record import RunStatus

EXIT_OK = 0
EXIT_UNEXPECTED = 1  # Python's own code for an uncaught exception
EXIT_USAGE = 2  # usage or configuration error
EXIT_PARTIAL = 3  # some items rejected, in conflict, or failed
EXIT_ABORTED = 4  # the run aborted before finishing its items, or was refused
EXIT_AUDIT_PROBLEM = 5  # the audit trail does not verify
EXIT_NOT_FOUND = 6  # a look-up matched nothing


def exit_code_for(status: RunStatus) -> int:
    """The exit code of a flow run that ended in ``status`` (one map for every flow)."""
    return _FLOW_EXIT_CODES.get(RunStatus(status), EXIT_UNEXPECTED)


_FLOW_EXIT_CODES = {
    RunStatus.SUCCEEDED: EXIT_OK,
    RunStatus.PARTIAL: EXIT_PARTIAL,
    RunStatus.ABORTED: EXIT_ABORTED,
    # A run that could not try anything because its set-up was wrong (no browser, a setting).
    RunStatus.FAILED: EXIT_USAGE,
}
