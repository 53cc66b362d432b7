"""Finding an order again through the pages, where the REST API may not be used for reads
(``oracle.rest_reads = false``).

The Purchase Orders work area's search shows each order's number, description and status:
what the exactly-once look-up and the read-back after Submit need. Oracle's search is
"contains" and ignores case, so the rows are compared here exactly, as the REST look-up does.
It is slower than REST (a page visit per look-up), so REST is used wherever allowed.
"""

from __future__ import annotations

from typing import Any

from bots.models import OrderSummary
from bots.pages import OrderListPage
from rpa.oracle_rest import FoundOrder

CANCELED = "Canceled"


def _found(summary: OrderSummary) -> FoundOrder:
    document: dict[str, Any] = {
        "POHeaderId": summary.header_id,
        "OrderNumber": summary.order_number,
        "Description": summary.description,
        "Status": summary.status,
        # Kept as evidence: say where it was read, since REST would have said more.
        "ReadFrom": "the Purchase Orders work area's search results",
    }
    return FoundOrder(
        header_id=summary.header_id,
        order_number=summary.order_number,
        status=summary.status,
        description=summary.description,
        line_count=0,  # the results do not show it; the order's page is read when resuming
        document=document,
    )


class UiOrderFinder:
    """The order look-ups of :class:`flows.raise_purchase_orders.oracle_actions.OrderFinder`,
    through the work area of one signed-in page."""

    def __init__(self, orders: OrderListPage) -> None:
        self.orders = orders

    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]:
        """Every order (any status but Canceled) whose description starts with ``prefix``."""
        found = self.orders.open().search(description=prefix)
        return [
            _found(s) for s in found if s.status != CANCELED and s.description.startswith(prefix)
        ]

    def find_order_by_number(self, order_number: str) -> FoundOrder | None:
        """The order with this number (any status but Canceled), or None."""
        found = self.orders.open().search(order_number=order_number)
        exact = [
            _found(s) for s in found if s.status != CANCELED and s.order_number == order_number
        ]
        return exact[0] if exact else None
