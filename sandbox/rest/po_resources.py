"""``purchaseOrders`` and ``draftPurchaseOrders`` with lines, schedules and distributions."""

from __future__ import annotations

from dataclasses import replace

from sandbox.rest.resource import Resource
from sandbox.rest.views import Attribute, Kind, View
from sandbox.rules.orders import STATUS_NAMES
from sandbox.services import order_lines, orders

_STATUS_CASE = (
    "CASE h.status_code "
    + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in STATUS_NAMES.items())
    + " END"
)

HEADER_VIEW = View(
    source="""po_headers h
        JOIN business_units pbu ON pbu.id = h.procurement_bu_id
        JOIN business_units rbu ON rbu.id = h.requisitioning_bu_id
        JOIN business_units bbu ON bbu.id = h.bill_to_bu_id
        JOIN suppliers sup ON sup.id = h.supplier_id
        JOIN supplier_sites ss ON ss.id = h.supplier_site_id
        LEFT JOIN supplier_contacts sc ON sc.id = h.supplier_contact_id
        LEFT JOIN persons buyer ON buyer.id = h.buyer_id
        JOIN currencies cur ON cur.code = h.currency_code
        JOIN document_styles ds ON ds.id = h.document_style_id
        LEFT JOIN locations shl ON shl.id = h.ship_to_location_id""",
    attributes=(
        Attribute("POHeaderId", "h.id", Kind.INT),
        Attribute("OrderNumber", "h.order_number"),
        Attribute("Status", _STATUS_CASE),
        Attribute("StatusCode", "h.status_code"),
        Attribute("Description", "h.description"),
        Attribute("ProcurementBU", "pbu.name"),
        Attribute("ProcurementBUId", "h.procurement_bu_id", Kind.INT),
        Attribute("RequisitioningBU", "rbu.name"),
        Attribute("RequisitioningBUId", "h.requisitioning_bu_id", Kind.INT),
        Attribute("BillToBU", "bbu.name"),
        Attribute("BillToBUId", "h.bill_to_bu_id", Kind.INT),
        Attribute("SoldToLegalEntity", "pbu.legal_entity"),
        Attribute("Supplier", "sup.name"),
        Attribute("SupplierId", "h.supplier_id", Kind.INT),
        Attribute("SupplierNumber", "sup.number"),
        Attribute("SupplierSite", "ss.name"),
        Attribute("SupplierSiteId", "h.supplier_site_id", Kind.INT),
        Attribute("SupplierContact", "sc.last_name || ', ' || sc.first_name"),
        Attribute("SupplierContactId", "h.supplier_contact_id", Kind.INT),
        Attribute("Buyer", "buyer.display_name"),
        Attribute("BuyerId", "h.buyer_id", Kind.INT),
        Attribute("BuyerEmail", "buyer.email"),
        Attribute("CurrencyCode", "h.currency_code"),
        Attribute("Currency", "cur.name"),
        Attribute("DocumentStyle", "ds.name"),
        Attribute("DocumentStyleId", "h.document_style_id", Kind.INT),
        Attribute("ShipToLocationCode", "shl.code"),
        Attribute("ShipToLocationId", "h.ship_to_location_id", Kind.INT),
        Attribute(
            "Total",
            "(SELECT ROUND(COALESCE(SUM(l.quantity * l.price), 0), 2) FROM po_lines l "
            "WHERE l.header_id = h.id)",
            Kind.NUMBER,
        ),
        Attribute("CreationDate", "h.creation_date", Kind.DATETIME),
        Attribute("LastUpdateDate", "h.last_update_date", Kind.DATETIME),
        Attribute("CreatedBy", "h.created_by"),
        Attribute("SubmittedDate", "h.submitted_date", Kind.DATETIME),
    ),
    key="POHeaderId",
)

LINE_VIEW = View(
    source="""po_lines l
        JOIN po_headers h ON h.id = l.header_id
        LEFT JOIN items i ON i.id = l.item_id
        JOIN categories c ON c.id = l.category_id
        JOIN uoms u ON u.code = l.uom_code""",
    attributes=(
        Attribute("POLineId", "l.id", Kind.INT),
        Attribute("LineNumber", "l.line_number", Kind.INT),
        Attribute("LineType", "l.line_type"),
        Attribute("ItemId", "l.item_id", Kind.INT),
        Attribute("Item", "i.number"),
        Attribute("Description", "l.description"),
        Attribute("CategoryId", "l.category_id", Kind.INT),
        Attribute("Category", "c.name"),
        Attribute("CategoryCode", "c.code"),
        Attribute("Quantity", "l.quantity", Kind.NUMBER),
        Attribute("UOMCode", "l.uom_code"),
        Attribute("UOM", "u.name"),
        Attribute("Price", "l.price", Kind.NUMBER),
        Attribute("Amount", "ROUND(l.quantity * l.price, 2)", Kind.NUMBER),
        Attribute("CurrencyCode", "h.currency_code"),
    ),
    key="POLineId",
    parent="l.header_id",
    order='"LineNumber" ASC',
)

