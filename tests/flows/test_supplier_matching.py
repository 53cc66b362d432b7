"""Matching the file's suppliers to Oracle's: number, else taxpayer ID, else name; conflicts."""

from __future__ import annotations

from flows.sync_suppliers.matching import SupplierIndex
from tests.flows.test_supplier_support import oracle, source

ACME = oracle("Acme Highways Ltd", "30001", taxpayer_id="01234567")
BETA = oracle("Beta Care Limited", "30002", taxpayer_id="07654321")
GAMMA = oracle("Gamma Fleet Ltd", "30003")
INDEX = SupplierIndex([ACME, BETA, GAMMA])


def test_matches_by_supplier_number_first() -> None:
    """A number wins over a differing name: the supplier is renamed, not created."""
    match = INDEX.match(source("Acme Highways Maintenance Ltd", number="30001"))
    assert (match.supplier, match.by, match.conflict) == (ACME, "supplier_number", None)


def test_matches_by_taxpayer_id_when_no_number() -> None:
    """Without a number, the taxpayer ID finds the supplier even under a new name."""
    match = INDEX.match(source("Acme Roads Ltd", taxpayer_id="01234567"))
    assert (match.supplier, match.by) == (ACME, "taxpayer_id")


def test_matches_by_normalised_name_last() -> None:
    """Case, punctuation and Ltd/Limited do not stop a name match."""
    match = INDEX.match(source("BETA CARE LTD."))
    assert (match.supplier, match.by) == (BETA, "name")


def test_unknown_taxpayer_id_falls_through_to_the_name() -> None:
    """A taxpayer ID Oracle lacks does not stop a name match when Oracle has none recorded."""
    match = INDEX.match(source("Gamma Fleet Limited", taxpayer_id="05555555"))
    assert (match.supplier, match.by) == (GAMMA, "name")


def test_no_match_is_a_new_supplier() -> None:
    """A supplier found by no key is new: no match and no conflict."""
    match = INDEX.match(source("Delta Digital Ltd", taxpayer_id="08888888"))
    assert match.supplier is None and match.conflict is None


def test_unknown_supplier_number_is_a_conflict() -> None:
    """Oracle assigns numbers, so a number it does not know is for a person to sort out."""
    match = INDEX.match(source("Acme Highways Ltd", number="39999"))
    assert match.supplier is None
    assert match.conflict is not None and "no Oracle supplier has number 39999" in match.conflict


def test_name_match_with_a_different_taxpayer_id_is_a_conflict() -> None:
    """Same name, different taxpayer ID: possibly another company of that name."""
    match = INDEX.match(source("Beta Care Ltd", taxpayer_id="09999999"))
    assert match.conflict == (
        "the name matches Oracle supplier Beta Care Limited (30002), whose taxpayer ID is "
        "07654321, not 09999999"
    )


def test_two_suppliers_with_one_taxpayer_id_is_a_conflict() -> None:
    """A taxpayer ID held by two Oracle suppliers gives two candidates."""
    twin = oracle("Acme Roads Ltd", "30004", taxpayer_id="01234567")
    match = SupplierIndex([ACME, twin]).match(source("Acme", taxpayer_id="01234567"))
    assert match.conflict is not None and "held by 2 Oracle suppliers" in match.conflict


def test_two_suppliers_with_one_name_is_a_conflict() -> None:
    """Two Oracle suppliers whose names normalise alike give two candidates."""
    twin = oracle("ACME HIGHWAYS LIMITED", "30005")
    match = SupplierIndex([ACME, twin]).match(source("Acme Highways Ltd"))
    assert match.conflict is not None and "2 Oracle suppliers have this name" in match.conflict


def test_number_and_taxpayer_id_pointing_at_different_suppliers_is_a_conflict() -> None:
    """The number finds one supplier while the taxpayer ID belongs to another: ambiguous."""
    match = INDEX.match(source("Acme Highways Ltd", number="30001", taxpayer_id="07654321"))
    assert match.conflict is not None
    assert "taxpayer ID 07654321 belongs to Beta Care Limited (30002)" in match.conflict


def test_taxpayer_match_whose_name_belongs_to_another_supplier_is_a_conflict() -> None:
    """Renaming the matched supplier would give it another supplier's name: ambiguous."""
    match = INDEX.match(source("Gamma Fleet Ltd", taxpayer_id="01234567"))
    assert match.conflict is not None
    assert "the name 'Gamma Fleet Ltd' belongs to Gamma Fleet Ltd (30003)" in match.conflict
