"""Applying one planned change through Oracle's pages, exactly once, and checking it landed.

Every attempt starts from Oracle, not from the plan: it re-reads the suppliers that could match
(``reader.candidates``), matches and diffs again, and types only what is still different. So a
retry after a failure, or a rerun after a crash, never creates a supplier, address, site or
contact twice. After the steps, the supplier is read back and diffed once more: the change has
landed when nothing differs any longer; otherwise the attempt failed and is retried.

Change control (``change_requests``): when the read-back does not show the change but Oracle
holds a pending change request for the supplier, the change is awaiting approval, not failed:
the attempt ends there and is never retried (a retry would submit it again). The same when a
step fails after the pages have already made a change request (the rest of the change cannot be
submitted while it is pending), and when the supplier already has a pending request before
anything is typed (nothing is typed then: nothing is added to a request in flight).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import structlog

from bots.errors import (
    BrowserCrashedError,
    BusinessRuleError,
    SessionExpiredError,
    TransientBotError,
)
from bots.pages import SupplierEditor, SupplierPages
from flows.sync_suppliers.change_requests import (
    ChangeRequestLookup,
    NoChangeRequests,
    PendingChange,
)
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.matching import SupplierIndex
from flows.sync_suppliers.oracle_model import OracleSnapshot, OracleSupplier
from flows.sync_suppliers.plan_model import (
    Action,
    Change,
    CreateAddress,
    CreateContact,
    CreateSite,
    CreateSupplier,
    EditAddress,
    EditContact,
    EditProfile,
    EditSite,
    Step,
)
from flows.sync_suppliers.planner import diff_supplier

log = structlog.get_logger()


class SupplierReader(Protocol):
    """Where Oracle's suppliers are read from: the REST API, or the pages themselves."""

    source: str

    def snapshot(self) -> OracleSnapshot:
        """Every supplier; enough to match (children may be left out)."""
        ...

    def details(self, supplier: OracleSupplier) -> OracleSupplier:
        """The supplier with its whole profile and every address, site and contact."""
        ...

    def candidates(self, source: SourceSupplier) -> list[OracleSupplier]:
        """Freshly read, with details: every supplier that could match ``source``."""
        ...


class VerificationError(TransientBotError):
    """A read-back after applying still shows differences: the attempt did not fully land."""


@dataclass(frozen=True)
class Fresh:
    """What Oracle holds for one file supplier now, and what still has to change."""

    supplier: OracleSupplier | None
    change: Change


def reread(reader: SupplierReader, source: SourceSupplier, today: date) -> Fresh:
    """Match ``source`` against a fresh read of its candidates and diff it again.

    A conflict or an unappliable file supplier found now is a business failure: a person acts.
    """
    match = SupplierIndex(reader.candidates(source)).match(source)
    if match.conflict is not None:
        raise BusinessRuleError(f"conflict found when re-reading Oracle: {match.conflict}")
    change = diff_supplier(source, match.supplier, today=today, by=match.by)
    if change.action is Action.REJECTED:
        raise BusinessRuleError(change.message)
    return Fresh(match.supplier, change)


class StepRunner:
    """Carries out a change's steps on a signed-in page, one Oracle page action per step."""

    def __init__(self, pages: SupplierPages) -> None:
        self.pages = pages

    def run(
        self, steps: tuple[Step, ...], supplier_id: str | None, on_created: Callable[[str], None]
    ) -> None:
        """``on_created(number)`` is called as soon as a new supplier record exists."""
        supplier: SupplierEditor | None = None
        for step in steps:
            if isinstance(step, CreateSupplier):
                supplier = self.pages.suppliers().open().create_supplier(step.profile)
                on_created(supplier.supplier_number())
                log.info(
                    "supplier created",
                    supplier=step.profile.supplier,
                    supplier_id=supplier.supplier_id,
                )
                continue
            if supplier is None:
                if supplier_id is None:
                    raise BusinessRuleError("no Oracle supplier to change")
                supplier = self.pages.supplier().open(supplier_id)
            self._one(supplier, step)

    def _one(self, supplier: SupplierEditor, step: Step) -> None:
        if isinstance(step, EditProfile):
            supplier.edit_profile(step.profile)
        elif isinstance(step, CreateAddress):
            supplier.create_address(step.address)
        elif isinstance(step, EditAddress):
            supplier.edit_address(step.current_name, step.address)
        elif isinstance(step, CreateSite):
            supplier.create_site(step.site)
        elif isinstance(step, EditSite):
            supplier.edit_site(step.current_name, step.site)
        elif isinstance(step, CreateContact):
            supplier.create_contact(step.contact)
        elif isinstance(step, EditContact):
            supplier.edit_contact(step.current_name, step.contact)
        log.info("step applied", step=type(step).__name__)


