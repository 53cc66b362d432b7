"""The plan: a pure function from the file's suppliers and a snapshot of Oracle to changes.

For each supplier of the file: match it (``matching``), then compare only the fields the file
manages (a blank cell is not managed) with what Oracle holds, and list the differences as
``FieldChange`` values and the ``steps`` that apply them. ``diff_supplier`` is also how the apply
step re-plans one supplier against a fresh read of Oracle before acting, and how it checks that
a change landed (the re-plan is then ``unchanged``).

Defaults used only when something is created (they never overwrite Oracle's values): an address
without ``country`` is in GB and serves ordering and remittance; a site without
``site_purposes`` is for purchasing and pay; a site assignment's client BU is the site's
procurement BU, and its bill-to BU, when not given, is the procurement BU too.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from bots.supplier_models import AddressInput, ContactInput, SiteInput, SupplierProfileInput
from flows.sync_suppliers import normalise
from flows.sync_suppliers.matching import SupplierIndex, describe
from flows.sync_suppliers.oracle_model import (
    OracleAddress,
    OracleContact,
    OracleSite,
    OracleSnapshot,
    OracleSupplier,
)
from flows.sync_suppliers.plan_model import (
    Action,
    Change,
    CreateAddress,
    CreateContact,
    CreateSite,
    CreateSupplier,
    EditAddress,
    EditContact,
    EditProfile,
    EditSite,
    FieldChange,
    Plan,
    Step,
)
from flows.sync_suppliers.source_model import (
    SourceAddress,
    SourceContact,
    SourceSite,
    SourceSupplier,
)

DEFAULT_COUNTRY = "GB"
DEFAULT_SITE_PURPOSES = frozenset({"purchasing", "pay"})
# Profile columns of the file, in the order changes are listed.
PROFILE_COLUMNS = (
    "supplier_name", "taxpayer_id", "tax_organization_type", "supplier_type",
    "business_relationship", "tax_country", "duns_number",
)  # fmt: skip


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
            changes.append(_conflict(source, (
                f"{claimed[match.supplier.supplier_id]} suppliers of the file match Oracle "
                f"supplier {describe(match.supplier)}"
            )))  # fmt: skip
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
        problem = _child_changes(source, oracle, fields, steps)
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


def _same(column: str, old: str | None, new: str) -> bool:
    """Whether Oracle's value already is the file's, in the sense the column has."""
    if old is None:
        return False
    if column in (
        "supplier_name",
        "address_line1",
        "address_line2",
        "city",
        "county",
        "address_name",
        "contact_first_name",
        "contact_last_name",
    ):
        return old == new  # the file is the source of truth, spelling included
    if column == "taxpayer_id":
        return normalise.taxpayer_id(old) == new
    if column in ("tax_country", "country"):
        return (normalise.country_code(old) or old) == (normalise.country_code(new) or new)
    if column == "postal_code":
        return normalise.postcode(old) == normalise.postcode(new)
    if column == "contact_phone":
        return _digits(old) == _digits(new)
    return old.casefold() == new.casefold()  # list values and e-mail addresses


def _digits(phone: str) -> str:
    return ("+" if phone.strip().startswith("+") else "") + "".join(c for c in phone if c.isdigit())


def _differences(
    prefix: str, old: dict[str, str | None], new: dict[str, str | None]
) -> list[FieldChange]:
    found = []
    for column, wanted in new.items():
        if wanted is not None and not _same(column, old.get(column), wanted):
            found.append(FieldChange(prefix + column, old.get(column), wanted))
    return found


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
    fields = _differences("", _oracle_profile(oracle), _wanted_profile(source))
    return fields, _profile_input({f.name: f.new for f in fields})


# --- creating a supplier ---------------------------------------------------------------------


def _create(source: SourceSupplier, base: Change) -> Change:
    wanted = _wanted_profile(source)
    fields = [FieldChange(c, None, v) for c, v in wanted.items() if v is not None]
    fields.append(FieldChange("status", None, "ACTIVE"))
    steps: list[Step] = [CreateSupplier(_profile_input(wanted))]
    empty = OracleSupplier(supplier_id="", name=source.name, number="")
    problem = _child_changes(source, empty, fields, steps)
    if problem:
        return replace(base, action=Action.REJECTED, message=problem)
    return replace(base, action=Action.CREATE, fields=tuple(fields), steps=tuple(steps))


# --- addresses, sites and contacts -------------------------------------------------------------


def _child_changes(
    source: SourceSupplier, oracle: OracleSupplier, fields: list[FieldChange], steps: list[Step]
) -> str | None:
    """Append the children's changes; a message when the file cannot be applied as it is."""
    addresses = {a.name.casefold(): a for a in oracle.addresses}
    for address in source.addresses:
        problem = _address_change(address, addresses.get(address.name.casefold()), fields, steps)
        if problem:
            return problem
    sites = {(s.procurement_bu.casefold(), s.name.casefold()): s for s in oracle.sites}
    for site in source.sites:
        key = (site.procurement_bu.casefold(), site.name.casefold())
        _site_change(site, sites.get(key), fields, steps)
    by_name = {c.full_name.casefold(): c for c in oracle.contacts}
    by_email = {c.email.casefold(): c for c in oracle.contacts if c.email}
    for contact in source.contacts:
        found = by_name.get(contact.full_name.casefold())
        if found is None and contact.email:
            found = by_email.get(contact.email.casefold())
        _contact_change(contact, found, fields, steps)
    return None


