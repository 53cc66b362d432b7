"""The plan: for each supplier of the file, what would change in Oracle, field by field.

A ``Change`` says what (``action``), to which supplier, which fields move from which old value to
which new one, and the ``steps`` that make it happen through Oracle's pages. Steps are plain
values, so the plan can be shown, stored and tested without a browser.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from bots.supplier_models import AddressInput, ContactInput, SiteInput, SupplierProfileInput
from flows.sync_suppliers.input_model import SourceSupplier

ITEM_KEY_SUPPLIER_MAX = 150  # the ledger's item key holds 200 characters


class Action(StrEnum):
    CREATE = "create"  # a new supplier with its address, site, site assignment and contact
    UPDATE = "update"  # only the fields the file manages, each old → new
    DEACTIVATE = "deactivate"  # the file says INACTIVE: the inactive date is set, never a delete
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # matching is ambiguous: a person decides, nothing is applied
    REJECTED = "rejected"  # the file's rows for this supplier are invalid
    # Oracle holds a change of this supplier for approval (a pending change request): the
    # supplier is in flight, and nothing is planned for it until the request is decided.
    AWAITING_APPROVAL = "awaiting_approval"


ACTIONABLE = frozenset({Action.CREATE, Action.UPDATE, Action.DEACTIVATE})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """``name`` is the file's column, prefixed by its record for children:
    ``address[Norwich Office].postal_code``, ``site[NCC Corporate BU/BHM-NORWICH].site_purposes``,
    ``contact[James Turner].contact_email``."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class CreateSupplier:
    profile: SupplierProfileInput


@dataclass(frozen=True, slots=True)
class EditProfile:
    profile: SupplierProfileInput


@dataclass(frozen=True, slots=True)
class CreateAddress:
    address: AddressInput


@dataclass(frozen=True, slots=True)
class EditAddress:
    current_name: str  # the row's name in Oracle ("Edit <AddressName>")
    address: AddressInput


@dataclass(frozen=True, slots=True)
class CreateSite:
    site: SiteInput


@dataclass(frozen=True, slots=True)
class EditSite:
    current_name: str  # "Edit <SupplierSite>"
    site: SiteInput


@dataclass(frozen=True, slots=True)
class CreateContact:
    contact: ContactInput


@dataclass(frozen=True, slots=True)
class EditContact:
    current_name: str  # "Edit <First> <Last>"
    contact: ContactInput


Step = (
    CreateSupplier
    | EditProfile
    | CreateAddress
    | EditAddress
    | CreateSite
    | EditSite
    | CreateContact
    | EditContact
)


@dataclass(frozen=True)
class Change:
    """One supplier's planned change (or why there is none)."""

    action: Action
    supplier: str  # the name as the file writes it
    key: str  # the name's matching form (normalise.name_key)
    fields: tuple[FieldChange, ...] = ()
    steps: tuple[Step, ...] = ()
    message: str = ""
    oracle_id: str | None = None  # SupplierId of the matched Oracle supplier
    oracle_number: str | None = None
    matched_by: str | None = None  # supplier_number, taxpayer_id or name
    oracle_version: str = ""  # digest of the Oracle record the change was planned against
    source: SourceSupplier | None = None
    source_rows: tuple[int, ...] = ()
    change_request: str | None = None  # the pending change request that holds the supplier

    @property
    def item_key(self) -> str:
        """The ledger key: ``<supplier-key>:<action>:<digest>``.

        The digest covers the Oracle record planned against and the change itself, so the same
        change planned again against the same Oracle state is the same ledger item (two runs
        cannot both apply it), while a later change to the same supplier is a new item.
        """
        text = repr((self.oracle_version, self.fields))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        return f"{self.key[:ITEM_KEY_SUPPLIER_MAX]}:{self.action.value}:{digest}"

    def fields_json(self) -> dict[str, list[str | None]]:
        return {f.name: [f.old, f.new] for f in self.fields}


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(change.action for change in self.changes)
        return {action.value: found.get(action, 0) for action in Action}

    @property
    def actionable(self) -> list[Change]:
        return [c for c in self.changes if c.action in ACTIONABLE]
