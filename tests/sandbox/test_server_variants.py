"""UI variants over HTTP: the texts the pages are served with, and order numbers in REST.

"redwood-alt" is the same sandbox as another Fusion release and tenant show it; these tests pin
every difference it has from "redwood" (and that there are no others), without a browser. The
pages' scripted texts (headings, confirmations, option texts) are checked in Chromium in
test_pages_variants.py.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

from config.settings import SandboxSettings
from sandbox.app import WEB_DIR
from sandbox.cli import sandbox_group
from sandbox.pages import PageFiles
from sandbox.ui_variants import REDWOOD_TEXTS, VARIANT_NAMES, VARIANTS, ui_variant
from tests.conftest import AsgiClient

USER, PASSWORD = "RPA.PROCUREMENT", "Sandbox-Welcome1"
REST = "/fscmRestApi/resources/11.13.18.05"
ORDER_PAGE = "/fscmUI/redwood/purchase-orders/manage/edit?poHeaderId={id}&intent=Buyer"

# Every difference of redwood-alt, as the brief for it lists them (redwood's text -> alt's).
ALT_DIFFERENCES = {
    "po.create_button": ("Create Purchase Order", "Create Order"),
    "po.create_drawer": ("New purchase order", "Create Order"),
    "po.create.procurement_bu": ("Procurement BU", "Procurement Business Unit"),
    "po.create.requisitioning_bu": ("Requisitioning BU", "Requisitioning Business Unit"),
    "po.create.ship_to_location": ("Default Ship-to Location", "Ship-to Location"),
    "po.create.supplier_option": ("{Supplier}", "{Supplier} {SupplierNumber}"),
    "po.order.heading": ("Purchase Order {number}", "Purchase Order: {number}"),
    "po.order.add_line_button": ("Add Line", "Add Row"),
    "po.order.submitted": (
        "Purchase order {number} was submitted for approval.",
        "Purchase order {number} has been submitted.",
    ),
    "po.line.drawer": ("Add line", "Create Line"),
    "po.line.uom": ("UOM", "UOM Name"),
    "po.line.price": ("Price", "Unit Price"),
    "po.distribution.charge_account": ("PO Charge Account", "Charge Account"),
    "supplier.heading": ("Supplier: {name}", "Supplier Profile: {name}"),
    "supplier.profile_tab": ("Profile", "Organization Details"),
    "supplier.tax_organization_type": ("Tax Organization Type", "Tax Organisation Type"),
    "supplier.duns_number": ("D-U-N-S Number", "DUNS Number"),
    "supplier.address.postal_code": ("Postal Code", "Postcode"),
    "lov.no_matches": ("No matches found.", "No matches found"),
}


def sign_in(client: AsgiClient) -> None:
    response = client.post("/signin", data={"username": USER, "password": PASSWORD})
    assert response.status_code == 303, response.text


@pytest.fixture
def alt(sandbox_app: Callable[..., Starlette]) -> AsgiClient:
    client = AsgiClient(sandbox_app(ui_variant="redwood-alt"))
    sign_in(client)
    return client


@pytest.fixture
def redwood(sandbox_app: Callable[..., Starlette]) -> AsgiClient:
    client = AsgiClient(sandbox_app())
    sign_in(client)
    return client


def rest_get(client: AsgiClient, path: str, **params: Any) -> httpx.Response:
    """A REST read as the bots make it (framework version 4: row-match q, e.g. LIKE)."""
    return client.get(
        f"{REST}/{path}",
        params=params,
        auth=(USER, PASSWORD),
        headers={"REST-Framework-Version": "4"},
    )


def rest_post(client: AsgiClient, path: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return client.post(f"{REST}/{path}", json=body, auth=(USER, PASSWORD), **kw)


def labels(page: str) -> set[str]:
    """Every label, label-hint and aria-label the page is served with (HTML unescaped)."""
    found = re.findall(r'\s(?:label|label-hint|aria-label)="([^"\[{]*)"', page)
    return {html.unescape(text) for text in found}


def page_config(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="sbx-page-config">(.*?)</script>', page)
    assert match, "the page has no page-config block"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


# --- the variant table -----------------------------------------------------------------------


def test_variants_are_the_settings_values() -> None:
    """Every value the ui_variant setting accepts has a variant, and no variant is unreachable."""
    assert set(VARIANTS) == set(VARIANT_NAMES) == {"redwood", "redwood-alt"}
    with pytest.raises(ValueError, match="redwood-alt"):
        ui_variant("classic")


def test_redwood_alt_differs_in_exactly_the_listed_texts() -> None:
    """redwood-alt's texts are redwood's except the listed ones; its orders are numbered NCC…."""
    redwood, alt = VARIANTS["redwood"], VARIANTS["redwood-alt"]
    differing = {key for key in REDWOOD_TEXTS if redwood.text(key) != alt.text(key)}
    assert differing == set(ALT_DIFFERENCES)
    for key, (before, after) in ALT_DIFFERENCES.items():
        assert (redwood.text(key), alt.text(key)) == (before, after), key
    assert (redwood.order_number_prefix, alt.order_number_prefix) == ("", "NCC")
    assert alt.order_number("1004542") == "NCC1004542"
    assert dict(redwood.jet_translations) == {}
    assert dict(alt.jet_translations) == {"select_noMatchesFound": "No matches found"}


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_every_page_names_only_known_texts(variant: str) -> None:
    """Each shipped page renders in each variant with every %{key} filled in."""
    pages = PageFiles(WEB_DIR, ui_variant(variant))
    for file in sorted((WEB_DIR / "pages").glob("*.html")):
        rendered = pages.render(file.name)
        assert rendered is not None
        assert not re.search(r"%\{[A-Za-z0-9_.-]+\}", rendered), file.name
        config = page_config(rendered)
        assert config["variant"] == variant
        assert config["texts"] == dict(ui_variant(variant).texts)


def test_an_unknown_text_is_a_clear_server_error(
    sandbox_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    """A page naming a text no variant has answers 500 naming the page and the key."""
    web = tmp_path / "web"
    (web / "pages").mkdir(parents=True)
    (web / "pages" / "signin.html").write_text('<b label="%{no.such.text}"></b>', "utf-8")
    response = AsgiClient(sandbox_app(web_dir=web)).get("/signin")
    assert response.status_code == 500
    assert "signin.html" in response.text and "%{no.such.text}" in response.text


def test_texts_are_escaped_for_html(tmp_path: Path) -> None:
    """A text goes into the page HTML-escaped, and the JSON block can't end its <script> early."""
    web = tmp_path / "web"
    (web / "pages").mkdir(parents=True)
    (web / "head.html").write_text("  <!-- sandbox:page-config -->\n", "utf-8")
    (web / "pages" / "p.html").write_text(
        '<head>\n  <!-- sandbox:head -->\n</head><b label="%{po.create_drawer}"></b>', "utf-8"
    )
    variant = ui_variant("redwood")
    sly = type(variant)("sly", {**variant.texts, "po.create_drawer": 'A "b" <c> & </script>'})
    rendered = PageFiles(web, sly).render("p.html")
    assert rendered is not None
    assert 'label="A &quot;b&quot; &lt;c&gt; &amp; &lt;/script&gt;"' in rendered
    assert rendered.count("</script>") == 1
    assert page_config(rendered)["texts"]["po.create_drawer"] == 'A "b" <c> & </script>'


