"""Checking a request's names against Oracle's reference data before any browser work.

Oracle refuses an order whose supplier is inactive, whose site cannot be used by the BU, whose
charge account is disabled, or whose location, category, unit, item or person it does not know;
found in the browser, each of these costs a sign-in, a draft to delete and minutes per request.
Read over REST first (read-only), the same refusals become rejections that name the file, row,
column and value, before a browser starts, and a dry run can tell the buyer of them.

The checks narrow the window; they never replace Oracle's rules, which still apply at Submit.
They must never refuse what Oracle would accept, so:

- names match whole, case and spacing aside, as the pages' lists match them;
- a site is usable when it is active, has the purchasing purpose and an active assignment for
  the order's procurement BU or its requisitioning BU (Oracle's documentation and the pods seen
  differ on which BU the assignment names: either passes here);
- a look-up the pod does not offer (HTTP 400 or 404: a resource named otherwise; or another
  refusal of the read) is skipped for the rest of the run, with a warning naming the setting
  (``reference_checks.lookups``).

Where each kind of name is looked up is :data:`config.settings.DEFAULT_REFERENCE_LOOKUPS`;
suppliers and sites come from Oracle's documented ``suppliers`` resource and its children.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import structlog

from bots.errors import BotError
from config.settings import Settings
from flows.common.input_file import SHOWN_VALUE_MAX
from flows.raise_purchase_orders.input_model import PurchaseRequest, RequestLine
from rpa.oracle_rest import OracleRestReader, RestGetter, quote
from rpa.oracle_target import OracleTarget

log = structlog.get_logger()
SUPPLIERS = "/suppliers"
# The failure class of a request Oracle's reference data would refuse (results, ledger, trail).
REFUSED_BY_REFERENCE_DATA = "RefusedByReferenceData"
ROWS_PER_LOOKUP = "25"  # a name matches a handful of rows at most (casings, several BUs)


_NOT_KNOWN: dict[str, str] = {
    "procurement_bu": "is not a procurement business unit in Oracle",
    "requisitioning_bu": "is not a requisitioning business unit in Oracle",
    "currency": "is not a currency Oracle knows",
    "buyer": "is not a person Oracle knows",
    "requester": "is not a person Oracle knows",
    "item": "is not an item number in Oracle",
    "category": "is not a purchasing category in Oracle",
    "uom": "is not a unit of measure in Oracle",
    "location": "is not a location code in Oracle",
}
_WHAT_TO_DO = "check the spelling against Oracle's list and send the request again"


@dataclass(frozen=True)
class Lookup:
    """Where one kind of name is read: a REST resource and the attribute holding the name."""

    resource: str
    attribute: str

    @classmethod
    def parse(cls, text: str) -> Lookup:
        resource, attribute = text.split(":", 1)
        return cls("/" + resource.strip("/"), attribute)


def _folded(value: object) -> str:
    return " ".join(str(value or "").split()).casefold()


def _casings(value: str) -> list[str]:
    """The value as written and in the usual casings: ``=`` is case-sensitive in Oracle's
    database, while the pages' lists are not."""
    words = " ".join(value.split())
    return list(dict.fromkeys((value, words, words.upper(), words.title(), words.lower())))


def _is_inactive(row: Mapping[str, Any], today: date) -> bool:
    """Fusion's convention: inactive from the inactive date on (or a status that says so)."""
    if str(row.get("Status") or "").strip().upper() == "INACTIVE":
        return True
    inactive = str(row.get("InactiveDate") or "")[:10]
    return bool(inactive) and inactive <= today.isoformat()


def _since(row: Mapping[str, Any]) -> str:
    inactive = str(row.get("InactiveDate") or "")[:10]
    try:
        return f" since {date.fromisoformat(inactive):%d/%m/%Y}" if inactive else ""
    except ValueError:
        return ""


def _items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(body.get("items") or [])


