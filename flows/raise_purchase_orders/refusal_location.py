"""Where in the request file an Oracle refusal points: the row, column and value it concerns.

Oracle's dialogs say what they refuse in their own words ("The account 1000-CC150-5100-000 isn't
a valid account combination"), and the pages do not say which field raised them. A buyer needs
the cell to fix, so the refusal is matched against the request's own values: the value Oracle
quotes names its column (and, for a line's value, every row that carries it). When Oracle
quotes none of them, the refusal is reported as Oracle worded it, with no cell.
"""

from __future__ import annotations

from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.reference_checks import ReferenceProblem

# The columns whose values Oracle quotes back: names and codes, not amounts or dates (a "24"
# or "GBP" in a message says nothing about which cell it came from).
HEADER_NAME_COLUMNS = (
    "procurement_bu",
    "requisitioning_bu",
    "supplier",
    "supplier_site",
    "supplier_contact",
    "buyer",
    "document_style",
)
LINE_NAME_COLUMNS = (
    "item",
    "category",
    "uom",
    "charge_account",
    "ship_to_location",
    "deliver_to_location",
    "requester",
)
SHORTEST_QUOTED = 4


def refused_cell(request: PurchaseRequest, said: str) -> ReferenceProblem | None:
    """The request's cell Oracle's message ``said`` quotes (the longest value it contains,
    whole), or None. The problem's reason is Oracle's message."""
    folded = said.casefold()
    found: dict[tuple[str, str], ReferenceProblem] = {}

    def consider(column: str, value: str | None, row: int) -> None:
        if value is None or len(value) < SHORTEST_QUOTED or value.casefold() not in folded:
            return
        problem = found.setdefault(
            (column, value), ReferenceProblem(column, value, f"Oracle refused it: {said}")
        )
        if row not in problem.rows:
            problem.rows.append(row)

    header_row = request.source_rows[0] if request.source_rows else 0
    for column in HEADER_NAME_COLUMNS:
        consider(column, getattr(request, column), header_row)
    for line in request.lines:
        for column in LINE_NAME_COLUMNS:
            consider(column, getattr(line, column), line.source_row)
    if not found:
        return None
    # The longest quoted value is the one meant: "NCC-DEREHAM-DEPOT" over a BU named "NCC".
    return max(found.values(), key=lambda problem: len(problem.value))
