"""Reading Oracle's suppliers through the pages, where the REST API may not be used for reads.

The Suppliers search lists every supplier with its name, number, taxpayer ID, type and status:
enough to match. Only the suppliers a file supplier matches are opened, and their Profile,
Addresses, Sites and Contacts tabs read (each address, site and contact through its "Edit"
drawer, which is then cancelled). It is slower than REST, so REST is used wherever allowed.

``UiChangeRequests`` reads a supplier's pending change request (change control) from its page:
the page object's ``pending_change_request()``, the number the page shows under "Pending change
request", or None. Until the supplier page object offers that method, it answers None (logged
once): a change Oracle holds for approval then cannot be told from one that did not land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar, runtime_checkable

import structlog

from bots.errors import BrowserCrashedError, RunBlockingError, SessionExpiredError
from bots.pages import OraclePages
from bots.supplier_models import SupplierSummary
from flows.common.traced_attempt import keep_failure_evidence
from flows.sync_suppliers import normalise
from flows.sync_suppliers.change_requests import PendingChange
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.oracle_model import (
    OracleAddress,
    OracleAssignment,
    OracleContact,
    OracleSite,
    OracleSnapshot,
    OracleSupplier,
)
from flows.sync_suppliers.worker import LazySession
from rpa.evidence_store import EvidenceStore

T = TypeVar("T")
log = structlog.get_logger()


def _summary_supplier(summary: SupplierSummary) -> OracleSupplier:
    return OracleSupplier(
        supplier_id=summary.supplier_id or "",
        name=summary.name,
        number=summary.number,
        taxpayer_id=summary.taxpayer_id,
        supplier_type=summary.supplier_type,
        status=summary.status or "ACTIVE",
        inactive_date=summary.inactive_date,
    )


class UiSupplierReader:
    """Suppliers read from the Suppliers and Supplier pages of a signed-in session."""

    source = "ui"

    def __init__(self, session: LazySession, evidence: EvidenceStore | None = None) -> None:
        """``evidence`` (an apply's) keeps a screenshot and an ARIA snapshot of a page that is
        not what the UI profile describes; a plan keeps none."""
        self.session = session
        self.evidence = evidence

    def _on_pages(self, read: Callable[[OraclePages], T]) -> T:
        """Run ``read`` on the signed-in pages; leave the session so a retry can go on.

        An expired session is closed (the retry signs in again); a crashed browser is closed
        and relaunched by the retry. A timeout keeps both.
        """
        session = self.session.get()
        try:
            pages = session.ready_pages()  # a refused sign-in keeps its own evidence
            try:
                return read(pages)
            except RunBlockingError as exc:
                if self.evidence is not None:
                    keep_failure_evidence(session, self.evidence, "supplier-read", exc)
                raise
        except SessionExpiredError:
            session.close_context()
            raise
        except BrowserCrashedError:
            session.close_browser()
            raise

    def snapshot(self) -> OracleSnapshot:
        """Every supplier, as the search results show it (no addresses, sites or contacts)."""

        summaries = self._on_pages(lambda pages: pages.suppliers().open().search(""))
        return OracleSnapshot(tuple(_summary_supplier(s) for s in summaries), self.source)

    def details(self, supplier: OracleSupplier) -> OracleSupplier:
        """The supplier with its whole profile and every address, site and contact."""
        return self._on_pages(lambda pages: self._details(pages, supplier))

    def _details(self, pages: OraclePages, supplier: OracleSupplier) -> OracleSupplier:
        page = pages.supplier().open(supplier.supplier_id)
        profile = page.read_profile()
        addresses = tuple(
            OracleAddress(
                address_id=a.address_name,
                name=a.address_name,
                country_code=normalise.country_code(a.country) if a.country else None,
                line1=a.line1,
                line2=a.line2,
                city=a.city,
                county=a.county,
                postal_code=a.postal_code,
            )
            for a in page.read_addresses()
        )
        sites = tuple(
            OracleSite(
                site_id=f"{s.procurement_bu}/{s.site}",
                name=s.site,
                procurement_bu=s.procurement_bu,
                address_name=s.address_name,
                purposes=s.purposes,
                status=s.status,
                inactive_date=s.inactive_date,
                assignments=tuple(
                    OracleAssignment(client, client, bill_to) for client, bill_to in s.assignments
                ),
            )
            for s in page.read_sites()
        )
        contacts = tuple(
            OracleContact(
                contact_id=f"{c.first_name} {c.last_name}",
                first_name=c.first_name,
                last_name=c.last_name,
                email=c.email,
                phone=c.phone,
            )
            for c in page.read_contacts()
        )
        return OracleSupplier(
            supplier_id=supplier.supplier_id,
            name=profile["supplier"] or supplier.name,
            number=profile["supplier_number"] or supplier.number,
            taxpayer_id=profile["taxpayer_id"] or None,
            tax_organization_type=profile["tax_organization_type"] or None,
            supplier_type=profile["supplier_type"] or None,
            business_relationship=profile["business_relationship"] or None,
            tax_country=profile["tax_country"] or None,
            duns_number=profile["duns_number"] or None,
            status=(profile["status"] or "Active").upper(),
            inactive_date=profile["inactive_date"] or None,
            addresses=addresses,
            sites=sites,
            contacts=contacts,
        )

    def candidates(self, source: SourceSupplier) -> list[OracleSupplier]:
        """The suppliers that could match ``source``, read fresh, with their details.

        The search field finds names and numbers but not taxpayer IDs, so the whole list is
        read and filtered by the matching keys.
        """
        taxpayer = source.taxpayer_id
        found = [
            s
            for s in self.snapshot().suppliers
            if (source.number and s.number == source.number)
            or (taxpayer and s.taxpayer_id and normalise.taxpayer_id(s.taxpayer_id) == taxpayer)
            or normalise.name_key(s.name) == source.key
        ]
        return [self.details(s) for s in found]


@runtime_checkable
class ShowsPendingChangeRequest(Protocol):
    """What the supplier page object offers to read a pending change request."""

    def pending_change_request(self) -> str | None:
        """The number of the supplier's pending change request as the page shows it
        ("Pending change request CR-1001": ``"CR-1001"``), or None when it shows none."""
        ...


class UiChangeRequests:
    """Pending change requests read from the supplier page (see the module's docstring)."""

    def __init__(self, reader: UiSupplierReader) -> None:
        self.reader = reader
        self.available = True

    def pending(self, supplier_id: str) -> PendingChange | None:
        if not self.available or not supplier_id:
            return None
        return self.reader._on_pages(lambda pages: self._read(pages, supplier_id))

    def _read(self, pages: OraclePages, supplier_id: str) -> PendingChange | None:
        page = pages.supplier().open(supplier_id)
        if not isinstance(page, ShowsPendingChangeRequest):
            self.available = False
            log.warning(
                "the supplier page object cannot read a pending change request: a change held "
                "for approval cannot be recognised"
            )
            return None
        number = page.pending_change_request()
        return PendingChange(number) if number else None
