"""What became of each item of a run, in one vocabulary for every flow, and what that makes of
the run: its status (and from it, the command's exit code, :mod:`rpa.exit_codes`).

The words are the ones people read in results files, on the console and in ``--json``. A flow
uses the ones that apply to it: purchase orders are ``raised``, supplier changes ``applied``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from rpa.run_record import RunStatus


class ItemStatus(StrEnum):
    """An item's outcome in one run. Stored in results files and the audit trail: never rename
    a value."""

    RAISED = "raised"  # this run raised the purchase order (or finished one an earlier run began)
    APPLIED = "applied"  # this run applied the change in Oracle (or found it applied)
    DUPLICATE = "duplicate"  # done by an earlier run: its reference is reported, nothing redone
    UNCHANGED = "unchanged"  # Oracle already matches: nothing to do
    PLANNED = "planned"  # a plan or a dry run: would be done
    REJECTED = "rejected"  # bad data or an Oracle rule: a person must act
    CONFLICT = "conflict"  # the input disagrees with what exists: a person must decide
    FAILED = "failed"  # a system failure outlasted the retries: tried again by a later run
    IN_PROGRESS = "in_progress"  # another run holds the item
    NOT_STARTED = "not_started"  # the run stopped before reaching it
    # The run stopped with the item in hand for a reason that is not the item's (a refused
    # sign-in, a page unlike the UI profile): neither rejected nor failed, its claim released;
    # the next run takes it up again, searching Oracle first.
    PENDING = "pending"
    # Oracle holds the change for approval (change control: a pending change request) instead
    # of applying it. The flow's part is done: it is never submitted again, and counts like an
    # applied change for the run (an approver acts in Oracle, as for an order Pending Approval).
    AWAITING_APPROVAL = "awaiting_approval"


# How a status reads where it is not the stored value (a console table): the words people say.
SHOWN_AS: dict[ItemStatus, str] = {ItemStatus.AWAITING_APPROVAL: "awaiting approval"}


def shown(status: ItemStatus) -> str:
    """The status as a person reads it: ``awaiting approval``; the others as stored."""
    return SHOWN_AS.get(ItemStatus(status), ItemStatus(status).value)


# Outcomes after which a person, or a later run, still has something to do.
NEEDS_ATTENTION: frozenset[ItemStatus] = frozenset(
    {
        ItemStatus.REJECTED,
        ItemStatus.CONFLICT,
        ItemStatus.FAILED,
        ItemStatus.IN_PROGRESS,
        ItemStatus.NOT_STARTED,
        ItemStatus.PENDING,
    }
)

# Outcomes that leave the item to a later run of the flow, with nothing for a person to decide
# about the item itself: its input file is not finished with.
UNFINISHED: frozenset[ItemStatus] = frozenset(
    {ItemStatus.FAILED, ItemStatus.IN_PROGRESS, ItemStatus.NOT_STARTED, ItemStatus.PENDING}
)

# Outcomes of a run that stopped early: the items it left for the next run.
LEFT_BY_A_STOP: frozenset[ItemStatus] = frozenset({ItemStatus.NOT_STARTED, ItemStatus.PENDING})


def run_status_of(
    statuses: Iterable[ItemStatus],
    *,
    aborted: bool,
    refused_files: int = 0,
    configuration_error: bool = False,
) -> RunStatus:
    """One rule for every flow: ``failed`` when the set-up was wrong (nothing could be tried),
    ``aborted`` when the run stopped before its items were done, ``partial`` when an item (or a
    whole file) needs attention, else ``succeeded``."""
    if configuration_error:
        return RunStatus.FAILED
    if aborted:
        return RunStatus.ABORTED
    if refused_files or any(ItemStatus(s) in NEEDS_ATTENTION for s in statuses):
        return RunStatus.PARTIAL
    return RunStatus.SUCCEEDED


def status_counts(statuses: Iterable[ItemStatus], shown: Iterable[ItemStatus]) -> dict[str, int]:
    """How many items ended in each of the ``shown`` statuses (zeros included, in that order),
    plus any other status that occurred."""
    counts: dict[str, int] = {ItemStatus(s).value: 0 for s in shown}
    for status in statuses:
        key = ItemStatus(status).value
        counts[key] = counts.get(key, 0) + 1
    return counts


def failed_after(message: str, attempts: int) -> str:
    """A system failure as people read it: the one sentence, and how often it was tried
    (``Oracle's page did not answer within 15 s on the purchase-order page; tried 4 times``)."""
    tries = "once" if attempts == 1 else f"{attempts} times"
    return f"{message}; tried {tries}"