# --- the served pages ------------------------------------------------------------------------


def create_drawer_labels(page: str) -> list[str]:
    """The field labels of the work area's create drawer, in order."""
    drawer = page[page.index('id="sbx-create-order"') :]
    drawer = drawer[: drawer.index("</oj-c-form-layout>")]
    return [html.unescape(text) for text in re.findall(r'label-hint="([^"]*)"', drawer)]


def test_purchase_order_pages_are_served_with_the_variants_labels(
    redwood: AsgiClient, alt: AsgiClient
) -> None:
    """Work area, create drawer, order page and its drawers and dialogs carry each variant's
    own labels; the create drawer has Oracle's eight fields and no others."""
    order = ORDER_PAGE.format(id=300000060000001)
    for client, variant in ((redwood, "redwood"), (alt, "redwood-alt")):
        texts = VARIANTS[variant].texts
        orders_html = client.get("/fscmUI/redwood/purchase-orders/").text
        orders_page = labels(orders_html)
        order_page = labels(client.get(order).text)
        assert {texts["po.create_button"], texts["po.create_drawer"]} <= orders_page, variant
        assert create_drawer_labels(orders_html) == [
            "Document Style",
            texts["po.create.procurement_bu"],
            texts["po.create.requisitioning_bu"],
            "Supplier",
            "Supplier Site",
            "Supplier Contact",
            "Currency",
            texts["po.create.ship_to_location"],
        ], variant
        assert {
            "Description",
            "Buyer",
            "Save",
            "Submit",
            "Delete",
            "Lines",
            "Schedules",
            "Distributions",
            texts["po.order.add_line_button"],
            texts["po.line.drawer"],
            "Line Type",
            "Item",
            "Category",
            "Quantity",
            texts["po.line.uom"],
            texts["po.line.price"],
            "Edit Schedule",
            "Need-by Date",
            "Ship-to Location",
            "Edit Distribution",
            texts["po.distribution.charge_account"],
            "Deliver-to Location",
            "Requester",
        } <= order_page, variant

    orders_page = labels(alt.get("/fscmUI/redwood/purchase-orders/").text)
    order_page = labels(alt.get(order).text)
    redwood_only = {"Create Purchase Order", "New purchase order", "Procurement BU"}
    assert not redwood_only & orders_page
    assert not {"Add Line", "Add line", "UOM", "Price", "PO Charge Account"} & order_page
    # The order page's read-only header keeps its labels: only the create drawer's changed.
    assert {"Procurement BU", "Requisitioning BU", "Default Ship-to Location"} <= order_page


