"""The kinds of audit event. Stored as their value: never rename one."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What an audit event records."""

    RUN_STARTED = "run.started"  # who/what started it, code, versions, target, config, inputs
    RUN_BROWSER = "run.browser"  # the browser's version, once a worker launched it
    RUN_FINISHED = "run.finished"  # outcome, counts, end time (also for runs found dead)
    ITEM_TRANSITION = "item.transition"  # a ledger state change: registered, claimed, moved
    ITEM_RESULT = "item.result"  # what a flow did to one item: result, failure, evidence
    STEP = "step"  # any other step a flow reports (e.g. a file refused)
    PRUNED = "audit.pruned"  # evidence and debug logs deleted by the retention period
