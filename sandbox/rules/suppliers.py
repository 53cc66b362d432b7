"""Supplier master-data rules: unique names and tax ids, valid purposes, complete assignments."""

from __future__ import annotations

import re
import sqlite3

from sandbox.rules.errors import RuleViolation

TAX_ORGANIZATION_TYPES = (
    "Corporation",
    "Foreign Corporation",
    "Partnership",
    "Foreign Partnership",
    "Individual",
    "Foreign Individual",
    "Government Agency",
)
SUPPLIER_TYPES = ("Supplier", "Services", "Contractor", "Manufacturer")
BUSINESS_RELATIONSHIPS = ("Prospective", "Spend Authorized")
DUNS_PATTERN = re.compile(r"^\d{9}$")


def check_choice(attribute: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise RuleViolation(
            f"The value {value} isn't valid for {attribute}. Use one of: {', '.join(allowed)}.",
            attribute,
        )


def check_unique_name(conn: sqlite3.Connection, name: str, supplier_id: int | None) -> None:
    row = conn.execute(
        "SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE AND id IS NOT ?",
        (name, supplier_id),
    ).fetchone()
    if row:
        raise RuleViolation(f"A supplier named {name} already exists.", "Supplier")


def check_unique_taxpayer_id(
    conn: sqlite3.Connection, taxpayer_id: str, supplier_id: int | None
) -> None:
    row = conn.execute(
        "SELECT name FROM suppliers WHERE taxpayer_id = ? AND id IS NOT ?",
        (taxpayer_id, supplier_id),
    ).fetchone()
    if row:
        raise RuleViolation(
            f"The taxpayer ID {taxpayer_id} is already used by supplier {row['name']}.",
            "TaxpayerId",
        )


def check_duns(duns: str) -> None:
    if not DUNS_PATTERN.match(duns):
        raise RuleViolation(
            f"The D-U-N-S number {duns} isn't valid. It must be 9 digits.", "DUNSNumber"
        )


def check_address_purposes(ordering: bool, remit_to: bool, rfq: bool) -> None:
    if not (ordering or remit_to or rfq):
        raise RuleViolation("Select at least one address purpose.", "AddressPurposeOrderingFlag")


def check_site_purposes(flags: dict[str, bool]) -> None:
    if not any(flags.values()):
        raise RuleViolation("Select at least one site purpose.", "SitePurposePurchasingFlag")
    if flags["SitePurposePrimaryPayFlag"] and not flags["SitePurposePayFlag"]:
        raise RuleViolation(
            "A primary pay site must also have the pay purpose.", "SitePurposePayFlag"
        )


def check_assignment_bill_to(bill_to_given: bool) -> None:
    if not bill_to_given:
        raise RuleViolation(
            "POZ-2130496: You must provide a value for the Bill-to BU attribute "
            "(BillToBUId or BillToBU) of the site assignment.",
            "BillToBUId",
        )


def check_email(email: str) -> None:
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise RuleViolation(f"The email address {email} isn't valid.", "Email")
