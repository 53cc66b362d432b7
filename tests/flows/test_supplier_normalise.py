"""Normalising supplier names and values before they are compared."""

from __future__ import annotations

import pytest

from flows.sync_suppliers import normalise


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Anglia Care Partnership Limited", "anglia care partnership"),
        ("ANGLIA CARE  PARTNERSHIP LTD.", "anglia care partnership"),
        ("Anglia Care Partnership", "anglia care partnership"),
        ("Guardian Security (East Anglia) Ltd", "guardian security east anglia"),
        ("Eastern Networks & Cloud Ltd", "eastern networks and cloud"),
        ("Little Acorns Children’s Homes Ltd", "little acorns childrens homes"),
        ("Café Délice Ltd", "cafe delice"),
        ("Limited", "limited"),
    ],
)
def test_name_key_ignores_case_spacing_punctuation_and_limited(written: str, key: str) -> None:
    """Names that differ only in case, spacing, punctuation or Ltd/Limited share a key."""
    assert normalise.name_key(written) == key


def test_name_key_keeps_other_legal_forms() -> None:
    """LLP and CIC are different legal bodies, so they are part of the key."""
    assert normalise.name_key("Tombland Chambers LLP") != normalise.name_key("Tombland Chambers")
    assert normalise.name_key("Wellbeing Norfolk CIC") == "wellbeing norfolk cic"


@pytest.mark.parametrize(
    "code", ["NR1 2DH", "nr12dh", "PE30 5EJ", "EC2A 4NE", "W1A 0AX", "IP24 2AP"]
)
def test_uk_postcodes_are_recognised_in_any_spacing_or_case(code: str) -> None:
    """Real UK postcode shapes are accepted however they are spaced or cased."""
    assert normalise.is_uk_postcode(code)


@pytest.mark.parametrize("code", ["NR1", "12345", "NR1 2CD", "NR1-2DH", "QQ"])
def test_malformed_postcodes_are_not_uk_postcodes(code: str) -> None:
    """Partial postcodes, zip codes and inward codes with unused letters are refused."""
    assert not normalise.is_uk_postcode(code)


def test_postcode_is_upper_case_with_one_space() -> None:
    """Postcodes are stored as Oracle shows them."""
    assert normalise.postcode(" nr1  2dh ") == "NR1 2DH"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("GB", "GB"),
        ("uk", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("ie", "IE"),
        ("Narnia", None),
    ],
)
def test_country_codes_from_codes_and_names(written: str, code: str | None) -> None:
    """Countries are compared by ISO code, whether written as a code or a name."""
    assert normalise.country_code(written) == code
