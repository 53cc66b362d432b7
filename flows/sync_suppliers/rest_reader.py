"""Reading Oracle's suppliers through the REST API (``suppliers`` with every child expanded).

Used where ``settings.oracle.rest_reads`` allows it; writes never go through REST. The whole
collection is paged (at most 500 items a page, Oracle's limit). Before acting on one supplier,
``candidates`` re-reads only the suppliers that could match it: by number, by taxpayer ID, and
by the two longest words of its name (then the full matching rules apply, locally).

The children are named in ``expand`` (``addresses,sites,sites.assignments,contacts``): Fusion's
``expand=all`` expands the first level only, so it would return every site without its
assignments. The reads are written for REST framework version 4, which
``rpa.oracle_rest.OracleRestReader`` asks for on every request (``REST-Framework-Version: 4``):
``q`` as a row-match expression (version 1, Fusion's default without the header, takes only
query-by-example) and children as collection objects (arrays before version 3; both are read).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.oracle_model import OracleSnapshot, OracleSupplier, supplier_from_rest
from rpa.oracle_rest import RestGetter, quote

PAGE_SIZE = 500  # Oracle's REST maximum
SUPPLIERS = "/suppliers"
# Every child the planner compares; a nested child is named Child.NestedChild.
EXPAND = "addresses,sites,sites.assignments,contacts"
# The REST framework version these reads are written for (OracleRestReader sends it).
FRAMEWORK_VERSION = "4"


class RestSupplierReader:
    """Suppliers with their addresses, sites (and assignments) and contacts, through REST."""

    source = "rest"

    def __init__(self, rest: RestGetter, *, page_size: int = PAGE_SIZE) -> None:
        self.rest = rest
        self.page_size = page_size

    def _pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            body = self.rest.get(path, limit=str(self.page_size), offset=str(offset), **params)
            items = list(body.get("items", []))
            yield from items
            if not body.get("hasMore") or not items:
                return
            offset += len(items)

    def _complete(self, item: dict[str, Any]) -> dict[str, Any]:
        """Fetch the rest of any expanded child collection that did not fit in one page."""
        path = f"{SUPPLIERS}/{item['SupplierId']}/child"
        for name in ("addresses", "sites", "contacts"):
            child = item.get(name)
            if isinstance(child, Mapping) and child.get("hasMore"):
                params = {"expand": "assignments"} if name == "sites" else {}
                item[name] = list(self._pages(f"{path}/{name}", onlyData="true", **params))
        for site in _as_list(item.get("sites")):
            assignments = site.get("assignments")
            if isinstance(assignments, Mapping) and assignments.get("hasMore"):
                site_path = f"{path}/sites/{site['SupplierSiteId']}/child/assignments"
                site["assignments"] = list(self._pages(site_path, onlyData="true"))
        return item

    def _suppliers(self, q: str | None = None) -> list[OracleSupplier]:
        params: dict[str, Any] = {"expand": EXPAND, "onlyData": "true", "orderBy": "SupplierId:asc"}
        if q is not None:
            params["q"] = q
        return [supplier_from_rest(self._complete(i)) for i in self._pages(SUPPLIERS, **params)]

    def snapshot(self) -> OracleSnapshot:
        """Every supplier, with every child."""
        return OracleSnapshot(tuple(self._suppliers()), self.source)

    def details(self, supplier: OracleSupplier) -> OracleSupplier:
        """REST snapshots are already complete."""
        return supplier

    def candidates(self, source: SourceSupplier) -> list[OracleSupplier]:
        """The suppliers that could match ``source``, read fresh from Oracle."""
        terms = []
        if source.number:
            terms.append(f"SupplierNumber={quote(source.number)}")
        if source.taxpayer_id:
            terms.append(f"TaxpayerId={quote(source.taxpayer_id)}")
        for word in name_words(source):
            # LIKE may be case-sensitive in a tenant: ask for the usual three casings.
            for variant in dict.fromkeys((word, word.upper(), word.capitalize())):
                terms.append(f"Supplier LIKE {quote('%' + variant + '%')}")
        if not terms:
            return []
        return self._suppliers(" or ".join(terms))


def name_words(source: SourceSupplier, count: int = 2) -> list[str]:
    """The longest words of the name's matching form: any Oracle supplier whose name matches
    contains them (two, in case one is written differently, e.g. with an apostrophe)."""
    return sorted(set(source.key.split()), key=lambda w: (-len(w), w))[:count]


def _as_list(value: object) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        value = value.get("items")
    return list(value) if isinstance(value, list) else []
