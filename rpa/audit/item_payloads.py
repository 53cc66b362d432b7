"""Reading the payloads of ``item.result`` and ``item.transition`` records, of every release.

Chain records are never rewritten, so a reader meets both shapes:

- written since the ledger speaks neutrally: ``reference`` (what Oracle gave back) and, for
  ``item.result``, ``details`` (the flow's extras: action, before and after values, ...);
- written by earlier releases: ``po_number`` or ``supplier_id`` instead of ``reference``, and
  ``action``, ``before``, ``after`` at the top level of ``item.result``.

Everything that shows an item's record reads it through these functions, so old and new
records read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Top-level keys of item.result records written before ``details`` existed.
LEGACY_DETAIL_KEYS = ("action", "supplier_id", "before", "after")


def payload_reference(payload: Mapping[str, Any]) -> str | None:
    """What Oracle gave back for the item: order number, supplier number or id, or None."""
    for key in ("reference", "po_number", "supplier_id"):
        value = payload.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def payload_details(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The flow's extras about the item (empty when there are none)."""
    found = payload.get("details")
    details: dict[str, Any] = (
        {str(k): v for k, v in found.items()} if isinstance(found, Mapping) else {}
    )
    for key in LEGACY_DETAIL_KEYS:
        if payload.get(key) is not None:
            details.setdefault(key, payload[key])
    return details


def mapping_or_none(value: Any) -> dict[str, Any] | None:
    """``value`` as a dict when it is a mapping (a before/after record), else None."""
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else None