SCHEDULE_VIEW = View(
    source="""po_schedules s
        JOIN po_lines l ON l.id = s.line_id
        LEFT JOIN locations loc ON loc.id = s.ship_to_location_id""",
    attributes=(
        Attribute("LineLocationId", "s.id", Kind.INT),
        Attribute("LineNumber", "l.line_number", Kind.INT),
        Attribute("ScheduleNumber", "s.schedule_number", Kind.INT),
        Attribute("Quantity", "s.quantity", Kind.NUMBER),
        Attribute("NeedByDate", "s.need_by_date", Kind.DATE),
        Attribute("ShipToLocationId", "s.ship_to_location_id", Kind.INT),
        Attribute("ShipToLocationCode", "loc.code"),
        Attribute("DestinationTypeCode", "s.destination_type"),
    ),
    key="LineLocationId",
    parent="s.line_id",
    order='"ScheduleNumber" ASC',
)

DISTRIBUTION_VIEW = View(
    source="""po_distributions d
        JOIN po_schedules s ON s.id = d.schedule_id
        JOIN po_lines l ON l.id = s.line_id
        LEFT JOIN accounts a ON a.id = d.account_id
        LEFT JOIN locations dl ON dl.id = d.deliver_to_location_id
        LEFT JOIN persons r ON r.id = d.requester_id""",
    attributes=(
        Attribute("PODistributionId", "d.id", Kind.INT),
        Attribute("LineNumber", "l.line_number", Kind.INT),
        Attribute("ScheduleNumber", "s.schedule_number", Kind.INT),
        Attribute("DistributionNumber", "d.distribution_number", Kind.INT),
        Attribute("Quantity", "d.quantity", Kind.NUMBER),
        Attribute("POChargeAccountId", "d.account_id", Kind.INT),
        Attribute("POChargeAccount", "a.segments"),
        Attribute("DeliverToLocationId", "d.deliver_to_location_id", Kind.INT),
        Attribute("DeliverToLocationCode", "dl.code"),
        Attribute("RequesterId", "d.requester_id", Kind.INT),
        Attribute("Requester", "r.display_name"),
    ),
    key="PODistributionId",
    parent="d.schedule_id",
    order='"DistributionNumber" ASC',
)


def _order_children() -> dict[str, Resource]:
    """lines -> schedules -> distributions; writes are refused unless the order is Incomplete."""
    distributions = Resource(
        "distributions",
        DISTRIBUTION_VIEW,
        create=lambda ctx, conn, p, body: order_lines.add_distribution(ctx, conn, p[0], p[2], body),
        update=lambda ctx, conn, p, key, body: order_lines.update_distribution(
            ctx, conn, p[0], key, body
        ),
    )
    schedules = Resource(
        "schedules",
        SCHEDULE_VIEW,
        children={"distributions": distributions},
        create=lambda ctx, conn, p, body: order_lines.add_schedule(ctx, conn, p[0], p[1], body),
        update=lambda ctx, conn, p, key, body: order_lines.update_schedule(
            ctx, conn, p[0], key, body
        ),
    )
    lines = Resource(
        "lines",
        LINE_VIEW,
        children={"schedules": schedules},
        create=lambda ctx, conn, p, body: order_lines.add_line(ctx, conn, p[0], body),
        update=lambda ctx, conn, p, key, body: order_lines.update_line(ctx, conn, p[0], key, body),
        delete=lambda ctx, conn, p, key: order_lines.delete_line(ctx, conn, p[0], key),
    )
    return {"lines": lines}


def header_view(order_number_prefix: str = "") -> View:
    """The header view; ``OrderNumber`` reads with the prefix (filters and ordering use it too).

    The prefix is the UI variant's (a tenant's numbering, e.g. "NCC1004542"), never a client's.
    """
    if not order_number_prefix:
        return HEADER_VIEW
    literal = "'" + order_number_prefix.replace("'", "''") + "'"
    attributes = tuple(
        replace(a, sql=f"({literal} || h.order_number)") if a.name == "OrderNumber" else a
        for a in HEADER_VIEW.attributes
    )
    return replace(HEADER_VIEW, attributes=attributes)


def purchase_orders(order_number_prefix: str = "") -> Resource:
    """Every order, any status; changes of status through its actions."""
    return Resource(
        "purchaseOrders",
        header_view(order_number_prefix),
        children=_order_children(),
        actions={"submit": orders.submit, "approve": orders.approve, "cancel": orders.cancel},
    )


def draft_purchase_orders(order_number_prefix: str = "") -> Resource:
    """Incomplete orders: create (with nested lines), edit, delete, check funds, submit.

    DELETE finds any order, so that deleting one that is no longer Incomplete answers Oracle's
    refusal (400) rather than 404.
    """
    every_order = header_view(order_number_prefix)
    return Resource(
        "draftPurchaseOrders",
        replace(every_order, where="h.status_code = 'INCOMPLETE'"),
        children=_order_children(),
        create=lambda ctx, conn, p, body: orders.create_draft(ctx, conn, body),
        update=lambda ctx, conn, p, key, body: orders.update_header(ctx, conn, key, body),
        delete=lambda ctx, conn, p, key: orders.delete_draft(ctx, conn, key),
        actions={"submit": orders.submit, "checkFunds": orders.check_funds},
        delete_view=every_order,
    )
