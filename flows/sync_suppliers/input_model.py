"""What a valid supplier file row is, and the supplier that rows of one supplier make together.

One row describes one supplier site: the supplier's profile, the site's address, the site, and
optionally a contact. ``SupplierRow`` checks the cells of one row (every message is written to
follow ``column <name>, value '<cell>':``); the reader then groups rows into ``SourceSupplier``.

A blank cell means "not managed by the file": it never blanks a value Oracle holds. The cell
validators both flows use alike (text, list values) are in ``flows.common.cell_validators``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo, field_validator

from bots.supplier_models import SITE_PURPOSES
from flows.common.cell_validators import cleaned, one_of, text
from flows.sync_suppliers import normalise

SUPPLIER_NAME_MAX = 360  # Fusion's supplier name length
TEXT_MAX = 240
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"\+?[0-9 ()-]+")
SUPPLIER_NUMBER = re.compile(r"[A-Za-z0-9-]{1,30}")
TAXPAYER_ID = re.compile(r"[A-Z0-9]{1,20}")
RELATIONSHIPS = ("Prospective", "Spend Authorized")
STATUSES = ("ACTIVE", "INACTIVE")

Text = Annotated[str | None, text(TEXT_MAX)]


class SupplierRow(BaseModel):
    """The cells of one row, each checked on its own (rules across cells: see
    ``companion_problems``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_row: int
    supplier_name: Annotated[str, text(SUPPLIER_NAME_MAX, required=True, one_line=True)]
    supplier_number: Text = None
    taxpayer_id: Text = None
    tax_organization_type: Text = None
    supplier_type: Text = None
    business_relationship: Annotated[str | None, one_of(*RELATIONSHIPS)] = None
    tax_country: Text = None
    duns_number: Text = None
    status: Annotated[str | None, one_of(*STATUSES)] = None
    country: Text = None  # before postal_code: the postcode rule depends on it
    address_name: Text = None
    address_line1: Text = None
    address_line2: Text = None
    city: Text = None
    county: Text = None
    postal_code: Text = None
    site_name: Text = None
    procurement_bu: Text = None
    site_purposes: Annotated[frozenset[str] | None, BeforeValidator(lambda v: _purposes(v))] = None
    bill_to_bu: Text = None
    contact_first_name: Text = None
    contact_last_name: Text = None
    contact_email: Text = None
    contact_phone: Text = None

    @field_validator("supplier_number")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        if value is not None and not SUPPLIER_NUMBER.fullmatch(value):
            raise ValueError("must be Oracle's supplier number: letters, digits and -, at most 30")
        return value

    @field_validator("taxpayer_id")
    @classmethod
    def _taxpayer(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalise.taxpayer_id(value)
        if not TAXPAYER_ID.fullmatch(value):
            raise ValueError("must be letters and digits only (at most 20), e.g. 01234567")
        return value

    @field_validator("tax_country", "country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = normalise.country_code(value)
        if code is None:
            raise ValueError("is not a known country: write its ISO code, e.g. GB")
        return code

    @field_validator("duns_number")
    @classmethod
    def _duns(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = re.sub(r"[\s-]", "", value)
        if not (digits.isascii() and digits.isdigit() and len(digits) == 9):
            raise ValueError("must be a D-U-N-S number: 9 digits")
        return digits

    @field_validator("postal_code")
    @classmethod
    def _postcode(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        # A blank country is the council's default, the United Kingdom.
        if info.data.get("country") in (None, "GB"):
            if not normalise.is_uk_postcode(value):
                raise ValueError("is not a UK postcode (e.g. NR1 2DH)")
            return normalise.postcode(value)
        return value.upper()

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value):
            raise ValueError("is not an e-mail address (name@example.co.uk)")
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = sum(ch.isdigit() for ch in value)
        if not PHONE.fullmatch(value) or not 7 <= digits <= 15:
            raise ValueError("is not a phone number (digits, spaces, + ( ) -; 7 to 15 digits)")
        return value

    def companion_problems(self) -> list[tuple[str, str]]:
        """Cells that need another cell of the row: ``(column, reason)`` for each one missing."""
        problems: list[tuple[str, str]] = []
        address_given = [c for c in _ADDRESS_DETAIL if getattr(self, c) is not None]
        if self.address_name is None and (address_given or self.site_name):
            needed_by = address_given[0] if address_given else "site_name"
            problems.append(("address_name", f"a value is required when {needed_by} is given"))
        site_given = [c for c in _SITE_DETAIL if getattr(self, c) is not None]
        if self.site_name is None and site_given:
            problems.append(("site_name", f"a value is required when {site_given[0]} is given"))
        if self.site_name is not None and self.procurement_bu is None:
            problems.append(("procurement_bu", "a value is required when site_name is given"))
        contact_given = [c for c in _CONTACT_COLUMNS if getattr(self, c) is not None]
        for column in ("contact_first_name", "contact_last_name"):
            if contact_given and getattr(self, column) is None:
                problems.append((column, f"a value is required when {contact_given[0]} is given"))
        return problems


_ADDRESS_DETAIL = ("address_line1", "address_line2", "city", "county", "postal_code", "country")
_SITE_DETAIL = ("procurement_bu", "site_purposes", "bill_to_bu")
_CONTACT_COLUMNS = ("contact_first_name", "contact_last_name", "contact_email", "contact_phone")


def _purposes(value: object) -> object:
    value = cleaned(value)
    if not isinstance(value, str):
        return value
    names = ("_".join(p.replace("-", " ").split()).casefold() for p in re.split("[;,]", value))
    chosen = frozenset(p for p in names if p)
    known = [p.name for p in SITE_PURPOSES]  # a file may list any of Oracle's site purposes
    unknown = sorted(chosen - set(known))
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not a site purpose; use " + ";".join(known))
    if "primary_pay" in chosen and "pay" not in chosen:
        raise ValueError("primary_pay needs pay too")
    if "sourcing_only" in chosen and len(chosen) > 1:
        raise ValueError("sourcing_only cannot be combined with other purposes")
    return chosen


# --- A supplier as the file describes it ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceAddress:
    name: str
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    county: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO code


@dataclass(frozen=True, slots=True)
class SourceSite:
    name: str
    procurement_bu: str
    address_name: str | None = None
    purposes: frozenset[str] | None = None
    bill_to_bu: str | None = None


@dataclass(frozen=True, slots=True)
class SourceContact:
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class SourceSupplier:
    """One supplier of the file (all its rows), ready to be matched and planned."""

    name: str
    source_file: Path
    source_rows: tuple[int, ...]
    number: str | None = None
    taxpayer_id: str | None = None
    tax_organization_type: str | None = None
    supplier_type: str | None = None
    business_relationship: str | None = None
    tax_country: str | None = None  # ISO code
    duns_number: str | None = None
    status: str | None = None  # ACTIVE or INACTIVE
    addresses: tuple[SourceAddress, ...] = ()
    sites: tuple[SourceSite, ...] = ()
    contacts: tuple[SourceContact, ...] = ()

    # The matching form of the name: how rows are grouped and changes are keyed.
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", normalise.name_key(self.name))
