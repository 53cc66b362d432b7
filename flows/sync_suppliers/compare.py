"""When a value in Oracle already is the file's value, in the sense each column has.

Free text the file is the source of truth for (names, address lines) must match exactly;
taxpayer ids, countries, postcodes and phone numbers match in their canonical form; values from
Oracle's lists and e-mail addresses match ignoring case.
"""

from __future__ import annotations

from flows.sync_suppliers import normalise
from flows.sync_suppliers.plan_model import FieldChange


def same(column: str, old: str | None, new: str) -> bool:
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


def differences(
    prefix: str, old: dict[str, str | None], new: dict[str, str | None]
) -> list[FieldChange]:
    found = []
    for column, wanted in new.items():
        if wanted is not None and not same(column, old.get(column), wanted):
            found.append(FieldChange(prefix + column, old.get(column), wanted))
    return found
