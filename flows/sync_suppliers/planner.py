"""The plan: a pure function from the file's suppliers and a snapshot of Oracle to changes.

For each supplier of the file: match it (``matching``), then compare only the fields the file
manages (a blank cell is not managed) with what Oracle holds, and list the differences as
``FieldChange`` values and the ``steps`` that apply them. ``diff_supplier`` is also how the apply
step re-plans one supplier against a fresh read of Oracle before acting, and how it checks that
a change landed (the re-plan is then ``unchanged``).

Defaults are used only when something is created, never to overwrite Oracle's values (see
``child_diff``): an address without ``country`` is in GB and serves ordering and remittance; a
site without ``site_purposes`` is for purchasing and pay; a site assignment's client BU is the
site's procurement BU, and its bill-to BU, when not given, is the procurement BU too.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from bots.supplier_models import SupplierProfileInput
from flows.sync_suppliers import normalise
from flows.sync_suppliers.child_diff import child_changes
from flows.sync_suppliers.compare import differences
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.matching import SupplierIndex, describe
from flows.sync_suppliers.oracle_model import OracleSnapshot, OracleSupplier
from flows.sync_suppliers.plan_model import (
    Action,
    Change,
    CreateSupplier,
    EditProfile,
    FieldChange,
    Plan,
    Step,
)


def plan_sync(
    sources: Sequence[SourceSupplier],
    snapshot: OracleSnapshot,
    *,
    today: date,
    rejected: Iterable[tuple[str, str]] = (),
) -> Plan:
    """The plan for ``sources`` against ``snapshot``; ``rejected`` lists (supplier, message)
    of the file's invalid suppliers so that the plan reports them too."""
    index = SupplierIndex(snapshot.suppliers)
    matches = [index.match(source) for source in sources]
    claimed = Counter(m.supplier.supplier_id for m in matches if m.supplier is not None)
    changes: list[Change] = []
    for source, match in zip(sources, matches, strict=True):
        if match.conflict is not None:
            changes.append(_conflict(source, match.conflict))
        elif match.supplier is not None and claimed[match.supplier.supplier_id] > 1:
            changes.append(
                _conflict(
                    source,
                    (
                        f"{claimed[match.supplier.supplier_id]} suppliers of the file match Oracle "
                        f"supplier {describe(match.supplier)}"
                    ),
                )
            )
        else:
            changes.append(diff_supplier(source, match.supplier, today=today, by=match.by))
    for name, message in rejected:
        changes.append(Change(Action.REJECTED, name, normalise.name_key(name), message=message))
    return Plan(tuple(changes))


def _conflict(source: SourceSupplier, message: str) -> Change:
    return Change(
        Action.CONFLICT,
        source.name,
        source.key,
        message=message,
        source=source,
        source_rows=source.source_rows,
    )


def oracle_version(supplier: OracleSupplier | None) -> str:
    """A digest of everything Oracle holds for the supplier (its dataclass text is stable)."""
    if supplier is None:
        return "new"
    return hashlib.sha256(repr(supplier).encode("utf-8")).hexdigest()[:16]


def diff_supplier(
    source: SourceSupplier, oracle: OracleSupplier | None, *, today: date, by: str | None = None
) -> Change:
    """The change that brings ``oracle`` (None: not in Oracle) in line with ``source``."""
    base = Change(
        Action.UNCHANGED,
        source.name,
        source.key,
        source=source,
        source_rows=source.source_rows,
        oracle_version=oracle_version(oracle),
    )
    if oracle is None:
        if source.status == "INACTIVE":
            return replace(
                base, message="not in Oracle and INACTIVE in the file: nothing to create"
            )
        return _create(source, base)
    base = replace(base, oracle_id=oracle.supplier_id, oracle_number=oracle.number, matched_by=by)
    fields, profile = _profile_changes(source, oracle)
    inactive = oracle.status == "INACTIVE"
    if source.status == "INACTIVE" and not inactive:
        fields += [
            FieldChange("status", oracle.status, "INACTIVE"),
            FieldChange("inactive_date", oracle.inactive_date, today.isoformat()),
        ]
        edit = EditProfile(replace(profile, inactive_date=today))
        return replace(base, action=Action.DEACTIVATE, fields=tuple(fields), steps=(edit,))
    if source.status == "ACTIVE" and inactive:
        fields += [
            FieldChange("status", "INACTIVE", "ACTIVE"),
            FieldChange("inactive_date", oracle.inactive_date, None),
        ]
        profile = replace(profile, clear_inactive_date=True)
    steps: list[Step] = [EditProfile(profile)] if not profile.is_empty() else []
    # The addresses, sites and contacts of a supplier that stays inactive are left alone.
    if not (inactive and source.status != "ACTIVE"):
        problem = child_changes(source, oracle, fields, steps)
        if problem:
            return replace(base, action=Action.REJECTED, message=problem)
    if not fields:
        return base
    return replace(base, action=Action.UPDATE, fields=tuple(fields), steps=tuple(steps))


# --- the supplier's profile ----------------------------------------------------------------


def _wanted_profile(source: SourceSupplier) -> dict[str, str | None]:
    country = source.tax_country
    return {
        "supplier_name": source.name,
        "taxpayer_id": source.taxpayer_id,
        "tax_organization_type": source.tax_organization_type,
        "supplier_type": source.supplier_type,
        "business_relationship": source.business_relationship,
        "tax_country": normalise.country_name(country) if country else None,
        "duns_number": source.duns_number,
    }


def _oracle_profile(oracle: OracleSupplier) -> dict[str, str | None]:
    return {
        "supplier_name": oracle.name,
        "taxpayer_id": oracle.taxpayer_id,
        "tax_organization_type": oracle.tax_organization_type,
        "supplier_type": oracle.supplier_type,
        "business_relationship": oracle.business_relationship,
        "tax_country": oracle.tax_country,
        "duns_number": oracle.duns_number,
    }


def _profile_input(values: dict[str, str | None]) -> SupplierProfileInput:
    """The Profile fields to type: the file's columns given in ``values``, the others left."""
    return SupplierProfileInput(
        supplier=values.get("supplier_name"),
        taxpayer_id=values.get("taxpayer_id"),
        tax_organization_type=values.get("tax_organization_type"),
        supplier_type=values.get("supplier_type"),
        business_relationship=values.get("business_relationship"),
        tax_country=values.get("tax_country"),
        duns_number=values.get("duns_number"),
    )


def _profile_changes(
    source: SourceSupplier, oracle: OracleSupplier
) -> tuple[list[FieldChange], SupplierProfileInput]:
    fields = differences("", _oracle_profile(oracle), _wanted_profile(source))
    return fields, _profile_input({f.name: f.new for f in fields})


# --- creating a supplier ---------------------------------------------------------------------


def _create(source: SourceSupplier, base: Change) -> Change:
    wanted = _wanted_profile(source)
    fields = [FieldChange(c, None, v) for c, v in wanted.items() if v is not None]
    fields.append(FieldChange("status", None, "ACTIVE"))
    steps: list[Step] = [CreateSupplier(_profile_input(wanted))]
    empty = OracleSupplier(supplier_id="", name=source.name, number="")
    problem = child_changes(source, empty, fields, steps)
    if problem:
        return replace(base, action=Action.REJECTED, message=problem)
    return replace(base, action=Action.CREATE, fields=tuple(fields), steps=tuple(steps))


# --- addresses, sites and contacts -------------------------------------------------------------
