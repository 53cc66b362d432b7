"""One attempt at a supplier change against fake pages and a fake Oracle (no browser): it re-reads
Oracle first, types only what still differs, and checks that the change landed.

The fakes keep the real page objects' interface (bots.pages.SupplierPages); the real pages are
tested against the sandbox in tests/flows/test_sync_suppliers_apply.py and tests/sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pytest

from bots.errors import BusinessRuleError, PageTimeoutError
from bots.supplier_models import AddressInput, ContactInput, SiteInput, SupplierProfileInput
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.oracle_actions import AttemptResult, VerificationError, attempt_change
from flows.sync_suppliers.oracle_model import OracleSnapshot, OracleSupplier
from flows.sync_suppliers.plan_model import Action
from tests.flows.test_supplier_support import oracle, source

TODAY = date(2026, 12, 3)


@dataclass
class FakeOracle:
    """Suppliers by id; the fake pages change them, the fake reader reads them."""

    suppliers: dict[str, OracleSupplier] = field(default_factory=dict)
    typed: list[tuple[str, object]] = field(default_factory=list)  # (page action, input)
    lose_edits: bool = False  # the page reports success but Oracle keeps the old values
    failures: list[Exception] = field(default_factory=list)

    def add(self, supplier: OracleSupplier) -> None:
        self.suppliers[supplier.supplier_id] = supplier


class FakeSupplierPage:
    def __init__(self, oracle: FakeOracle, supplier_id: str) -> None:
        self.oracle = oracle
        self.id = supplier_id

    @property
    def supplier_id(self) -> str:
        return self.id

    def supplier_number(self) -> str:
        return self.oracle.suppliers[self.id].number

    def edit_profile(self, profile: SupplierProfileInput) -> None:
        if self.oracle.failures:
            raise self.oracle.failures.pop(0)
        self.oracle.typed.append(("edit_profile", profile))
        if self.oracle.lose_edits:
            return
        given = {
            name: value
            for name in ("supplier_type", "business_relationship", "duns_number", "taxpayer_id")
            if (value := getattr(profile, name)) is not None
        }
        self.oracle.suppliers[self.id] = replace(self.oracle.suppliers[self.id], **given)

    # The other drawers are not used by these tests: a call is a test failure.
    def create_address(self, address: AddressInput) -> None:
        raise AssertionError("no address change was planned")

    def edit_address(self, current_name: str, address: AddressInput) -> None:
        raise AssertionError("no address change was planned")

    def create_site(self, site: SiteInput) -> None:
        raise AssertionError("no site change was planned")

    def edit_site(self, current_name: str, site: SiteInput) -> None:
        raise AssertionError("no site change was planned")

    def create_contact(self, contact: ContactInput) -> None:
        raise AssertionError("no contact change was planned")

    def edit_contact(self, current_name: str, contact: ContactInput) -> None:
        raise AssertionError("no contact change was planned")


class FakeSuppliersPage:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def open(self) -> FakeSuppliersPage:
        return self

    def create_supplier(self, profile: SupplierProfileInput) -> FakeSupplierPage:
        raise AssertionError("no supplier was to be created")


class FakeSupplierOpener:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def open(self, supplier_id: str) -> FakeSupplierPage:
        return FakeSupplierPage(self.oracle, supplier_id)


class FakePages:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def suppliers(self) -> FakeSuppliersPage:
        return FakeSuppliersPage(self.oracle)

    def supplier(self) -> FakeSupplierOpener:
        return FakeSupplierOpener(self.oracle)


class FakeReader:
    """Oracle's suppliers as the flow reads them (REST in production)."""

    source = "fake"

    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle
        self.reads = 0

    def snapshot(self) -> OracleSnapshot:
        return OracleSnapshot(tuple(self.oracle.suppliers.values()), self.source)

    def details(self, supplier: OracleSupplier) -> OracleSupplier:
        return self.oracle.suppliers[supplier.supplier_id]

    def candidates(self, source: SourceSupplier) -> list[OracleSupplier]:
        self.reads += 1
        return list(self.oracle.suppliers.values())


@pytest.fixture
def world() -> FakeOracle:
    fake = FakeOracle()
    fake.add(oracle("Wensum Valley Ecology Ltd", "30100", supplier_type="Services"))
    fake.add(oracle("Yare Valley Tree Care Ltd", "30101", supplier_type="Services"))
    return fake


def _attempt(
    world: FakeOracle, wanted: SourceSupplier, created: list[str] | None = None
) -> AttemptResult:
    return attempt_change(
        FakePages(world),
        FakeReader(world),
        wanted,
        TODAY,
        on_created=(created if created is not None else []).append,
    )


def test_only_what_differs_is_typed_and_the_change_is_read_back(world: FakeOracle) -> None:
    wanted = source("Wensum Valley Ecology Ltd", supplier_type="Supplier")
    result = _attempt(world, wanted)
    assert [action for action, _ in world.typed] == ["edit_profile"]
    (_, profile) = world.typed[0]
    assert isinstance(profile, SupplierProfileInput) and profile.supplier_type == "Supplier"
    assert profile.business_relationship is None  # only the field that differs
    assert result.applied.action is Action.UPDATE
    assert result.after.supplier_type == "Supplier"
    assert result.before is not None and result.before.supplier_type == "Services"


def test_a_second_attempt_after_the_change_landed_types_nothing(world: FakeOracle) -> None:
    """A retry (or a rerun after a crash) re-reads Oracle first: nothing is typed twice."""
    wanted = source("Wensum Valley Ecology Ltd", supplier_type="Supplier")
    _attempt(world, wanted)
    again = _attempt(world, wanted)
    assert len(world.typed) == 1
    assert again.applied.action is Action.UNCHANGED


def test_an_edit_that_did_not_land_fails_the_attempt_for_a_retry(world: FakeOracle) -> None:
    world.lose_edits = True
    with pytest.raises(VerificationError, match="still different: supplier_type"):
        _attempt(world, source("Wensum Valley Ecology Ltd", supplier_type="Supplier"))


def test_a_page_failure_leaves_oracle_for_the_retry_to_reread(world: FakeOracle) -> None:
    world.failures.append(PageTimeoutError("the drawer did not open in time"))
    wanted = source("Wensum Valley Ecology Ltd", supplier_type="Supplier")
    with pytest.raises(PageTimeoutError):
        _attempt(world, wanted)
    assert world.suppliers["300000052030100"].supplier_type == "Services"
    _attempt(world, wanted)  # the retry
    assert world.suppliers["300000052030100"].supplier_type == "Supplier"


def test_an_ambiguous_match_found_on_rereading_is_a_refusal(world: FakeOracle) -> None:
    """Another supplier took the same number since the plan: a person decides."""
    world.add(oracle("Wensum Valley Ecology (2019) Ltd", "30100", supplier_id="999"))
    with pytest.raises(BusinessRuleError, match="conflict found when re-reading Oracle"):
        _attempt(world, source("Wensum Valley Ecology Ltd", number="30100", supplier_type="X"))
    assert world.typed == []
