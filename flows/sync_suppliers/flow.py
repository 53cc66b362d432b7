"""The sync-suppliers flow's inputs and results, and the plan it makes from a file and Oracle.

Order of work (``run.py`` carries it out):

1. read and check the supplier file, before anything touches Oracle; an unreadable file is
   refused (and kept), bad rows reject their supplier;
2. read Oracle's suppliers (REST where allowed, else the pages) and plan; a supplier with a
   pending change request (change control) is in flight: nothing is planned for it;
3. with ``--plan``, stop there; else apply each create, update and deactivate through the pages,
   reading each back, with the ledger making every change happen exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flows.common.outcomes import ItemStatus, run_status_of, status_counts
from flows.sync_suppliers.audit import AppliedChange
from flows.sync_suppliers.change_requests import ChangeRequestLookup, mark_in_flight
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.input_reader import SupplierFileResult, read_supplier_file
from flows.sync_suppliers.matching import SupplierIndex
from flows.sync_suppliers.oracle_actions import SupplierReader
from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.outcomes import ChangeReport, counts_of
from flows.sync_suppliers.plan_model import Plan
from flows.sync_suppliers.planner import plan_sync
from rpa.exit_codes import exit_code_for
from rpa.run_record import RunStatus

# The outcomes this flow reports, in the order its counts show them.
OUTCOMES = (
    ItemStatus.PLANNED,
    ItemStatus.APPLIED,
    ItemStatus.AWAITING_APPROVAL,
    ItemStatus.UNCHANGED,
    ItemStatus.CONFLICT,
    ItemStatus.REJECTED,
    ItemStatus.FAILED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.NOT_STARTED,
)


@dataclass(frozen=True)
class SyncOptions:
    input_path: Path
    plan_only: bool
    today: date  # the inactive date a deactivation sets (UTC, as Oracle's status is computed)


@dataclass
class SyncResult:
    """Everything a run learnt and did, for the summary, the JSON and the run record."""

    file: Path
    sha256: str = ""
    refused: str | None = None
    warnings: list[str] = field(default_factory=list)
    reports: list[ChangeReport] = field(default_factory=list)
    applied: list[AppliedChange] = field(default_factory=list)
    aborted: str | None = None
    configuration_error: str | None = None  # why the run could not try anything
    plan_only: bool = False
    browser_version: str = ""
    oracle_read_through: str = ""

    @property
    def run_status(self) -> RunStatus:
        """The shared rule (flows.common.outcomes.run_status_of)."""
        return run_status_of(
            (r.status for r in self.reports),
            aborted=bool(self.aborted),
            refused_files=int(self.refused is not None),
            configuration_error=bool(self.configuration_error),
        )

    @property
    def status(self) -> str:
        """``planned`` for a plan; else the run's status."""
        if self.plan_only and not (self.aborted or self.configuration_error):
            return "planned"
        return self.run_status.value

    @property
    def exit_code(self) -> int:
        """The shared map (rpa.exit_codes) over the run's status; a plan as a run would end."""
        return exit_code_for(self.run_status)

    @property
    def counts(self) -> dict[str, int]:
        """Changes per outcome status, and whether the file was refused."""
        counts = status_counts((r.status for r in self.reports), OUTCOMES)
        counts["refused_files"] = int(self.refused is not None)
        return counts

    @property
    def actions(self) -> dict[str, int]:
        """Changes per planned action (create, update, deactivate, unchanged, ...)."""
        return counts_of(self.reports)


def read_source(options: SyncOptions, result: SyncResult) -> SupplierFileResult:
    """Read and check the file, recording its hash, warnings and refusal in ``result``."""
    read = read_supplier_file(options.input_path)
    result.sha256 = read.sha256
    result.warnings = list(read.warnings)
    if read.file_error is not None:
        result.refused = read.file_error.message
    return read


def rejected_suppliers(read: SupplierFileResult) -> list[tuple[str, str]]:
    """(supplier, message) for each supplier the file's bad rows reject."""
    return [
        (name, "; ".join(r.message for r in rejections))
        for name, rejections in read.rejected_suppliers().items()
    ]


def planning_snapshot(reader: SupplierReader, sources: list[SourceSupplier]) -> OracleSnapshot:
    """Oracle's suppliers, with full detail for those the file's suppliers match.

    A UI reader lists every supplier cheaply but opens a supplier's page only when needed; a
    REST snapshot is complete already (``details`` returns it as it is).
    """
    snapshot = reader.snapshot()
    index = SupplierIndex(snapshot.suppliers)
    wanted = {m.supplier.supplier_id for s in sources if (m := index.match(s)).supplier}
    return OracleSnapshot(
        tuple(reader.details(s) if s.supplier_id in wanted else s for s in snapshot.suppliers),
        snapshot.source,
    )


def make_plan(
    reader: SupplierReader,
    read: SupplierFileResult,
    today: date,
    change_requests: ChangeRequestLookup | None = None,
) -> Plan:
    """The plan for the file against Oracle as ``reader`` reads it now. A supplier that Oracle
    holds a pending change request for is in flight (``change_requests``): its change is
    ``awaiting_approval``, with nothing to apply."""
    snapshot = planning_snapshot(reader, read.suppliers)
    plan = plan_sync(read.suppliers, snapshot, today=today, rejected=rejected_suppliers(read))
    return plan if change_requests is None else mark_in_flight(plan, change_requests)