def test_dialogs_and_row_buttons_are_worded_alike_in_both_variants() -> None:
    """The Delete and Warning dialogs, their Yes and No, and the row edit buttons' names are
    the same texts in redwood-alt (only the listed differences differ)."""
    redwood, alt = VARIANTS["redwood"], VARIANTS["redwood-alt"]
    for key in (
        "po.order.delete_dialog",
        "po.order.funds_warning_dialog",
        "po.order.funds_warning",
        "dialog.yes",
        "dialog.no",
        "po.schedule.edit_button",
        "po.schedule.drawer",
        "po.distribution.edit_button",
        "po.distribution.drawer",
    ):
        assert redwood.text(key) == alt.text(key), key
    assert redwood.text("po.order.funds_warning_dialog") == "Warning"
    assert (redwood.text("dialog.yes"), redwood.text("dialog.no")) == ("Yes", "No")
    assert redwood.text("po.schedule.edit_button").format(line=1, schedule=1) == (
        "Edit schedule 1-1"
    )
    edit_distribution = redwood.text("po.distribution.edit_button")
    assert edit_distribution.format(line=1, schedule=1, distribution=1) == "Edit distribution 1-1-1"


def test_supplier_pages_are_served_with_the_variants_labels(
    redwood: AsgiClient, alt: AsgiClient
) -> None:
    """Create Supplier drawer, Profile fields and the Address drawer carry each variant's labels."""
    for client, names in (
        (redwood, {"Tax Organization Type", "D-U-N-S Number", "Postal Code"}),
        (alt, {"Tax Organisation Type", "DUNS Number", "Postcode"}),
    ):
        suppliers = labels(client.get("/fscmUI/redwood/suppliers/").text)
        supplier = labels(client.get("/fscmUI/redwood/suppliers/300000052000001").text)
        assert names - {"Postal Code", "Postcode"} <= suppliers
        assert names <= supplier
    alt_pages = labels(alt.get("/fscmUI/redwood/suppliers/300000052000001").text) | labels(
        alt.get("/fscmUI/redwood/suppliers/").text
    )
    assert not {"Tax Organization Type", "D-U-N-S Number", "Postal Code"} & alt_pages


def test_pages_tell_their_scripts_the_variant_and_the_order_page_path(alt: AsgiClient) -> None:
    """The JSON block gives the page scripts the variant's texts, JET overrides and paths."""
    config = page_config(alt.get("/fscmUI/redwood/purchase-orders/").text)
    assert config["variant"] == "redwood-alt"
    assert config["texts"]["po.order.heading"] == "Purchase Order: {number}"
    assert config["texts"]["po.create.supplier_option"] == "{Supplier} {SupplierNumber}"
    assert config["jetTranslations"] == {"select_noMatchesFound": "No matches found"}
    assert config["paths"]["purchaseOrder"] == ORDER_PAGE


