"""Which Oracle supplier a supplier of the file is: by number, else taxpayer ID, else name.

The rules, in order (``docs/supplier-sync.md`` explains them for the people who keep the file):

1. ``supplier_number`` given: the Oracle supplier with that number. None is a conflict: Oracle
   gives numbers to new suppliers, so a number it does not know is a mistake in the file.
2. ``taxpayer_id`` given: the Oracle supplier with that taxpayer ID; several is a conflict;
   none falls through to the name.
3. The name, compared in its matching form (case, spacing, punctuation, "Ltd"/"Limited"
   ignored); several is a conflict; one whose taxpayer ID differs from the file's is a conflict;
   none means a new supplier.

A match found by one key is then checked against the others: when the file's taxpayer ID or
name belongs to a *different* Oracle supplier, there are two candidates, and that is a conflict.
Lookups use dictionaries built once, so matching n suppliers costs O(n), not O(n²).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flows.sync_suppliers import normalise
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.oracle_model import OracleSupplier

_LISTED_MAX = 3


@dataclass(frozen=True)
class Match:
    """A match (``supplier`` set), a new supplier (nothing set), or a ``conflict`` message."""

    supplier: OracleSupplier | None = None
    by: str | None = None  # supplier_number, taxpayer_id or name
    conflict: str | None = None


def describe(supplier: OracleSupplier) -> str:
    return f"{supplier.name} ({supplier.number})"


def _listed(suppliers: Iterable[OracleSupplier]) -> str:
    found = list(suppliers)
    shown = ", ".join(describe(s) for s in found[:_LISTED_MAX])
    return shown + (f" and {len(found) - _LISTED_MAX} more" if len(found) > _LISTED_MAX else "")


class SupplierIndex:
    """Oracle's suppliers indexed by number, taxpayer ID and name key."""

    def __init__(self, suppliers: Iterable[OracleSupplier]) -> None:
        self.by_number: dict[str, OracleSupplier] = {}
        self.by_taxpayer: dict[str, list[OracleSupplier]] = {}
        self.by_name: dict[str, list[OracleSupplier]] = {}
        for supplier in suppliers:
            self.by_number[supplier.number] = supplier
            if supplier.taxpayer_id:
                key = normalise.taxpayer_id(supplier.taxpayer_id)
                self.by_taxpayer.setdefault(key, []).append(supplier)
            self.by_name.setdefault(normalise.name_key(supplier.name), []).append(supplier)

    def match(self, source: SourceSupplier) -> Match:
        if source.number is not None:
            found = self.by_number.get(source.number)
            if found is None:
                return Match(
                    conflict=(
                        f"no Oracle supplier has number {source.number}; Oracle numbers new "
                        "suppliers itself, so leave supplier_number blank for a new supplier"
                    )
                )
            return self._checked(source, found, "supplier_number")
        if source.taxpayer_id is not None:
            holders = self.by_taxpayer.get(source.taxpayer_id, [])
            if len(holders) > 1:
                return Match(
                    conflict=(
                        f"taxpayer ID {source.taxpayer_id} is held by {len(holders)} Oracle "
                        f"suppliers: {_listed(holders)}"
                    )
                )
            if holders:
                return self._checked(source, holders[0], "taxpayer_id")
        named = self.by_name.get(source.key, [])
        if len(named) > 1:
            return Match(conflict=f"{len(named)} Oracle suppliers have this name: {_listed(named)}")
        if not named:
            return Match()
        found = named[0]
        theirs = normalise.taxpayer_id(found.taxpayer_id) if found.taxpayer_id else None
        if source.taxpayer_id is not None and theirs is not None and theirs != source.taxpayer_id:
            return Match(
                conflict=(
                    f"the name matches Oracle supplier {describe(found)}, whose taxpayer ID is "
                    f"{found.taxpayer_id}, not {source.taxpayer_id}"
                )
            )
        return self._checked(source, found, "name")

    def _checked(self, source: SourceSupplier, found: OracleSupplier, by: str) -> Match:
        """The match, unless the file's other keys point at another Oracle supplier."""
        if source.taxpayer_id is not None:
            others = [s for s in self.by_taxpayer.get(source.taxpayer_id, []) if s is not found]
            if others:
                return Match(
                    conflict=(
                        f"matched Oracle supplier {describe(found)} by {by}, but taxpayer ID "
                        f"{source.taxpayer_id} belongs to {_listed(others)}"
                    )
                )
        others = [s for s in self.by_name.get(source.key, []) if s is not found]
        if others:
            return Match(
                conflict=(
                    f"matched Oracle supplier {describe(found)} by {by}, but the name "
                    f"'{source.name}' belongs to {_listed(others)}"
                )
            )
        return Match(supplier=found, by=by)
