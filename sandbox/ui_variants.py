"""The sandbox's UI variants: every text of the pages that differs between Fusion releases.

Oracle Fusion's pages are not one fixed text. Releases rename labels ("Procurement BU" became
"Procurement Business Unit"), buttons ("Add Line" / "Add Row") and confirmations; tenants
personalise labels and number their orders with a prefix of their own ("NCC1004542"); legacy JET
selects say "No matches found" where JET's Core Pack says "No matches found.". The bots read
such texts from a UI profile (``config/ui_profiles/``), not from code, and the sandbox serves the
same pages in more than one variant so that tests prove a profile really carries the difference.

This module is the one place those texts live, and new texts of the purchase-order pages
(their buttons, tabs, drawers and dialogs) are written here too, even where both variants word
them alike, so that a later variant can change any of them. A variant is the "redwood" table
with some entries replaced; nothing else about the pages changes between variants. The texts
reach the pages in two ways (``sandbox/pages.py``):

- page templates name a text as ``%{key}`` (a label, a button, a drawer's name) and the server
  puts the variant's text there, HTML-escaped;
- every page also gets the whole table as JSON, which page scripts read for the texts they
  compose (headings, confirmations, option texts) through ``common/ui.js``.

Texts that contain ``{name}`` are templates the page scripts fill in (``{number}`` is the order
number, ``{name}`` the supplier's name, ``{Supplier}`` an attribute of a list-of-values row).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import get_args

from config.settings import SandboxSettings

# The names the setting accepts, taken from the setting itself so the two can't drift apart.
VARIANT_NAMES: tuple[str, ...] = get_args(SandboxSettings.model_fields["ui_variant"].annotation)

# Redwood as Oracle documents it (and as the sandbox has always served it).
REDWOOD_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        # Purchase Orders work area and its create drawer.
        "po.create_button": "Create Purchase Order",
        "po.create_drawer": "New purchase order",
        "po.create.procurement_bu": "Procurement BU",
        "po.create.requisitioning_bu": "Requisitioning BU",
        "po.create.ship_to_location": "Default Ship-to Location",
        # The option text of the create drawer's Supplier list (attributes of suppliersLOV).
        "po.create.supplier_option": "{Supplier}",
        # The purchase order page: header, actions, tabs.
        "po.order.heading": "Purchase Order {number}",
        "po.order.description": "Description",
        "po.order.buyer": "Buyer",
        "po.order.save_button": "Save",
        "po.order.submit_button": "Submit",
        "po.order.delete_button": "Delete",
        "po.order.lines_tab": "Lines",
        "po.order.schedules_tab": "Schedules",
        "po.order.distributions_tab": "Distributions",
        "po.order.add_line_button": "Add Line",
        "po.order.submitted": "Purchase order {number} was submitted for approval.",
        # Delete's question (a dialog named like its title, answered Yes or No).
        "po.order.delete_dialog": "Delete Order",
        "po.order.delete_question": (
            "Purchase order {number} will be deleted. Do you want to continue?"
        ),
        # Submit's funds-check warning ({amount} as the page formats amounts: 1,234.50).
        "po.order.funds_warning_dialog": "Warning",
        "po.order.funds_warning": (
            "The funds check for purchase order {number} passed with warnings: the budget for "
            "{account} is exceeded by £{amount}. Do you want to continue?"
        ),
        # The answers of every Yes/No dialog.
        "dialog.yes": "Yes",
        "dialog.no": "No",
        # The Lines tab's drawer: the line's own fields only.
        "po.line.drawer": "Add line",
        "po.line.uom": "UOM",
        "po.line.price": "Price",
        # The Schedules tab: each row's edit button and its drawer.
        "po.schedule.edit_button": "Edit schedule {line}-{schedule}",
        "po.schedule.drawer": "Edit Schedule",
        "po.schedule.need_by_date": "Need-by Date",
        "po.schedule.ship_to_location": "Ship-to Location",
        # The Distributions tab: each row's edit button and its drawer.
        "po.distribution.edit_button": "Edit distribution {line}-{schedule}-{distribution}",
        "po.distribution.drawer": "Edit Distribution",
        "po.distribution.charge_account": "PO Charge Account",
        "po.distribution.deliver_to_location": "Deliver-to Location",
        "po.distribution.requester": "Requester",
        # Supplier pages.
        "supplier.heading": "Supplier: {name}",
        "supplier.profile_tab": "Profile",
        "supplier.tax_organization_type": "Tax Organization Type",
        "supplier.duns_number": "D-U-N-S Number",
        "supplier.address.postal_code": "Postal Code",
        # What every list of values shows when the search finds nothing (JET's own text).
        "lov.no_matches": "No matches found.",
    }
)

# The same pages as another release and tenant show them: only what differs from "redwood".
REDWOOD_ALT_CHANGES: Mapping[str, str] = MappingProxyType(
    {
        "po.create_button": "Create Order",
        "po.create_drawer": "Create Order",
        "po.create.procurement_bu": "Procurement Business Unit",
        "po.create.requisitioning_bu": "Requisitioning Business Unit",
        "po.create.ship_to_location": "Ship-to Location",
        # Fusion's multi-column list rows read "name number".
        "po.create.supplier_option": "{Supplier} {SupplierNumber}",
        "po.order.heading": "Purchase Order: {number}",
        "po.order.add_line_button": "Add Row",
        "po.order.submitted": "Purchase order {number} has been submitted.",
        "po.line.drawer": "Create Line",
        "po.line.uom": "UOM Name",
        "po.line.price": "Unit Price",
        "po.distribution.charge_account": "Charge Account",
        "supplier.heading": "Supplier Profile: {name}",
        "supplier.profile_tab": "Organization Details",
        "supplier.tax_organization_type": "Tax Organisation Type",
        "supplier.duns_number": "DUNS Number",
        "supplier.address.postal_code": "Postcode",
        # Legacy JET's wording (ojtranslations' noMatchesFound): no full stop.
        "lov.no_matches": "No matches found",
    }
)

# JET's own text for an empty list of values (the Core Pack's select_noMatchesFound, en).
JET_NO_MATCHES = "No matches found."


@dataclass(frozen=True)
class UiVariant:
    """One variant: its texts and the prefix its order numbers carry.

    ``order_number_prefix`` is a presentation of the stored number (REST and pages show
    ``prefix + number``; the database keeps the bare sequence), so one data directory can be
    served in either variant.
    """

    name: str
    texts: Mapping[str, str]
    order_number_prefix: str = ""
    jet_translations: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        # Every variant words every text: a key missing from one would leave a page blank.
        mismatched = set(self.texts) ^ set(REDWOOD_TEXTS)
        if mismatched:
            raise ValueError(f"UI variant {self.name}: texts differ in keys {sorted(mismatched)}")
        # JET's own translations are replaced only where the variant's wording differs, so the
        # default variant shows whatever the installed JET says.
        overrides = {}
        if self.texts["lov.no_matches"] != JET_NO_MATCHES:
            overrides["select_noMatchesFound"] = self.texts["lov.no_matches"]
        object.__setattr__(self, "jet_translations", MappingProxyType(overrides))

    def text(self, key: str) -> str:
        """The variant's text for ``key`` (KeyError for a key no variant knows)."""
        return self.texts[key]

    def order_number(self, stored: str) -> str:
        """An order number as this variant's pages and REST show it."""
        return f"{self.order_number_prefix}{stored}"

    def page_config(self) -> dict[str, object]:
        """What page scripts read (``common/ui.js``): the variant's name, texts, JET overrides."""
        return {
            "variant": self.name,
            "texts": dict(self.texts),
            "jetTranslations": dict(self.jet_translations),
        }


VARIANTS: Mapping[str, UiVariant] = MappingProxyType(
    {
        "redwood": UiVariant("redwood", REDWOOD_TEXTS),
        "redwood-alt": UiVariant(
            "redwood-alt",
            MappingProxyType({**REDWOOD_TEXTS, **REDWOOD_ALT_CHANGES}),
            order_number_prefix="NCC",
        ),
    }
)


def ui_variant(name: str) -> UiVariant:
    """The variant called ``name`` (the ``sandbox.ui_variant`` setting)."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(
            f"Unknown UI variant {name!r}; choose one of {', '.join(VARIANT_NAMES)}."
        ) from None
