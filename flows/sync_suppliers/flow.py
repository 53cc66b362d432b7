"""The sync-suppliers flow's inputs and results, and the plan it makes from a file and Oracle.

Order of work (``run.py`` carries it out):

1. read and check the supplier file, before anything touches Oracle; an unreadable file is
   refused (and kept), bad rows reject their supplier;
2. read Oracle's suppliers (REST where allowed, else the pages) and plan;
3. with ``--plan``, stop there; else apply each create, update and deactivate through the pages,
   reading each back, with the ledger making every change happen exactly once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flows.sync_suppliers.applying import SupplierReader
from flows.sync_suppliers.audit import AppliedChange
from flows.sync_suppliers.matching import SupplierIndex
from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.plan_model import Plan
from flows.sync_suppliers.planner import plan_sync
from flows.sync_suppliers.rendering import ChangeReport, counts_of
from flows.sync_suppliers.source_model import SourceSupplier
from flows.sync_suppliers.source_reader import SupplierFileResult, read_supplier_file
from rpa.exit_codes import EXIT_ABORTED, EXIT_OK, EXIT_PARTIAL
from rpa.run_record import RunStatus

# Statuses of changes that need a person (or a later run) after this run.
_NOT_DONE = frozenset({"rejected", "conflict", "failed", "in_progress", "not_started"})


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
    plan_only: bool = False
    target_url: str = ""
    browser_version: str = ""
    oracle_read_through: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.refused is not None or any(r.status in _NOT_DONE for r in self.reports)

    @property
    def run_status(self) -> RunStatus:
        if self.aborted:
            return RunStatus.ABORTED
        return RunStatus.PARTIAL if self.needs_attention else RunStatus.SUCCEEDED

    @property
    def status(self) -> str:
        """``planned`` for a plan; else the run's status."""
        if self.plan_only and not self.aborted:
            return "planned"
        return self.run_status.value

    @property
    def exit_code(self) -> int:
        if self.aborted:
            return EXIT_ABORTED
        return EXIT_PARTIAL if self.needs_attention else EXIT_OK

    @property
    def counts(self) -> dict[str, int]:
        """Changes per action, and per outcome status (``status_<name>``)."""
        counts = counts_of(self.reports)
        statuses = Counter(r.status for r in self.reports)
        counts.update({f"status_{name}": n for name, n in sorted(statuses.items())})
        counts["refused_files"] = int(self.refused is not None)
        return counts


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


def make_plan(reader: SupplierReader, read: SupplierFileResult, today: date) -> Plan:
    snapshot = planning_snapshot(reader, read.suppliers)
    return plan_sync(read.suppliers, snapshot, today=today, rejected=rejected_suppliers(read))