# --- order numbers in REST -------------------------------------------------------------------


def test_alt_order_numbers_carry_the_prefix_in_rest(redwood: AsgiClient, alt: AsgiClient) -> None:
    """redwood-alt reads OrderNumber as NCC<number> in both order resources and in q look-ups;
    redwood's are the bare numbers."""
    plain = rest_get(redwood, "purchaseOrders", q="OrderNumber='1004500'").json()["items"]
    assert [o["OrderNumber"] for o in plain] == ["1004500"]
    header_id = plain[0]["POHeaderId"]

    found = rest_get(alt, "purchaseOrders", q="OrderNumber='NCC1004500'").json()["items"]
    assert [(o["POHeaderId"], o["OrderNumber"]) for o in found] == [(header_id, "NCC1004500")]
    assert rest_get(alt, "purchaseOrders", q="OrderNumber='1004500'").json()["items"] == []
    assert rest_get(alt, f"purchaseOrders/{header_id}").json()["OrderNumber"] == "NCC1004500"
    numbers = [o["OrderNumber"] for o in rest_get(alt, "purchaseOrders", limit=500).json()["items"]]
    assert len(numbers) == 42 and all(re.fullmatch(r"NCC\d{7}", n) for n in numbers)
    liked = rest_get(alt, "purchaseOrders", q="OrderNumber LIKE 'NCC100451%'").json()
    assert liked["count"] == 10
    drafts = rest_get(alt, "draftPurchaseOrders", limit=500).json()["items"]
    assert drafts and all(d["OrderNumber"].startswith("NCC") for d in drafts)


def test_alt_new_orders_and_oracles_messages_use_the_prefixed_number(alt: AsgiClient) -> None:
    """A draft created in redwood-alt is numbered NCC…, and Oracle's messages name it so."""
    created = rest_post(
        alt,
        "draftPurchaseOrders",
        {
            "ProcurementBU": "NCC Highways BU",
            "Supplier": "Broadland Highways Maintenance Ltd",
            "SupplierSite": "BHM-NORWICH",
            "Description": "Variant check",
        },
    )
    assert created.status_code == 201, created.text
    number = created.json()["OrderNumber"]
    assert re.fullmatch(r"NCC\d{7}", number), number
    header_id = created.json()["POHeaderId"]
    again = rest_get(alt, "draftPurchaseOrders", q=f"OrderNumber='{number}'").json()["items"]
    assert [d["POHeaderId"] for d in again] == [header_id]

    submit = rest_post(
        alt,
        f"draftPurchaseOrders/{header_id}/action/submit",
        {},
        headers={"Content-Type": "application/vnd.oracle.adf.action+json"},
    )
    assert submit.status_code == 400
    assert submit.text == f"You must add at least one line to purchase order {number}."


# --- rpa sandbox serve ------------------------------------------------------------------------


def test_serve_takes_the_ui_variant_and_sign_in_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--ui-variant and --sign-in override the settings (here from RPA_SANDBOX__*)."""
    served: list[SandboxSettings] = []
    monkeypatch.setattr(
        "sandbox.server.serve", lambda settings, data_dir, **kw: served.append(settings)
    )
    monkeypatch.setenv("RPA_HOME", str(tmp_path))
    monkeypatch.setenv("RPA_SANDBOX__SIGN_IN", "sso")
    runner = CliRunner()
    result = runner.invoke(sandbox_group, ["serve", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (served[-1].ui_variant, served[-1].sign_in) == ("redwood", "sso")

    args = ["serve", "--data-dir", str(tmp_path / "d"), "--ui-variant", "redwood-alt"]
    result = runner.invoke(sandbox_group, [*args, "--sign-in", "two-step"])
    assert result.exit_code == 0, result.output
    assert (served[-1].ui_variant, served[-1].sign_in) == ("redwood-alt", "two-step")

    result = runner.invoke(sandbox_group, ["serve", "--ui-variant", "classic"])
    assert result.exit_code == 2 and "redwood-alt" in result.output
