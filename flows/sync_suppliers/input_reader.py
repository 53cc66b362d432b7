"""Reading a supplier file into suppliers that can be planned, and reports on the rest.

Three outcomes, from the widest to the narrowest (as for purchase-request files):

- the file is **refused** (``FileRefusal``): it cannot be read at all (wrong type, not UTF-8,
  damaged, empty, too many rows, no ``supplier_name`` column); nothing in it is planned;
- a supplier is **rejected** (``SupplierRejection``, one per problem): any bad cell in any of
  its rows stops the whole supplier, and every problem is reported at once; the others go ahead;
- a supplier is **accepted** (``SourceSupplier``).

Rows whose names match (``normalise.name_key``) form one supplier, wherever they are in the file;
their supplier columns must agree, as must rows describing the same address, site or contact.
Reading never raises for a bad file and never changes or moves it. The wording of refusals and
rejections is shared with the other flows (``flows.common.input_file``); the columns and rules
are this flow's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from flows.common.input_file import (
    FileRefusal,
    Rejection,
    RejectionMaker,
    cells_by_column,
    disagreement_reason,
    file_sha256,
    formula_warnings,
    key_missing_reason,
    map_columns,
    overflow_reason,
    rejections_from,
    shown,
)
from flows.common.tabular import TableRefusedError, read_table
from flows.sync_suppliers.input_model import (
    SourceAddress,
    SourceContact,
    SourceSite,
    SourceSupplier,
    SupplierRow,
)
from flows.sync_suppliers.normalise import name_key

COLUMNS = tuple(name for name in SupplierRow.model_fields if name != "source_row")
# The columns people write in their own words (checked for what a spreadsheet runs as formulas);
# phone numbers and amounts may start with + or - and are left alone.
FREE_TEXT_COLUMNS = (
    "supplier_name",
    "address_name",
    "address_line1",
    "address_line2",
    "city",
    "county",
    "site_name",
    "contact_first_name",
    "contact_last_name",
)
SUPPLIER_COLUMNS = (
    "supplier_name",
    "supplier_number",
    "taxpayer_id",
    "tax_organization_type",
    "supplier_type",
    "business_relationship",
    "tax_country",
    "duns_number",
    "status",
)
ADDRESS_COLUMNS = (
    "address_line1",
    "address_line2",
    "city",
    "county",
    "postal_code",
    "country",
)
SITE_COLUMNS = ("address_name", "site_purposes", "bill_to_bu")
CONTACT_COLUMNS = ("contact_email", "contact_phone")
DEFAULT_MAX_ROWS = 50_000


@dataclass(frozen=True, kw_only=True)
class SupplierRejection(Rejection):
    """One problem that stops a supplier (``supplier`` is None for a row without a name)."""

    supplier: str | None


@dataclass
class SupplierFileResult:
    """Everything learnt from one file; ``sha256`` is of its raw bytes (empty if unreadable)."""

    file: Path
    sha256: str
    row_count: int = 0
    suppliers: list[SourceSupplier] = field(default_factory=list)
    rejections: list[SupplierRejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_error: FileRefusal | None = None

    def rejected_suppliers(self) -> dict[str, list[SupplierRejection]]:
        """Rejections grouped by supplier name (a row without a name counts as its own)."""
        grouped: dict[str, list[SupplierRejection]] = {}
        for rejection in self.rejections:
            grouped.setdefault(rejection.supplier or f"(row {rejection.row})", []).append(rejection)
        return grouped


def read_supplier_file(path: Path, *, max_rows: int = DEFAULT_MAX_ROWS) -> SupplierFileResult:
    """Read, check and group the suppliers in ``path``."""
    result = SupplierFileResult(file=path, sha256=file_sha256(path))
    try:
        table = read_table(path, max_rows=max_rows)
    except TableRefusedError as exc:
        result.file_error = FileRefusal(path, exc.kind, exc.reason)
        return result
    result.row_count = len(table.rows)
    columns = map_columns(path, table, known=COLUMNS, required=("supplier_name",), kind="supplier")
    result.warnings.extend(columns.warnings)
    if columns.refusal is not None:
        result.file_error = columns.refusal
        return result
    result.warnings += formula_warnings(path, table, columns.positions, FREE_TEXT_COLUMNS)
    groups: dict[str, list[SupplierRow]] = {}
    problems: dict[str, list[SupplierRejection]] = {}
    names: dict[str, str] = {}
    for row in table.rows:
        cells = cells_by_column(row, columns.positions)
        name = shown(cells.get("supplier_name"))
        if not name:
            reason = key_missing_reason("the name of its supplier")
            reject = _rejecting(None, path, row.number)
            result.rejections.append(reject(column="supplier_name", value=None, reason=reason))
            continue
        key = name_key(name) or name.casefold()
        names.setdefault(key, " ".join(name.split()))
        found = problems.setdefault(key, [])
        reject = _rejecting(names[key], path, row.number)
        if (overflow := overflow_reason(row, table.header)) is not None:
            found.append(reject(column=None, value=None, reason=overflow))
        given = {c: v for c, v in cells.items() if shown(v)}
        try:
            checked = SupplierRow.model_validate(given | {"source_row": row.number})
        except ValidationError as error:
            found.extend(rejections_from(error, cells, reject))
            continue
        for column, reason in checked.companion_problems():
            found.append(reject(column=column, value=None, reason=reason))
        groups.setdefault(key, []).append(checked)
    for key, found in problems.items():
        if not found:
            supplier, disagreements = _merge(path, names[key], groups[key])
            found.extend(disagreements)
            if supplier is not None and not found:
                result.suppliers.append(supplier)
        result.rejections.extend(sorted(found, key=lambda p: (p.row, _column_order(p.column))))
    return result


def _rejecting(supplier: str | None, path: Path, row: int) -> RejectionMaker[SupplierRejection]:
    """Rejections of one row of a supplier: only the column, value and reason remain to say."""
    return partial(SupplierRejection, supplier=supplier, file=path, row=row)


def _column_order(column: str | None) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def _agreeing(
    path: Path,
    supplier: str,
    what: str,
    rows: Iterable[SupplierRow],
    columns: Iterable[str],
    problems: list[SupplierRejection],
) -> dict[str, object]:
    """The values the rows give for ``columns`` (first given wins); disagreements reported."""
    merged: dict[str, object] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        for column in columns:
            value = getattr(row, column)
            if value is None:
                continue
            if column not in merged:
                merged[column], first_row[column] = value, row.source_row
            elif merged[column] != value:
                rule = f"the rows of one {what} must agree"
                reason = disagreement_reason(first_row[column], _display(merged[column]), rule)
                reject = _rejecting(supplier, path, row.source_row)
                problems.append(reject(column=column, value=_display(value), reason=reason))
    return merged


def _display(value: object) -> str:
    if isinstance(value, frozenset):
        return ";".join(sorted(value))
    return str(value)


def _merge(
    path: Path, supplier: str, rows: list[SupplierRow]
) -> tuple[SourceSupplier | None, list[SupplierRejection]]:
    problems: list[SupplierRejection] = []
    profile = _agreeing(path, supplier, "supplier", rows, SUPPLIER_COLUMNS, problems)
    addresses: dict[str, list[SupplierRow]] = {}
    sites: dict[tuple[str, str], list[SupplierRow]] = {}
    contacts: dict[tuple[str, str], list[SupplierRow]] = {}
    for row in rows:
        if row.address_name:
            addresses.setdefault(row.address_name.casefold(), []).append(row)
        if row.site_name and row.procurement_bu:
            site_key = (row.procurement_bu.casefold(), row.site_name.casefold())
            sites.setdefault(site_key, []).append(row)
        if row.contact_first_name and row.contact_last_name:
            key = (row.contact_first_name.casefold(), row.contact_last_name.casefold())
            contacts.setdefault(key, []).append(row)
    built_addresses = []
    for same in addresses.values():
        values = _agreeing(path, supplier, "address", same, ADDRESS_COLUMNS, problems)
        built_addresses.append(
            SourceAddress(
                name=str(same[0].address_name),
                line1=_opt(values, "address_line1"),
                line2=_opt(values, "address_line2"),
                city=_opt(values, "city"),
                county=_opt(values, "county"),
                postal_code=_opt(values, "postal_code"),
                country=_opt(values, "country"),
            )
        )
    built_sites = []
    for same_site in sites.values():
        values = _agreeing(path, supplier, "site", same_site, SITE_COLUMNS, problems)
        purposes = values.get("site_purposes")
        built_sites.append(
            SourceSite(
                name=str(same_site[0].site_name),
                procurement_bu=str(same_site[0].procurement_bu),
                address_name=_opt(values, "address_name"),
                purposes=purposes if isinstance(purposes, frozenset) else None,
                bill_to_bu=_opt(values, "bill_to_bu"),
            )
        )
    built_contacts = []
    for same_contact in contacts.values():
        values = _agreeing(path, supplier, "contact", same_contact, CONTACT_COLUMNS, problems)
        built_contacts.append(
            SourceContact(
                first_name=str(same_contact[0].contact_first_name),
                last_name=str(same_contact[0].contact_last_name),
                email=_opt(values, "contact_email"),
                phone=_opt(values, "contact_phone"),
            )
        )
    if problems:
        return None, problems
    return SourceSupplier(
        name=str(profile["supplier_name"]),
        source_file=path,
        source_rows=tuple(row.source_row for row in rows),
        number=_opt(profile, "supplier_number"),
        taxpayer_id=_opt(profile, "taxpayer_id"),
        tax_organization_type=_opt(profile, "tax_organization_type"),
        supplier_type=_opt(profile, "supplier_type"),
        business_relationship=_opt(profile, "business_relationship"),
        tax_country=_opt(profile, "tax_country"),
        duns_number=_opt(profile, "duns_number"),
        status=_opt(profile, "status"),
        addresses=tuple(built_addresses),
        sites=tuple(built_sites),
        contacts=tuple(built_contacts),
    ), []


def _opt(values: dict[str, object], column: str) -> str | None:
    value = values.get(column)
    return None if value is None else str(value)
