"""``suppliers`` with ``addresses``, ``sites`` (with ``assignments``), ``contacts`` and
``changeRequests`` (with ``changes``).

Every write to an existing supplier goes through ``supplier_change_control.submit``: applied at
once, or, under change control (a page's save with ``supplier_change_control`` on), held as a
pending change request. ``changeRequests`` is read-only: requests are made by the pages' saves
and decided through the admin endpoint.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.rest.resource import CreateFn, Parents, Resource, UpdateFn
from sandbox.rest.views import Attribute, Kind, View
from sandbox.services import supplier_change_control as control
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext
from sandbox.services.supplier_children import COUNTRIES


def status_sql(alias: str) -> str:
    """ACTIVE until the inactive date, INACTIVE from that day on (UTC)."""
    return (
        f"CASE WHEN {alias}.inactive_date IS NOT NULL AND {alias}.inactive_date <= date('now') "
        "THEN 'INACTIVE' ELSE 'ACTIVE' END"
    )


_COUNTRY_CASE = (
    "CASE a.country_code "
    + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in COUNTRIES.items())
    + " END"
)

SUPPLIER_VIEW = View(
    source="suppliers s",
    attributes=(
        Attribute("SupplierId", "s.id", Kind.INT),
        Attribute("SupplierPartyId", "s.party_id", Kind.INT),
        Attribute("Supplier", "s.name"),
        Attribute("SupplierNumber", "s.number"),
        Attribute("AlternateName", "s.alternate_name"),
        Attribute("TaxOrganizationType", "s.tax_organization_type"),
        Attribute("SupplierType", "s.supplier_type"),
        Attribute("BusinessRelationship", "s.business_relationship"),
        Attribute("TaxpayerCountry", "s.taxpayer_country"),
        Attribute("TaxpayerId", "s.taxpayer_id"),
        Attribute("DUNSNumber", "s.duns"),
        Attribute("Status", status_sql("s")),
        Attribute("InactiveDate", "s.inactive_date", Kind.DATE),
        Attribute("CreationDate", "s.creation_date", Kind.DATETIME),
        Attribute("LastUpdateDate", "s.last_update_date", Kind.DATETIME),
    ),
    key="SupplierId",
)

ADDRESS_VIEW = View(
    source="supplier_addresses a",
    attributes=(
        Attribute("SupplierAddressId", "a.id", Kind.INT),
        Attribute("AddressName", "a.name"),
        Attribute("CountryCode", "a.country_code"),
        Attribute("Country", _COUNTRY_CASE),
        Attribute("AddressLine1", "a.line1"),
        Attribute("AddressLine2", "a.line2"),
        Attribute("City", "a.city"),
        Attribute("County", "a.county"),
        Attribute("PostalCode", "a.postal_code"),
        Attribute("AddressPurposeOrderingFlag", "a.ordering", Kind.BOOL),
        Attribute("AddressPurposeRemitToFlag", "a.remit_to", Kind.BOOL),
        Attribute("AddressPurposeRFQOrBiddingFlag", "a.rfq", Kind.BOOL),
        Attribute("Status", status_sql("a")),
        Attribute("InactiveDate", "a.inactive_date", Kind.DATE),
    ),
    key="SupplierAddressId",
    parent="a.supplier_id",
)

SITE_VIEW = View(
    source="""supplier_sites st
        JOIN business_units bu ON bu.id = st.procurement_bu_id
        LEFT JOIN supplier_addresses ad ON ad.id = st.address_id""",
    attributes=(
        Attribute("SupplierSiteId", "st.id", Kind.INT),
        Attribute("SupplierSite", "st.name"),
        Attribute("SupplierId", "st.supplier_id", Kind.INT),
        Attribute("ProcurementBUId", "st.procurement_bu_id", Kind.INT),
        Attribute("ProcurementBU", "bu.name"),
        Attribute("SupplierAddressId", "st.address_id", Kind.INT),
        Attribute("SupplierAddressName", "ad.name"),
        Attribute("SitePurposeSourcingOnlyFlag", "st.sourcing_only", Kind.BOOL),
        Attribute("SitePurposePurchasingFlag", "st.purchasing", Kind.BOOL),
        Attribute("SitePurposeProcurementCardFlag", "st.procurement_card", Kind.BOOL),
        Attribute("SitePurposePayFlag", "st.pay", Kind.BOOL),
        Attribute("SitePurposePrimaryPayFlag", "st.primary_pay", Kind.BOOL),
        Attribute("Status", status_sql("st")),
        Attribute("InactiveDate", "st.inactive_date", Kind.DATE),
    ),
    key="SupplierSiteId",
    parent="st.supplier_id",
)

ASSIGNMENT_VIEW = View(
    source="""site_assignments sa
        JOIN business_units cbu ON cbu.id = sa.client_bu_id
        JOIN business_units bbu ON bbu.id = sa.bill_to_bu_id""",
    attributes=(
        Attribute("AssignmentId", "sa.id", Kind.INT),
        Attribute("ClientBUId", "sa.client_bu_id", Kind.INT),
        Attribute("ClientBU", "cbu.name"),
        Attribute("BillToBUId", "sa.bill_to_bu_id", Kind.INT),
        Attribute("BillToBU", "bbu.name"),
        Attribute("Status", status_sql("sa")),
        Attribute("InactiveDate", "sa.inactive_date", Kind.DATE),
    ),
    key="AssignmentId",
    parent="sa.site_id",
)

CONTACT_VIEW = View(
    source="supplier_contacts c",
    attributes=(
        Attribute("SupplierContactId", "c.id", Kind.INT),
        Attribute("FirstName", "c.first_name"),
        Attribute("LastName", "c.last_name"),
        Attribute("Email", "c.email"),
        Attribute("PhoneNumber", "c.phone"),
        Attribute("AdministrativeContactFlag", "c.administrative", Kind.BOOL),
        Attribute("Status", status_sql("c")),
        Attribute("InactiveDate", "c.inactive_date", Kind.DATE),
    ),
    key="SupplierContactId",
    parent="c.supplier_id",
)


CHANGE_REQUEST_VIEW = View(
    source="supplier_change_requests cr",
    attributes=(
        Attribute("ChangeRequestId", "cr.id", Kind.INT),
        Attribute("ChangeRequestNumber", "cr.number"),
        Attribute("SupplierId", "cr.supplier_id", Kind.INT),
        Attribute("Status", "cr.status"),
        Attribute("RequestedBy", "cr.requested_by"),
        Attribute("RequestDate", "cr.requested_at", Kind.DATETIME),
        Attribute("LastUpdateDate", "cr.last_update_date", Kind.DATETIME),
        Attribute("DecidedBy", "cr.decided_by"),
        Attribute("DecisionDate", "cr.decided_at", Kind.DATETIME),
        Attribute("DecisionNote", "cr.decision_note"),
    ),
    key="ChangeRequestId",
    parent="cr.supplier_id",
)

CHANGE_VIEW = View(
    source="supplier_change_request_lines l",
    attributes=(
        Attribute("ChangeId", "l.id", Kind.INT),
        Attribute("LineNumber", "l.line_number", Kind.INT),
        Attribute("ObjectType", "l.object_type"),
        Attribute("ObjectName", "l.object_name"),
        Attribute("Attribute", "l.attribute"),
        Attribute("OldValue", "l.old_value"),
        Attribute("NewValue", "l.new_value"),
    ),
    key="ChangeId",
    parent="l.request_id",
    order="l.line_number",
)


def _edit(operation: str, depth: int) -> tuple[CreateFn, UpdateFn]:
    """The create and update of a child ``depth`` levels under a supplier, through change
    control (``parents`` holds the supplier's key first)."""

    def create(ctx: ServiceContext, conn: sqlite3.Connection, p: Parents, body: Body) -> Any:
        return control.submit(ctx, conn, f"add_{operation}", tuple(p[:depth]), body)

    def update(
        ctx: ServiceContext, conn: sqlite3.Connection, p: Parents, key: Any, body: Body
    ) -> None:
        control.submit(ctx, conn, f"update_{operation}", (*p[:depth], key), body)

    return create, update


def suppliers_resource() -> Resource:
    add_assignment, update_assignment = _edit("assignment", 2)
    add_address, update_address = _edit("address", 1)
    add_site, update_site = _edit("site", 1)
    add_contact, update_contact = _edit("contact", 1)
    change_requests = Resource(
        "changeRequests",
        CHANGE_REQUEST_VIEW,
        children={"changes": Resource("changes", CHANGE_VIEW)},
    )
    return Resource(
        "suppliers",
        SUPPLIER_VIEW,
        children={
            "addresses": Resource(
                "addresses", ADDRESS_VIEW, create=add_address, update=update_address
            ),
            "sites": Resource(
                "sites",
                SITE_VIEW,
                children={
                    "assignments": Resource(
                        "assignments",
                        ASSIGNMENT_VIEW,
                        create=add_assignment,
                        update=update_assignment,
                    )
                },
                create=add_site,
                update=update_site,
            ),
            "contacts": Resource(
                "contacts", CONTACT_VIEW, create=add_contact, update=update_contact
            ),
            "changeRequests": change_requests,
        },
        create=lambda ctx, conn, p, body: control.create_supplier(ctx, conn, body),
        update=_update_supplier,
    )


def _update_supplier(
    ctx: ServiceContext, conn: sqlite3.Connection, p: Parents, key: Any, body: Body
) -> None:
    control.submit(ctx, conn, "update_supplier", (key,), body)