def _address_values(address: SourceAddress) -> dict[str, str | None]:
    return {
        "address_line1": address.line1, "address_line2": address.line2, "city": address.city,
        "county": address.county, "postal_code": address.postal_code, "country": address.country,
    }  # fmt: skip


def _address_change(
    address: SourceAddress,
    found: OracleAddress | None,
    fields: list[FieldChange],
    steps: list[Step],
) -> str | None:
    prefix = f"address[{address.name}]."
    wanted = _address_values(address)
    if found is None:
        if address.line1 is None:
            return (
                f"address '{address.name}' is not in Oracle, and a new address needs address_line1"
            )
        wanted["country"] = address.country or DEFAULT_COUNTRY
        fields.extend(FieldChange(prefix + c, None, v) for c, v in wanted.items() if v is not None)
        steps.append(CreateAddress(AddressInput(
            address_name=address.name, country=wanted["country"], line1=address.line1,
            line2=address.line2, city=address.city, county=address.county,
            postal_code=address.postal_code, ordering=True, remit_to=True,
        )))  # fmt: skip
        return None
    current = {
        "address_line1": found.line1, "address_line2": found.line2, "city": found.city,
        "county": found.county, "postal_code": found.postal_code, "country": found.country_code,
    }  # fmt: skip
    changed = _differences(prefix, current, wanted)
    if changed:
        fields.extend(changed)
        new = {f.name.removeprefix(prefix): f.new for f in changed}
        steps.append(EditAddress(found.name, AddressInput(
            address_name=found.name, country=new.get("country"), line1=new.get("address_line1"),
            line2=new.get("address_line2"), city=new.get("city"), county=new.get("county"),
            postal_code=new.get("postal_code"),
        )))  # fmt: skip
    return None


def purposes_text(purposes: frozenset[str] | None) -> str | None:
    return None if purposes is None else ";".join(sorted(purposes))


def _site_change(
    site: SourceSite, found: OracleSite | None, fields: list[FieldChange], steps: list[Step]
) -> None:
    prefix = f"site[{site.procurement_bu}/{site.name}]."
    if found is None:
        purposes = site.purposes or DEFAULT_SITE_PURPOSES
        bill_to = site.bill_to_bu or site.procurement_bu
        fields.extend([
            FieldChange(prefix + "address_name", None, site.address_name),
            FieldChange(prefix + "site_purposes", None, purposes_text(purposes)),
            FieldChange(prefix + "bill_to_bu", None, bill_to),
        ])  # fmt: skip
        steps.append(CreateSite(SiteInput(
            site=site.name, procurement_bu=site.procurement_bu, address_name=site.address_name,
            purposes=purposes, client_bu=site.procurement_bu, bill_to_bu=bill_to,
        )))  # fmt: skip
        return
    assignment = next(
        (a for a in found.assignments if a.client_bu.casefold() == site.procurement_bu.casefold()),
        None,
    )
    current = {
        "address_name": found.address_name,
        "site_purposes": purposes_text(found.purposes),
        "bill_to_bu": assignment.bill_to_bu if assignment else None,
    }
    wanted = {
        "address_name": site.address_name,
        "site_purposes": purposes_text(site.purposes),
        "bill_to_bu": site.bill_to_bu,
    }
    changed = _differences(prefix, current, wanted)
    if not changed:
        return
    fields.extend(changed)
    new = {f.name.removeprefix(prefix): f.new for f in changed}
    new_bill_to = new.get("bill_to_bu")
    steps.append(EditSite(found.name, SiteInput(
        site=found.name, procurement_bu=found.procurement_bu,
        address_name=new.get("address_name"),
        purposes=site.purposes if "site_purposes" in new else None,
        client_bu=site.procurement_bu if new_bill_to else None, bill_to_bu=new_bill_to,
    )))  # fmt: skip


def _contact_change(
    contact: SourceContact,
    found: OracleContact | None,
    fields: list[FieldChange],
    steps: list[Step],
) -> None:
    prefix = f"contact[{contact.full_name}]."
    wanted = {
        "contact_first_name": contact.first_name, "contact_last_name": contact.last_name,
        "contact_email": contact.email, "contact_phone": contact.phone,
    }  # fmt: skip
    if found is None:
        fields.extend(FieldChange(prefix + c, None, v) for c, v in wanted.items() if v is not None)
        steps.append(
            CreateContact(
                ContactInput(contact.first_name, contact.last_name, contact.email, contact.phone)
            )
        )
        return
    current = {
        "contact_first_name": found.first_name, "contact_last_name": found.last_name,
        "contact_email": found.email, "contact_phone": found.phone,
    }  # fmt: skip
    changed = _differences(prefix, current, wanted)
    if changed:
        fields.extend(changed)
        new = {f.name.removeprefix(prefix): f.new for f in changed}
        steps.append(EditContact(found.full_name, ContactInput(
            first_name=contact.first_name, last_name=contact.last_name,
            email=new.get("contact_email"), phone=new.get("contact_phone"),
        )))  # fmt: skip
