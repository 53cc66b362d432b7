"""UI profiles (config/ui_profile.py): loaded, extended and checked, with every problem named by
its key, so an operator can fix a profile from the message alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.ui_profile import ProfilePattern, UiProfileError, load_ui_profile


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_profiles_load_and_every_text_knows_its_key() -> None:
    redwood = load_ui_profile("redwood")
    alt = load_ui_profile("redwood-alt")
    assert redwood.po.create.procurement_bu == "Procurement BU"
    assert alt.po.create.procurement_bu == "Procurement Business Unit"
    assert alt.po.create.procurement_bu.key == "po.create.procurement_bu"
    assert alt.po.order.heading_pattern.key == "po.order.heading_pattern"
    assert all(value.key == key for key, value in alt.texts())


def test_an_extending_profile_names_only_what_differs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "council",
        'extends = "redwood"\n[po.order]\nbuyer = "Buyer Name"\n',
    )
    profile = load_ui_profile(str(path))
    assert profile.name == "council"
    assert profile.po.order.buyer == "Buyer Name"
    assert profile.po.create.supplier == "Supplier"  # from redwood


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "typo", 'extends = "redwood"\n[po.create]\nprocurment_bu = "BU"\n')
    with pytest.raises(UiProfileError, match=r"po\.create\.procurment_bu: unknown key"):
        load_ui_profile(str(path))


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    shipped = (Path(__file__).resolve().parents[2] / "config/ui_profiles/redwood.toml").read_text()
    path = write(tmp_path, "short", shipped.replace('buyer = "Buyer"\n', ""))
    with pytest.raises(UiProfileError, match=r"po\.order\.buyer: missing"):
        load_ui_profile(str(path))


def test_a_pattern_without_the_number_group_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "nogroup",
        "extends = \"redwood\"\n[po.order]\nheading_pattern = '^Purchase Order (\\\\d+)'\n",
    )
    with pytest.raises(UiProfileError, match=r"po\.order\.heading_pattern: needs the named group"):
        load_ui_profile(str(path))


def test_a_pattern_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad", "extends = \"redwood\"\n[po.order]\nconfirmation_pattern = '(('\n"
    )
    with pytest.raises(UiProfileError, match=r"po\.order\.confirmation_pattern: is not a valid"):
        load_ui_profile(str(path))


def test_a_path_without_its_placeholder_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "nopath", 'extends = "redwood"\n[po.order]\npath = "/orders/edit"\n')
    with pytest.raises(UiProfileError, match=r"po\.order\.path: needs the placeholder"):
        load_ui_profile(str(path))


def test_option_text_must_name_a_field_and_the_value(tmp_path: Path) -> None:
    unknown = write(
        tmp_path, "u", 'extends = "redwood"\n[option_text]\n"po.create.suplier" = "{value}"\n'
    )
    with pytest.raises(UiProfileError, match=r"option_text names no field: po\.create\.suplier"):
        load_ui_profile(str(unknown))
    novalue = write(
        tmp_path, "v", 'extends = "redwood"\n[option_text]\n"po.create.supplier" = "{code}"\n'
    )
    with pytest.raises(UiProfileError, match=r"option_text\.po\.create\.supplier: needs"):
        load_ui_profile(str(novalue))


def test_a_profile_that_does_not_exist_lists_the_shipped_ones() -> None:
    with pytest.raises(
        UiProfileError, match=r"not found \(shipped profiles: redwood, redwood-alt\)"
    ):
        load_ui_profile("redwod")


def test_an_extends_loop_is_stopped(tmp_path: Path) -> None:
    write(tmp_path, "a", 'extends = "b.toml"\n')
    write(tmp_path, "b", 'extends = "a.toml"\n')
    with pytest.raises(UiProfileError, match="chains more than"):
        load_ui_profile(str(tmp_path / "a.toml"))


def test_option_templates_match_name_number_rows_only_for_that_name() -> None:
    alt = load_ui_profile("redwood-alt")
    matcher = alt.option_matcher(alt.po.create.supplier, "Acme Widgets Ltd")
    assert matcher.match("Acme Widgets Ltd 3012")
    assert matcher.match("acme  widgets ltd NCC-3012")
    assert not matcher.match("Acme Widgets Ltd")
    assert not matcher.match("Acme Widgets Ltd Group 3013")
    bare = alt.option_matcher(alt.po.create.currency, "GBP")
    assert bare.match(" gbp ") and not bare.match("GBP 1")


def test_patterns_for_the_browser_drop_python_only_syntax() -> None:
    pattern = ProfilePattern("(?i)^Purchase Order (?P<number>[A-Z0-9-]+)")
    assert pattern.for_browser.pattern == "^Purchase Order ([A-Z0-9-]+)"
    assert pattern.search("purchase order NCC1004542")["number"] == "NCC1004542"  # type: ignore[index]
