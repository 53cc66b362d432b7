"""What became of each change in a run: the change, its status (flows.common.outcomes.ItemStatus)
and message, and how it is listed in the ``--json`` document: the supplier is the item's
``subject``, the supplier number its ``reference``, and ``details`` hold the action, the fields as
``[old, new]`` and the file's rows::

    {"subject": "Wensum Valley Ecology Ltd", "status": "planned", "reference": "30100",
     "message": "", "file": "suppliers.csv",
     "details": {"action": "update", "fields": {"city": ["Old", "New"]}, "rows": [2]}}

A change Oracle holds for approval (``awaiting_approval``) names its change request in
``details.change_request`` (``"CR-1001"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.common.envelope import EnvelopeItem
from flows.common.outcomes import ItemStatus
from flows.sync_suppliers.plan_model import Action, Change


@dataclass(frozen=True)
class ChangeReport:
    """A change with what became of it: ``planned`` (or ``unchanged``, ``conflict``,
    ``rejected``, ``awaiting_approval``) in a plan; after an apply ``applied``,
    ``awaiting_approval`` (Oracle holds it for approval), ``failed``, ``rejected``,
    ``in_progress`` (another run holds it) or ``not_started``."""

    change: Change
    status: ItemStatus
    message: str = ""
    supplier_number: str | None = None  # read back after applying (a new supplier's number)
    change_request: str | None = None  # the change request Oracle holds it in, when it does

    @property
    def change_request_number(self) -> str | None:
        return self.change_request or self.change.change_request

    def envelope_item(self, file_name: str | None) -> EnvelopeItem:
        """The change as the ``--json`` document lists it (flows.common.envelope)."""
        change = self.change
        details: dict[str, object] = {
            "action": change.action.value,
            "fields": change.fields_json(),
            "rows": list(change.source_rows),
        }
        if self.change_request_number:
            details["change_request"] = self.change_request_number
        return EnvelopeItem(
            subject=change.supplier,
            status=self.status.value,
            reference=self.supplier_number or change.oracle_number,
            message=self.message or change.message,
            file=file_name,
            details=details,
        )


def initial_status(change: Change) -> ItemStatus:
    """The status of a change before anything is applied."""
    if change.action in (Action.CREATE, Action.UPDATE, Action.DEACTIVATE):
        return ItemStatus.PLANNED
    return ItemStatus(change.action.value)  # unchanged, conflict, rejected, awaiting_approval


def counts_of(reports: Sequence[ChangeReport]) -> dict[str, int]:
    counts = {action.value: 0 for action in Action}
    for report in reports:
        counts[report.change.action.value] += 1
    return counts
