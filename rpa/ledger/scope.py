"""Which work items a flow run may see: one flow's, against one Oracle.

A request raised in the embedded sandbox or a test pod is not raised in production: the ledger
keys every item by ``(flow, target, item_key)``, where ``target`` is the stable id of the Oracle
the run drives (``rpa.oracle_target.oracle_target_id`` for a pod, ``sandbox:<data dir>`` for
the embedded sandbox). A run hands its :class:`ItemScope` to every ledger call, so it can never
read, claim or finish another target's item by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rpa.oracle_target import oracle_target_id

# The target of work recorded by the release before targets existed: it wrote "embedded
# sandbox" (or a URL) as a run's target and did not record which sandbox it used.
UNRECORDED_SANDBOX = "sandbox:unrecorded"


@dataclass(frozen=True)
class ItemScope:
    """The items of one flow against one Oracle target."""

    flow: str
    target: str

    def __post_init__(self) -> None:
        # An empty target would silently merge every unkeyed caller into one bucket: the very
        # mix-up the target exists to prevent.
        if not self.flow or not self.target:
            raise ValueError(f"an item scope needs a flow and a target, got {self!r}")

    def __str__(self) -> str:
        return f"flow {self.flow!r} on target {self.target!r}"


def recorded_target_id(target_url: str | None) -> str:
    """The target id of a run that recorded ``target_url`` as its target, in any release.

    A ``sandbox:…`` id or a pod's id (what runs record now) is returned as it is, a URL is
    reduced to its id (:func:`rpa.oracle_target.oracle_target_id`), and anything else — the
    text ``embedded sandbox`` of release 0.1, or nothing — is :data:`UNRECORDED_SANDBOX`.
    """
    value = (target_url or "").strip()
    if value.startswith("sandbox:"):
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return oracle_target_id(value)
    return UNRECORDED_SANDBOX
