"""The changes to a supplier's addresses, sites (with their assignment) and contacts.

Each child the file describes is found in Oracle by its natural key: an address by its name, a
site by procurement BU and site name, a contact by full name (else by e-mail address). A child
Oracle lacks is created, with the defaults below for what the file leaves blank; a child Oracle
has gets only the fields that differ.
"""

from __future__ import annotations

from bots.supplier_models import AddressInput, ContactInput, SiteInput
from flows.sync_suppliers import normalise
from flows.sync_suppliers.compare import differences
from flows.sync_suppliers.input_model import (
    SourceAddress,
    SourceContact,
    SourceSite,
    SourceSupplier,
)
from flows.sync_suppliers.oracle_model import (
    OracleAddress,
    OracleContact,
    OracleSite,
    OracleSupplier,
)
from flows.sync_suppliers.plan_model import (
    CreateAddress,
    CreateContact,
    CreateSite,
    EditAddress,
    EditContact,
    EditSite,
    FieldChange,
    Step,
)

DEFAULT_COUNTRY = "GB"
DEFAULT_SITE_PURPOSES = frozenset({"purchasing", "pay"})


def child_changes(
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
        "address_line1": address.line1,
        "address_line2": address.line2,
        "city": address.city,
        "county": address.county,
        "postal_code": address.postal_code,
        "country": address.country,
    }


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
        country = address.country or DEFAULT_COUNTRY
        wanted["country"] = country
        fields.extend(FieldChange(prefix + c, None, v) for c, v in wanted.items() if v is not None)
        steps.append(
            CreateAddress(
                AddressInput(
                    address_name=address.name,
                    country=normalise.country_name(country),
                    line1=address.line1,
                    line2=address.line2,
                    city=address.city,
                    county=address.county,
                    postal_code=address.postal_code,
                    ordering=True,
                    remit_to=True,
                )
            )
        )
        return None
    current = {
        "address_line1": found.line1,
        "address_line2": found.line2,
        "city": found.city,
        "county": found.county,
        "postal_code": found.postal_code,
        "country": found.country_code,
    }
    changed = differences(prefix, current, wanted)
    if changed:
        fields.extend(changed)
        new = {f.name.removeprefix(prefix): f.new for f in changed}
        steps.append(
            EditAddress(
                found.name,
                AddressInput(
                    address_name=found.name,
                    country=_country_name(new.get("country")),
                    line1=new.get("address_line1"),
                    line2=new.get("address_line2"),
                    city=new.get("city"),
                    county=new.get("county"),
                    postal_code=new.get("postal_code"),
                ),
            )
        )
    return None


def _country_name(code: str | None) -> str | None:
    return None if code is None else normalise.country_name(code)


def purposes_text(purposes: frozenset[str] | None) -> str | None:
    return None if purposes is None else ";".join(sorted(purposes))


def _site_change(
    site: SourceSite, found: OracleSite | None, fields: list[FieldChange], steps: list[Step]
) -> None:
    prefix = f"site[{site.procurement_bu}/{site.name}]."
    if found is None:
        purposes = site.purposes or DEFAULT_SITE_PURPOSES
        bill_to = site.bill_to_bu or site.procurement_bu
        fields.extend(
            [
                FieldChange(prefix + "address_name", None, site.address_name),
                FieldChange(prefix + "site_purposes", None, purposes_text(purposes)),
                FieldChange(prefix + "bill_to_bu", None, bill_to),
            ]
        )
        steps.append(
            CreateSite(
                SiteInput(
                    site=site.name,
                    procurement_bu=site.procurement_bu,
                    address_name=site.address_name,
                    purposes=purposes,
                    client_bu=site.procurement_bu,
                    bill_to_bu=bill_to,
                )
            )
        )
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
    changed = differences(prefix, current, wanted)
    if not changed:
        return
    fields.extend(changed)
    new = {f.name.removeprefix(prefix): f.new for f in changed}
    new_bill_to = new.get("bill_to_bu")
    steps.append(
        EditSite(
            found.name,
            SiteInput(
                site=found.name,
                procurement_bu=found.procurement_bu,
                address_name=new.get("address_name"),
                purposes=site.purposes if "site_purposes" in new else None,
                client_bu=site.procurement_bu if new_bill_to else None,
                bill_to_bu=new_bill_to,
            ),
        )
    )


def _contact_change(
    contact: SourceContact,
    found: OracleContact | None,
    fields: list[FieldChange],
    steps: list[Step],
) -> None:
    prefix = f"contact[{contact.full_name}]."
    wanted = {
        "contact_first_name": contact.first_name,
        "contact_last_name": contact.last_name,
        "contact_email": contact.email,
        "contact_phone": contact.phone,
    }
    if found is None:
        fields.extend(FieldChange(prefix + c, None, v) for c, v in wanted.items() if v is not None)
        steps.append(
            CreateContact(
                ContactInput(contact.first_name, contact.last_name, contact.email, contact.phone)
            )
        )
        return
    current = {
        "contact_first_name": found.first_name,
        "contact_last_name": found.last_name,
        "contact_email": found.email,
        "contact_phone": found.phone,
    }
    changed = differences(prefix, current, wanted)
    if changed:
        fields.extend(changed)
        new = {f.name.removeprefix(prefix): f.new for f in changed}
        steps.append(
            EditContact(
                found.full_name,
                ContactInput(
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    email=new.get("contact_email"),
                    phone=new.get("contact_phone"),
                ),
            )
        )