class ReferenceData:
    """Oracle's reference data as its REST API shows it, each name read once per run.

    ``unavailable`` names the look-ups the pod does not offer, with why; their names are not
    checked (``None`` from :meth:`named`).
    """

    def __init__(self, rest: RestGetter, lookups: Mapping[str, str]) -> None:
        self.rest = rest
        self.lookups = {kind: Lookup.parse(text) for kind, text in lookups.items()}
        self.unavailable: dict[str, str] = {}
        self._cache: dict[tuple[str, str, str], list[dict[str, Any]] | None] = {}

    def named(self, kind: str, value: str) -> list[dict[str, Any]] | None:
        """The rows of ``kind`` whose name is ``value``; None when the look-up is unavailable."""
        lookup = self.lookups[kind]
        return self._rows(kind, lookup.resource, lookup.attribute, value)

    def suppliers(self, name: str) -> list[dict[str, Any]] | None:
        return self._rows("supplier", SUPPLIERS, "Supplier", name)

    def sites(self, supplier_id: object, name: str) -> list[dict[str, Any]] | None:
        return self._rows(
            "supplier_site", f"{SUPPLIERS}/{supplier_id}/child/sites", "SupplierSite", name
        )

    def assignments(self, supplier_id: object, site_id: object) -> list[dict[str, Any]] | None:
        path = f"{SUPPLIERS}/{supplier_id}/child/sites/{site_id}/child/assignments"
        key = ("supplier_site", path, "")
        if key not in self._cache:
            self._cache[key] = self._get("supplier_site", path, onlyData="true", limit="500")
        return self._cache[key]

    def _rows(
        self, kind: str, path: str, attribute: str, value: str
    ) -> list[dict[str, Any]] | None:
        key = (kind, path, _folded(value))
        if key not in self._cache:
            listed = ", ".join(quote(v) for v in _casings(value))
            found = self._get(
                kind, path, q=f"{attribute} IN ({listed})", onlyData="true", limit=ROWS_PER_LOOKUP
            )
            self._cache[key] = (
                None
                if found is None
                else [row for row in found if _folded(row.get(attribute)) == _folded(value)]
            )
        return self._cache[key]

    def _get(self, kind: str, path: str, **params: str) -> list[dict[str, Any]] | None:
        if kind in self.unavailable:
            return None
        try:
            return _items(self.rest.get(path, **params))
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            if not 400 <= status < 500:
                raise
            # 400, 404 (a resource or attribute named otherwise), or any refusal of this read:
            # the names go unchecked here and Oracle's own checks decide in the pages.
            self.unavailable[kind] = f"HTTP {status} from {path.split('/child/')[0]}"
            log.warning(
                "a reference look-up is not offered by this Oracle: its names are not checked "
                "before browser work (set reference_checks.lookups to the pod's resource)",
                kind=kind,
                resource=path,
                status=status,
            )
            return None


@dataclass
class ReferenceProblem:
    """One name Oracle would refuse, and every row of the request that carries it."""

    column: str
    value: str
    reason: str  # follows "column <name>, value '<cell>':"
    rows: list[int] = field(default_factory=list)

    def message(self, file: Path | None) -> str:
        where = file.name if file is not None else "the request"
        rows = [r for r in self.rows if r > 0]  # a request kept by the ledger has no rows
        if rows:
            where += f" row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}"
        value = self.value
        if len(value) > SHOWN_VALUE_MAX:
            value = value[: SHOWN_VALUE_MAX - 1] + "…"
        return f"{where}, column {self.column}, value '{value}': {self.reason}"