@dataclass(frozen=True)
class AttemptResult:
    before: OracleSupplier | None  # Oracle when this attempt started
    # Read back once nothing differed any more; awaiting approval: as Oracle still shows it.
    after: OracleSupplier
    applied: Change  # what this attempt found still to do (unchanged: nothing)
    # Oracle holds the change for approval in this pending change request (change control).
    awaiting: PendingChange | None = None
    note: str = ""  # awaiting approval: what could not be submitted with it, and why


def attempt_change(
    pages: SupplierPages,
    reader: SupplierReader,
    source: SourceSupplier,
    today: date,
    on_created: Callable[[str], None],
    on_reread: Callable[[OracleSupplier | None], None] = lambda _supplier: None,
    change_requests: ChangeRequestLookup | None = None,
    on_typing: Callable[[], None] = lambda: None,
) -> AttemptResult:
    """One attempt: re-read (``on_reread`` sees what Oracle held), apply what still differs
    (``on_typing`` is called first), read back and check. ``change_requests`` tells a change
    Oracle holds for approval from one that did not land (see the module's docstring)."""
    lookup = change_requests or NoChangeRequests()
    fresh = reread(reader, source, today)
    on_reread(fresh.supplier)
    supplier_id = fresh.supplier.supplier_id if fresh.supplier else None
    if fresh.change.steps:
        held = lookup.pending(supplier_id) if supplier_id else None
        if held is not None:  # in flight already: nothing is added to it
            assert fresh.supplier is not None
            return AttemptResult(fresh.supplier, fresh.supplier, fresh.change, held)
        on_typing()
        try:
            StepRunner(pages).run(fresh.change.steps, supplier_id, on_created)
        except (BusinessRuleError, TransientBotError) as exc:
            if isinstance(exc, SessionExpiredError | BrowserCrashedError):
                raise  # the session recovers first; the retry then finds the request pending
            held = _pending_after(lookup, reader, source, today, supplier_id)
            if held is None:
                raise
            after = reread(reader, source, today).supplier or fresh.supplier
            assert after is not None  # a pending request belongs to a supplier that exists
            note = (
                f"not all of it was submitted ({exc.message}); what remains is planned again "
                "once the request is approved or rejected"
            )
            return AttemptResult(fresh.supplier, after, fresh.change, held, note)
    check = reread(reader, source, today)
    if check.supplier is None or check.change.action is not Action.UNCHANGED:
        held = lookup.pending(check.supplier.supplier_id) if check.supplier else None
        if held is not None:
            assert check.supplier is not None
            return AttemptResult(fresh.supplier, check.supplier, fresh.change, held)
        left = ", ".join(f.name for f in check.change.fields) or "the supplier itself"
        raise VerificationError(f"read back from Oracle, still different: {left}")
    return AttemptResult(fresh.supplier, check.supplier, fresh.change)


def _pending_after(
    lookup: ChangeRequestLookup,
    reader: SupplierReader,
    source: SourceSupplier,
    today: date,
    supplier_id: str | None,
) -> PendingChange | None:
    """After a step failed: the supplier's pending change request, if the steps made one."""
    if supplier_id is None:  # a supplier created in this attempt: find it by reading again
        found = reread(reader, source, today).supplier
        supplier_id = found.supplier_id if found else None
    return lookup.pending(supplier_id) if supplier_id else None
