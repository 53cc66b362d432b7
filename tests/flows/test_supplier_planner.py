"""Planning: what would change in Oracle, field by field, for each supplier of the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bots.supplier_models import AddressInput, ContactInput, SiteInput, SupplierProfileInput
from flows.sync_suppliers.input_model import SourceAddress, SourceContact, SourceSite
from flows.sync_suppliers.oracle_model import OracleAssignment, OracleSnapshot
from flows.sync_suppliers.plan_model import (
    Action,
    CreateAddress,
    CreateContact,
    CreateSite,
    CreateSupplier,
    EditAddress,
    EditContact,
    EditProfile,
    EditSite,
    FieldChange,
)
from flows.sync_suppliers.planner import diff_supplier, plan_sync
from tests.flows.test_supplier_support import full_oracle, full_source, oracle, source

TODAY = date(2026, 11, 29)


def test_a_new_supplier_is_created_with_address_site_assignment_and_contact() -> None:
    """Create lists every given field as blank → value and the steps in dependency order."""
    change = diff_supplier(
        full_source(supplier_type="Services", tax_country="GB"), None, today=TODAY
    )
    assert change.action is Action.CREATE
    assert change.steps == (
        CreateSupplier(
            SupplierProfileInput(
                supplier="Wensum Valley Ecology Ltd",
                taxpayer_id="09876543",
                supplier_type="Services",
                tax_country="United Kingdom",
            )
        ),
        CreateAddress(
            AddressInput(
                "Norwich Office",
                "United Kingdom",
                "12 Rose Lane",
                None,
                "Norwich",
                "Norfolk",
                "NR1 1PT",
                ordering=True,
                remit_to=True,
            )
        ),
        CreateSite(
            SiteInput(
                "WVE-NORWICH",
                "NCC Corporate BU",
                "Norwich Office",
                frozenset({"purchasing", "pay"}),
                "NCC Corporate BU",
                "NCC Corporate BU",
            )
        ),
        CreateContact(
            ContactInput(
                "Harriet", "Kett", "harriet.kett@wensumvalleyecology.co.uk", "01603 555123"
            )
        ),
    )
    fields = change.fields_json()
    assert fields["supplier_name"] == [None, "Wensum Valley Ecology Ltd"]
    assert fields["status"] == [None, "ACTIVE"]
    assert fields["address[Norwich Office].postal_code"] == [None, "NR1 1PT"]
    assert fields["site[NCC Corporate BU/WVE-NORWICH].bill_to_bu"] == [None, "NCC Corporate BU"]
    assert (fields["contact[Harriet Kett].contact_email"][1] or "").startswith("harriet.kett@")


def test_creation_defaults_fill_what_the_file_leaves_blank() -> None:
    """A new site without purposes or bill-to BU, and an address without country, get defaults."""
    new = full_source(
        addresses=(SourceAddress("Yard", "1 Mill Lane"),),
        sites=(SourceSite("WVE-YARD", "NCC Highways BU", "Yard"),),
        contacts=(),
    )
    change = diff_supplier(new, None, today=TODAY)
    create_site = change.steps[2]
    assert isinstance(create_site, CreateSite)
    assert create_site.site.purposes == frozenset({"purchasing", "pay"})
    assert (create_site.site.client_bu, create_site.site.bill_to_bu) == (
        "NCC Highways BU",
        "NCC Highways BU",
    )
    assert change.fields_json()["address[Yard].country"] == [None, "GB"]


def test_a_new_address_without_a_first_line_cannot_be_created() -> None:
    """The supplier is rejected at planning, not half-created in Oracle."""
    new = full_source(addresses=(SourceAddress("Yard", city="Norwich"),), sites=())
    change = diff_supplier(new, None, today=TODAY)
    assert change.action is Action.REJECTED
    assert (
        change.message == "address 'Yard' is not in Oracle, and a new address needs address_line1"
    )


def test_a_supplier_that_matches_oracle_is_unchanged() -> None:
    """No field differs: nothing planned, the Oracle number is still reported."""
    change = diff_supplier(full_source(), full_oracle(), today=TODAY, by="name")
    assert (change.action, change.fields, change.steps) == (Action.UNCHANGED, (), ())
    assert (change.oracle_number, change.matched_by) == ("30100", "name")


@pytest.mark.parametrize(
    ("column", "file_value", "oracle_value", "shown_new", "profile"),
    [
        (
            "supplier_name",
            "Wensum Valley Ecology Limited",
            None,
            "Wensum Valley Ecology Limited",
            SupplierProfileInput(supplier="Wensum Valley Ecology Limited"),
        ),
        (
            "taxpayer_id",
            "09876544",
            "09876543",
            "09876544",
            SupplierProfileInput(taxpayer_id="09876544"),
        ),
        (
            "tax_organization_type",
            "Partnership",
            "Corporation",
            "Partnership",
            SupplierProfileInput(tax_organization_type="Partnership"),
        ),
        (
            "supplier_type",
            "Supplier",
            "Services",
            "Supplier",
            SupplierProfileInput(supplier_type="Supplier"),
        ),
        (
            "business_relationship",
            "Prospective",
            "Spend Authorized",
            "Prospective",
            SupplierProfileInput(business_relationship="Prospective"),
        ),
        (
            "tax_country",
            "IE",
            "United Kingdom",
            "Ireland",
            SupplierProfileInput(tax_country="Ireland"),
        ),
        (
            "duns_number",
            "111111111",
            None,
            "111111111",
            SupplierProfileInput(duns_number="111111111"),
        ),
    ],
)
def test_each_profile_field_is_updated_from_old_to_new(
    column: str,
    file_value: str,
    oracle_value: str | None,
    shown_new: str,
    profile: SupplierProfileInput,
) -> None:
    """Only the differing profile field is listed and typed into the Profile edit."""
    attribute = {"supplier_name": "name", "tax_country": "tax_country"}.get(column, column)
    changes: dict[str, Any] = {"name" if column == "supplier_name" else column: file_value}
    wanted = replace(full_source(), **changes)
    current = full_oracle(
        tax_organization_type="Corporation",
        supplier_type="Services",
        business_relationship="Spend Authorized",
        tax_country="United Kingdom",
    )
    if oracle_value is not None:
        current_values: dict[str, Any] = {attribute: oracle_value}
        current = replace(current, **current_values)
    change = diff_supplier(wanted, current, today=TODAY)
    old = current.name if column == "supplier_name" else oracle_value
    assert change.action is Action.UPDATE
    assert change.fields == (FieldChange(column, old, shown_new),)
    assert change.steps == (EditProfile(profile),)


def test_equal_values_in_other_forms_are_not_changes() -> None:
    """Case of list values, taxpayer spacing, country code vs name and postcode spacing match."""
    wanted = full_source(
        tax_organization_type="corporation",
        tax_country="GB",
        addresses=(SourceAddress("Norwich Office", postal_code="NR1 1PT"),),
    )
    current = full_oracle(
        tax_organization_type="Corporation", tax_country="United Kingdom", taxpayer_id="0987 6543"
    )
    current = replace(current, addresses=(replace(current.addresses[0], postal_code="nr11pt"),))
    assert diff_supplier(wanted, current, today=TODAY).action is Action.UNCHANGED


def test_blank_file_values_never_blank_oracle_values() -> None:
    """A file row with only the name changes nothing, whatever Oracle holds."""
    current = full_oracle(duns_number="123456789", supplier_type="Services")
    change = diff_supplier(source("Wensum Valley Ecology Ltd"), current, today=TODAY)
    assert change.action is Action.UNCHANGED


def test_address_fields_are_updated_through_edit_address() -> None:
    """Changed address lines, city, county, postcode and country are edited in one drawer."""
    wanted = full_source(
        addresses=(
            SourceAddress(
                "norwich office", "3 King Street", "Floor 2", "Norwich", "Norfolk", "NR1 2DH", "GB"
            ),
        )
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    assert change.fields == (
        FieldChange("address[norwich office].address_line1", "12 Rose Lane", "3 King Street"),
        FieldChange("address[norwich office].address_line2", None, "Floor 2"),
        FieldChange("address[norwich office].postal_code", "NR1 1PT", "NR1 2DH"),
    )
    assert change.steps == (
        EditAddress(
            "Norwich Office",
            AddressInput(
                "Norwich Office", line1="3 King Street", line2="Floor 2", postal_code="NR1 2DH"
            ),
        ),
    )


def test_site_purposes_address_and_bill_to_are_updated_through_edit_site() -> None:
    """A site's purposes are the exact set listed; a new bill-to BU edits its assignment."""
    wanted = full_source(
        sites=(
            SourceSite(
                "WVE-NORWICH",
                "NCC Corporate BU",
                "Norwich Office",
                frozenset({"pay", "primary_pay"}),
                "NCC Children's Services BU",
            ),
        )
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    prefix = "site[NCC Corporate BU/WVE-NORWICH]."
    assert change.fields == (
        FieldChange(prefix + "site_purposes", "pay;purchasing", "pay;primary_pay"),
        FieldChange(prefix + "bill_to_bu", "NCC Corporate BU", "NCC Children's Services BU"),
    )
    assert change.steps == (
        EditSite(
            "WVE-NORWICH",
            SiteInput(
                "WVE-NORWICH",
                "NCC Corporate BU",
                purposes=frozenset({"pay", "primary_pay"}),
                client_bu="NCC Corporate BU",
                bill_to_bu="NCC Children's Services BU",
            ),
        ),
    )


def test_a_missing_assignment_for_the_procurement_bu_is_added_when_bill_to_is_given() -> None:
    """A site assigned only to other BUs gets the assignment for its own procurement BU."""
    current = full_oracle()
    site = replace(
        current.sites[0],
        assignments=(OracleAssignment("9", "NCC Highways BU", "NCC Corporate BU"),),
    )
    change = diff_supplier(full_source(), replace(current, sites=(site,)), today=TODAY)
    assert change.fields == (
        FieldChange("site[NCC Corporate BU/WVE-NORWICH].bill_to_bu", None, "NCC Corporate BU"),
    )


def test_a_new_site_on_an_existing_supplier_is_created() -> None:
    """A site row Oracle lacks (by BU and name) is a Create Site step within an update."""
    wanted = full_source(
        sites=(
            SourceSite(
                "WVE-HW",
                "NCC Highways BU",
                "Norwich Office",
                frozenset({"purchasing"}),
                "NCC Corporate BU",
            ),
        )
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    assert change.action is Action.UPDATE
    assert [type(step) for step in change.steps] == [CreateSite]


def test_contact_email_and_phone_are_updated_through_edit_contact() -> None:
    """A contact found by name gets its new e-mail and phone; equal phone digits are no change."""
    wanted = full_source(
        contacts=(SourceContact("harriet", "kett", "h.kett@example.co.uk", "01603555123"),)
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    assert change.fields == (
        FieldChange("contact[harriet kett].contact_first_name", "Harriet", "harriet"),
        FieldChange("contact[harriet kett].contact_last_name", "Kett", "kett"),
        FieldChange(
            "contact[harriet kett].contact_email",
            "harriet.kett@wensumvalleyecology.co.uk",
            "h.kett@example.co.uk",
        ),
    )
    assert change.steps == (
        EditContact("Harriet Kett", ContactInput("harriet", "kett", email="h.kett@example.co.uk")),
    )


def test_a_contact_found_by_email_is_renamed() -> None:
    """A contact whose e-mail matches but whose name changed (marriage, typo) is edited."""
    wanted = full_source(
        contacts=(SourceContact("Harriet", "Riches", "harriet.kett@wensumvalleyecology.co.uk"),)
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    assert [type(s) for s in change.steps] == [EditContact]
    assert change.fields[0].name == "contact[Harriet Riches].contact_last_name"


def test_inactive_in_the_file_deactivates_with_todays_date() -> None:
    """Deactivate sets the inactive date (never deletes) and leaves children alone."""
    wanted = full_source(
        status="INACTIVE", addresses=(), sites=(), contacts=(SourceContact("New", "Person"),)
    )
    change = diff_supplier(wanted, full_oracle(), today=TODAY)
    assert change.action is Action.DEACTIVATE
    assert change.fields == (
        FieldChange("status", "ACTIVE", "INACTIVE"),
        FieldChange("inactive_date", None, "2026-11-29"),
    )
    assert change.steps == (EditProfile(SupplierProfileInput(inactive_date=TODAY)),)


def test_an_inactive_supplier_inactive_in_the_file_is_unchanged() -> None:
    """Nothing to do when Oracle already has the supplier inactive; its children are not diffed."""
    current = full_oracle(status="INACTIVE", inactive_date="2025-03-31")
    wanted = full_source(status="INACTIVE", contacts=(SourceContact("New", "Person"),))
    assert diff_supplier(wanted, current, today=TODAY).action is Action.UNCHANGED


def test_active_in_the_file_reactivates_an_inactive_supplier() -> None:
    """An explicit ACTIVE clears Oracle's inactive date; a blank status leaves it."""
    current = full_oracle(status="INACTIVE", inactive_date="2025-03-31")
    change = diff_supplier(full_source(status="ACTIVE"), current, today=TODAY)
    assert change.action is Action.UPDATE
    assert change.fields == (
        FieldChange("status", "INACTIVE", "ACTIVE"),
        FieldChange("inactive_date", "2025-03-31", None),
    )
    assert change.steps == (EditProfile(SupplierProfileInput(clear_inactive_date=True)),)
    assert diff_supplier(full_source(), current, today=TODAY).action is Action.UNCHANGED


def test_inactive_file_supplier_missing_from_oracle_is_not_created() -> None:
    """A supplier the file lists as INACTIVE and Oracle lacks needs nothing."""
    change = diff_supplier(full_source(status="INACTIVE"), None, today=TODAY)
    assert change.action is Action.UNCHANGED and "nothing to create" in change.message


def test_plan_reports_conflicts_rejections_and_changes_per_supplier() -> None:
    """Every file supplier has one change; two file suppliers on one Oracle one conflict."""
    snapshot = OracleSnapshot((full_oracle(), oracle("Beta Care Ltd", "30002")))
    plan = plan_sync(
        [
            full_source(),
            source("Beta Care Limited"),
            source("beta care ltd.", number="30002"),
            source("New Co Ltd"),
        ],
        snapshot,
        today=TODAY,
        rejected=[("Bad Co Ltd", "s.csv row 9, column city: too long")],
    )
    assert [(c.supplier, c.action) for c in plan.changes] == [
        ("Wensum Valley Ecology Ltd", Action.UNCHANGED),
        ("Beta Care Limited", Action.CONFLICT),
        ("beta care ltd.", Action.CONFLICT),
        ("New Co Ltd", Action.CREATE),
        ("Bad Co Ltd", Action.REJECTED),
    ]
    assert "2 suppliers of the file match Oracle supplier Beta Care Ltd (30002)" in (
        plan.changes[1].message
    )
    assert plan.counts == {
        "create": 1,
        "update": 0,
        "deactivate": 0,
        "unchanged": 1,
        "conflict": 2,
        "rejected": 1,
        "awaiting_approval": 0,
    }


def test_item_keys_follow_the_oracle_state_planned_against() -> None:
    """The same change against the same Oracle record has one key; a changed record another."""
    wanted = full_source(supplier_type="Supplier")
    current = full_oracle(supplier_type="Services")
    first = diff_supplier(wanted, current, today=TODAY)
    again = diff_supplier(wanted, current, today=TODAY)
    later = diff_supplier(wanted, replace(current, last_update="2026-12-01"), today=TODAY)
    assert first.item_key == again.item_key
    assert first.item_key.startswith("wensum valley ecology:update:")
    assert later.item_key != first.item_key