class ReferenceChecker:
    """What in one request Oracle's reference data would refuse."""

    def __init__(self, data: ReferenceData, *, today: date) -> None:
        self.data = data
        self.today = today

    def problems(self, request: PurchaseRequest) -> list[ReferenceProblem]:
        found: dict[tuple[str, str, str], ReferenceProblem] = {}

        def note(column: str, value: str, reason: str | None, rows: Iterable[int]) -> None:
            if reason is None:
                return
            problem = found.setdefault(
                (column, value, reason), ReferenceProblem(column, value, reason)
            )
            problem.rows.extend(r for r in rows if r not in problem.rows)

        header_rows = request.source_rows[:1]
        procurement_bu = self._business_unit("procurement_bu", request.procurement_bu)
        note("procurement_bu", request.procurement_bu, procurement_bu.reason, header_rows)
        requisitioning_bu = self._business_unit("requisitioning_bu", request.requisitioning_bu)
        note("requisitioning_bu", request.requisitioning_bu, requisitioning_bu.reason, header_rows)
        note("currency", request.currency, self._known("currency", request.currency), header_rows)
        if request.buyer:
            note("buyer", request.buyer, self._buyer(request.buyer), header_rows)
        supplier_id, reason = self._supplier(request.supplier)
        note("supplier", request.supplier, reason, header_rows)
        if supplier_id is not None:
            reason = self._site(
                supplier_id,
                request.supplier,
                request.supplier_site,
                (procurement_bu, requisitioning_bu),
            )
            note("supplier_site", request.supplier_site, reason, header_rows)
        for line in request.lines:
            for column, value, reason_of in self._line_names(line):
                note(column, value, reason_of, [line.source_row])
        return list(found.values())

    def _line_names(self, line: RequestLine) -> Iterable[tuple[str, str, str | None]]:
        yield "charge_account", line.charge_account, self._account(line.charge_account)
        named = (
            ("item", "item", line.item),
            ("category", "category", line.category),
            ("uom", "uom", line.uom),
            ("ship_to_location", "location", line.ship_to_location),
            ("deliver_to_location", "location", line.deliver_to_location),
            ("requester", "requester", line.requester),
        )
        for column, kind, value in named:
            if value:
                yield column, value, self._known(kind, value)

    # What each kind of name must be. A reason completes "column X, value 'Y': ..."; None:
    # fine (or not checkable here).

    def _known(self, kind: str, value: str) -> str | None:
        rows = self.data.named(kind, value)
        if rows is None or rows:
            return None
        return f"{_NOT_KNOWN[kind]}: {_WHAT_TO_DO}"

    def _business_unit(self, kind: str, name: str) -> _Found:
        rows = self.data.named(kind, name)
        if rows is None:
            return _Found(name=name)
        if not rows:
            return _Found(name=name, reason=f"{_NOT_KNOWN[kind]}: {_WHAT_TO_DO}")
        return _Found(name=name, ids={str(r.get("BusinessUnitId")) for r in rows})

    def _buyer(self, name: str) -> str | None:
        rows = self.data.named("buyer", name)
        if rows is None:
            return None
        if not rows:
            return f"{_NOT_KNOWN['buyer']}: {_WHAT_TO_DO}"
        if all(r.get("BuyerFlag") is False for r in rows):
            return (
                "is not a buyer in Oracle: name a buyer of the procurement BU, or leave the "
                "column blank for Oracle's default"
            )
        return None

    def _supplier(self, name: str) -> tuple[object | None, str | None]:
        rows = self.data.suppliers(name)
        if rows is None:
            return None, None
        if not rows:
            return None, (
                "is not a supplier in Oracle: check the name as Oracle's supplier list spells "
                "it, or ask Supplier Management to add the supplier"
            )
        active = [r for r in rows if not _is_inactive(r, self.today)]
        if not active:
            return None, (
                f"is inactive in Oracle{_since(rows[0])}: ask Supplier Management to "
                "reactivate it, or choose another supplier"
            )
        return active[0].get("SupplierId"), None

    def _site(
        self,
        supplier_id: object,
        supplier: str,
        name: str,
        business_units: tuple[_Found, _Found],
    ) -> str | None:
        rows = self.data.sites(supplier_id, name)
        if rows is None:
            return None
        if not rows:
            return (
                f"is not a site of supplier {supplier} in Oracle: check the site name on the "
                "supplier's Sites tab"
            )
        active = [r for r in rows if not _is_inactive(r, self.today)]
        if not active:
            return (
                f"is inactive in Oracle{_since(rows[0])}: ask Supplier Management to "
                "reactivate the site, or choose another"
            )
        purchasing = [r for r in active if r.get("SitePurposePurchasingFlag") is not False]
        if not purchasing:
            return (
                "has no purchasing purpose in Oracle, so no order can use it: ask Supplier "
                "Management to add the purpose, or choose another site"
            )
        return self._assigned(supplier_id, purchasing, business_units)

    def _assigned(
        self,
        supplier_id: object,
        sites: list[dict[str, Any]],
        business_units: tuple[_Found, _Found],
    ) -> str | None:
        ids = {i for bu in business_units for i in bu.ids}
        names = {_folded(bu.name) for bu in business_units}
        for site in sites:
            assignments = self.data.assignments(supplier_id, site.get("SupplierSiteId"))
            if assignments is None:
                return None
            for assignment in assignments:
                if _is_inactive(assignment, self.today):
                    continue
                if (
                    str(assignment.get("ClientBUId")) in ids
                    or _folded(assignment.get("ClientBU")) in names
                ):
                    return None
        procurement_bu = business_units[0].name
        return (
            f"has no active site assignment for {procurement_bu} in Oracle, so orders for that "
            "BU cannot use it: ask Supplier Management to assign the site to the BU"
        )

    def _account(self, segments: str) -> str | None:
        rows = self.data.named("charge_account", segments)
        if rows is None:
            return None
        if not rows:
            return (
                "is not an account combination in Oracle: check the charge account with "
                "Finance and send the request again"
            )
        if all(r.get("EnabledFlag") is False for r in rows):
            return (
                "is disabled in Oracle, so no order can be charged to it: ask Finance for the "
                "account to use instead"
            )
        return None


