"""``suppliers`` with ``addresses``, ``sites`` (with ``assignments``) and ``contacts``."""

from __future__ import annotations

from sandbox.rest.resource import Resource
from sandbox.rest.views import Attribute, Kind, View
from sandbox.services import supplier_children as children
from sandbox.services import suppliers
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


def suppliers_resource() -> Resource:
    assignments = Resource(
        "assignments",
        ASSIGNMENT_VIEW,
        create=lambda ctx, conn, p, body: children.add_assignment(ctx, conn, p[1], body),
        update=lambda ctx, conn, p, key, body: children.update_assignment(
            ctx, conn, p[1], key, body
        ),
    )
    return Resource(
        "suppliers",
        SUPPLIER_VIEW,
        children={
            "addresses": Resource(
                "addresses",
                ADDRESS_VIEW,
                create=lambda ctx, conn, p, body: children.add_address(ctx, conn, p[0], body),
                update=lambda ctx, conn, p, key, body: children.update_address(
                    ctx, conn, p[0], key, body
                ),
            ),
            "sites": Resource(
                "sites",
                SITE_VIEW,
                children={"assignments": assignments},
                create=lambda ctx, conn, p, body: children.add_site(ctx, conn, p[0], body),
                update=lambda ctx, conn, p, key, body: children.update_site(
                    ctx, conn, p[0], key, body
                ),
            ),
            "contacts": Resource(
                "contacts",
                CONTACT_VIEW,
                create=lambda ctx, conn, p, body: children.add_contact(ctx, conn, p[0], body),
                update=lambda ctx, conn, p, key, body: children.update_contact(
                    ctx, conn, p[0], key, body
                ),
            ),
        },
        create=lambda ctx, conn, p, body: suppliers.create_supplier(ctx, conn, body),
        update=lambda ctx, conn, p, key, body: suppliers.update_supplier(ctx, conn, key, body),
    )
