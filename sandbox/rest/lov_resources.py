"""List-of-values resources: the lightweight look-ups behind the pages' select fields."""

from __future__ import annotations

from sandbox.rest.resource import Resource
from sandbox.rest.views import Attribute, Kind, View


def active(alias: str) -> str:
    return f"({alias}.inactive_date IS NULL OR {alias}.inactive_date > date('now'))"


SUPPLIERS_LOV = View(
    source="suppliers s",
    attributes=(
        Attribute("SupplierId", "s.id", Kind.INT),
        Attribute("Supplier", "s.name"),
        Attribute("SupplierNumber", "s.number"),
    ),
    key="SupplierId",
    where=active("s"),
    order='"Supplier" ASC',
)

_SITE_ATTRIBUTES = (
    Attribute("SupplierSiteId", "st.id", Kind.INT),
    Attribute("SupplierSite", "st.name"),
    Attribute("SupplierId", "st.supplier_id", Kind.INT),
    Attribute("Supplier", "s.name"),
    Attribute("SitePurposePurchasingFlag", "st.purchasing", Kind.BOOL),
    Attribute("SitePurposePayFlag", "st.pay", Kind.BOOL),
)
# Without a BU in the filter: every active site, under its own procurement BU.
SUPPLIER_SITES_LOV = View(
    source="""supplier_sites st JOIN suppliers s ON s.id = st.supplier_id
        JOIN business_units bu ON bu.id = st.procurement_bu_id""",
    attributes=(
        *_SITE_ATTRIBUTES,
        Attribute("ProcurementBUId", "st.procurement_bu_id", Kind.INT),
        Attribute("ProcurementBU", "bu.name"),
    ),
    key="SupplierSiteId",
    where=f"{active('st')} AND {active('s')}",
    order='"SupplierSite" ASC',
)
# With ProcurementBUId in the filter: only the sites an order for that BU may use.
USABLE_SUPPLIER_SITES_LOV = View(
    source="""supplier_sites st JOIN suppliers s ON s.id = st.supplier_id
        JOIN site_assignments sa ON sa.site_id = st.id
        JOIN business_units bu ON bu.id = sa.client_bu_id""",
    attributes=(
        *_SITE_ATTRIBUTES,
        Attribute("ProcurementBUId", "sa.client_bu_id", Kind.INT),
        Attribute("ProcurementBU", "bu.name"),
    ),
    key="SupplierSiteId",
    where=f"st.purchasing = 1 AND {active('st')} AND {active('s')} AND {active('sa')}",
    order='"SupplierSite" ASC',
)


def _lov(
    name: str,
    source: str,
    key: str,
    *attributes: Attribute,
    where: str | None = None,
    order: str | None = None,
) -> Resource:
    return Resource(
        name, View(source=source, attributes=attributes, key=key, where=where, order=order)
    )


def lov_resources() -> list[Resource]:
    bu_attributes = (
        Attribute("BusinessUnitId", "b.id", Kind.INT),
        Attribute("BusinessUnitName", "b.name"),
        Attribute("LegalEntity", "b.legal_entity"),
        Attribute("DefaultShipToLocationId", "b.default_ship_to_location_id", Kind.INT),
        Attribute("DefaultShipToLocationCode", "dl.code"),
    )
    bu_source = "business_units b LEFT JOIN locations dl ON dl.id = b.default_ship_to_location_id"
    return [
        Resource("suppliersLOV", SUPPLIERS_LOV),
        Resource(
            "supplierSitesLOV",
            SUPPLIER_SITES_LOV,
            choose_view=lambda named: (
                USABLE_SUPPLIER_SITES_LOV if "ProcurementBUId" in named else SUPPLIER_SITES_LOV
            ),
        ),
        _lov(
            "supplierContactsLOV",
            "supplier_contacts c",
            "SupplierContactId",
            Attribute("SupplierContactId", "c.id", Kind.INT),
            Attribute("SupplierId", "c.supplier_id", Kind.INT),
            Attribute("SupplierContact", "c.last_name || ', ' || c.first_name"),
            Attribute("FirstName", "c.first_name"),
            Attribute("LastName", "c.last_name"),
            Attribute("Email", "c.email"),
            where=active("c"),
            order='"SupplierContact" ASC',
        ),
        _lov(
            "procurementBusinessUnitsLOV",
            bu_source,
            "BusinessUnitId",
            *bu_attributes,
            where="b.is_procurement = 1",
            order='"BusinessUnitName" ASC',
        ),
        _lov(
            "requisitioningBusinessUnitsLOV",
            bu_source,
            "BusinessUnitId",
            *bu_attributes,
            where="b.is_requisitioning = 1",
            order='"BusinessUnitName" ASC',
        ),
        _lov(
            "itemsV2",
            "items i JOIN categories c ON c.id = i.category_id JOIN uoms u ON u.code = i.uom_code",
            "ItemId",
            Attribute("ItemId", "i.id", Kind.INT),
            Attribute("ItemNumber", "i.number"),
            Attribute("ItemDescription", "i.description"),
            Attribute("ItemCategoryId", "i.category_id", Kind.INT),
            Attribute("ItemCategory", "c.name"),
            Attribute("PrimaryUOMCode", "i.uom_code"),
            Attribute("PrimaryUOMValue", "u.name"),
            Attribute("ListPrice", "i.list_price", Kind.NUMBER),
            order='"ItemNumber" ASC',
        ),
        _lov(
            "purchasingCategoriesLOV",
            "categories c",
            "CategoryId",
            Attribute("CategoryId", "c.id", Kind.INT),
            Attribute("CategoryName", "c.name"),
            Attribute("CategoryCode", "c.code"),
            order='"CategoryName" ASC',
        ),
        _lov(
            "unitsOfMeasureLOV",
            "uoms u",
            "UOMCode",
            Attribute("UOMCode", "u.code"),
            Attribute("UnitOfMeasure", "u.name"),
            order='"UnitOfMeasure" ASC',
        ),
        _lov(
            "locationsLOV",
            "locations l",
            "LocationId",
            Attribute("LocationId", "l.id", Kind.INT),
            Attribute("LocationCode", "l.code"),
            Attribute("LocationName", "l.name"),
            Attribute("AddressLine1", "l.line1"),
            Attribute("City", "l.city"),
            Attribute("PostalCode", "l.postal_code"),
            order='"LocationCode" ASC',
        ),
        _lov(
            "accountCombinationsLOV",
            "accounts a",
            "CodeCombinationId",
            Attribute("CodeCombinationId", "a.id", Kind.INT),
            Attribute("ConcatenatedSegments", "a.segments"),
            Attribute("Description", "a.description"),
            Attribute("EnabledFlag", "a.enabled", Kind.BOOL),
            order='"ConcatenatedSegments" ASC',
        ),
        _lov(
            "procurementPersonsLOV",
            "persons p",
            "PersonId",
            Attribute("PersonId", "p.id", Kind.INT),
            Attribute("DisplayName", "p.display_name"),
            Attribute("Email", "p.email"),
            Attribute("BuyerFlag", "p.buyer", Kind.BOOL),
            order='"DisplayName" ASC',
        ),
        _lov(
            "documentStylesLOV",
            "document_styles d",
            "DocumentStyleId",
            Attribute("DocumentStyleId", "d.id", Kind.INT),
            Attribute("DocumentStyle", "d.name"),
        ),
        _lov(
            "currenciesLOV",
            "currencies c",
            "CurrencyCode",
            Attribute("CurrencyCode", "c.code"),
            Attribute("Name", "c.name"),
        ),
    ]