@dataclass(frozen=True)
class _Found:
    """A business unit as read: its ids when Oracle knows it, or why not."""

    name: str
    ids: frozenset[str] | set[str] = frozenset()
    reason: str | None = None


@dataclass
class Screening:
    """The requests that may go to the browser, those Oracle's reference data would refuse
    (with every problem), and one sentence on what was checked."""

    passed: list[PurchaseRequest]
    refused: list[tuple[PurchaseRequest, list[ReferenceProblem]]]
    note: str

    @staticmethod
    def unchecked(requests: list[PurchaseRequest], why: str) -> Screening:
        return Screening(passed=list(requests), refused=[], note=f"not checked: {why}")


def screen(
    requests: list[PurchaseRequest],
    *,
    rest: RestGetter,
    lookups: Mapping[str, str],
    today: date,
    where: str,
) -> Screening:
    """Check every request's names against the Oracle ``where`` names (for people: "myOracle
    at https://…"). An Oracle that cannot be read (down, refusing the account) leaves every
    request unchecked: the browser work then meets the same problem and handles it as it
    does (a refused sign-in stops the run; an Oracle that is down trips the breaker)."""
    data = ReferenceData(rest, lookups)
    checker = ReferenceChecker(data, today=today)
    passed: list[PurchaseRequest] = []
    refused: list[tuple[PurchaseRequest, list[ReferenceProblem]]] = []
    try:
        for request in requests:
            problems = checker.problems(request)
            if problems:
                refused.append((request, problems))
            else:
                passed.append(request)
    except (BotError, httpx.HTTPError) as exc:
        log.warning("reference data not checked: Oracle could not be read", error=str(exc))
        return Screening.unchecked(requests, f"{where} could not be read ({exc})")
    note = f"checked against {where}"
    if data.unavailable:
        skipped = ", ".join(f"{kind} ({why})" for kind, why in sorted(data.unavailable.items()))
        note += f"; not offered there, so not checked: {skipped}"
    return Screening(passed=passed, refused=refused, note=note)


def refusal_message(request: PurchaseRequest, problems: list[ReferenceProblem]) -> str:
    """What the buyer reads: every problem, each naming file, rows, column and value."""
    return "Oracle would refuse this request: " + "; ".join(
        p.message(request.source_file) for p in problems
    )


def screen_against(
    settings: Settings, today: date, target: OracleTarget, requests: list[PurchaseRequest]
) -> Screening:
    """:func:`screen` through the target's REST API, as the settings allow."""
    if not settings.reference_checks.enabled:
        return Screening.unchecked(requests, "reference_checks.enabled is off")
    if not settings.oracle.rest_reads:
        return Screening.unchecked(requests, "oracle.rest_reads is off")
    if not requests:
        return Screening(passed=[], refused=[], note="nothing to check")
    rest = OracleRestReader(target)
    try:
        return screen(
            requests,
            rest=rest,
            lookups=settings.reference_checks.lookups,
            today=today,
            # target_id: scheme, host and port, never credentials a URL may carry
            where="the embedded sandbox"
            if target.embedded_sandbox
            else f"Oracle at {target.target_id}",
        )
    finally:
        rest.close()
