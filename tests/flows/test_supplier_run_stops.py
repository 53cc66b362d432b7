"""A whole sync-suppliers apply that stops early, with fakes for Oracle (no browser): a page
unlike the UI profile, a refused sign-in, the failed-items breaker. What the run record, the
report, the ledger and ``changes.json`` say afterwards, and that the next run takes the change
left in hand again.

The run is the real one (ledger on SQLite, run record, evidence folder); only the browser session
and the supplier reads are replaced, where the flow opens them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bots.errors import PageTimeoutError, SignInRefusedError, StructuralMismatchError
from config.settings import OracleSettings, RetrySettings, Settings
from flows.common.outcomes import ItemStatus
from flows.sync_suppliers.book import FLOW, ChangeBook, Taken
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.input_model import SourceSupplier
from flows.sync_suppliers.input_reader import read_supplier_file
from flows.sync_suppliers.oracle_model import OracleSupplier
from flows.sync_suppliers.planner import diff_supplier
from flows.sync_suppliers.report import result_json
from flows.sync_suppliers.run import CHANGES_JSON, run_sync
from rpa.evidence_store import EvidenceStore
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.oracle_target import ConfiguredOracle, OracleTarget
from rpa.run_record import RunStatus, get_run
from rpa.sign_in_gate import SignInGate
from rpa.trigger import detect_trigger
from tests.flows.test_supplier_attempt_logic import FakeOracle, FakePages, FakeReader
from tests.flows.test_supplier_support import supplier_row, write_supplier_file

BASE_URL = "https://pod.example.gov.uk"
SCOPE = ItemScope(FLOW, BASE_URL)
TODAY = date(2026, 12, 3)
NAMES = [f"Stop Test {n} Ltd" for n in range(1, 5)]


class ErringReader(FakeReader):
    """Oracle's suppliers as the flow reads them; reading one a change is about may fail."""

    def __init__(self, oracle: FakeOracle) -> None:
        super().__init__(oracle)
        self.failing: dict[str, Exception] = {}

    def candidates(self, source: SourceSupplier) -> list[OracleSupplier]:
        if source.name in self.failing:
            raise self.failing[source.name]
        return super().candidates(source)


@dataclass
class FakeSession:
    """A browser session that signs in through the run's gate, as the real one does."""

    oracle: FakeOracle
    gate: SignInGate
    sign_in_error: Exception | None
    sign_ins: int = 0
    signed_in: bool = False
    aria_snapshots: list[Path] = field(default_factory=list)
    browser_version: str = "fake 1.0"

    def ready_pages(self) -> FakePages:
        if not self.signed_in:
            self.gate.sign_in(self._sign_in_once)
        return FakePages(self.oracle)

    def _sign_in_once(self) -> None:
        self.sign_ins += 1
        if self.sign_in_error is not None:
            raise self.sign_in_error
        self.signed_in = True

    def session_cookie_values(self) -> list[str]:
        return []

    def start_trace(self, attempt: int) -> None:
        pass

    def stop_trace(self, save_to: Path | None) -> None:
        pass

    def screenshot(self, path: Path) -> Path | None:
        path.write_bytes(b"\x89PNG fake")
        return path

    def aria_snapshot(self, path: Path) -> Path | None:
        self.aria_snapshots.append(path)
        path.write_text('- heading "Supplier" [level=1]\n', encoding="utf-8")
        return path

    def close_context(self) -> None:
        self.signed_in = False

    def close_browser(self) -> None:
        self.signed_in = False

    def item_done(self) -> None:
        pass


@dataclass
class World:
    oracle: FakeOracle = field(default_factory=FakeOracle)
    sign_in_error: Exception | None = None
    sessions: list[FakeSession] = field(default_factory=list)
    reader: ErringReader | None = None

    def open_session(self, target: OracleTarget, browser: Any, *, sign_in_gate: SignInGate) -> Any:
        @contextmanager
        def opened() -> Iterator[FakeSession]:
            session = FakeSession(self.oracle, sign_in_gate, self.sign_in_error)
            self.sessions.append(session)
            yield session

        return opened()


class _NoRest:
    def __init__(self, _target: OracleTarget) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    fake = World()
    fake.reader = ErringReader(fake.oracle)
    monkeypatch.setattr("flows.sync_suppliers.worker.OracleSession", fake.open_session)
    monkeypatch.setattr("flows.sync_suppliers.run.OracleRestReader", _NoRest)
    monkeypatch.setattr("flows.sync_suppliers.run.RestSupplierReader", lambda _rest: fake.reader)
    return fake


def _settings(home: Path, *, breaker: int = 5) -> Settings:
    return Settings(
        home=home,
        oracle=OracleSettings(base_url=BASE_URL, username="SVC", password=SecretStr("pw-1")),
        retry=RetrySettings(
            attempts=1, initial_wait_s=0, max_wait_s=0, abort_after_failed_items=breaker
        ),
    )


def _supplier_file(tmp_path: Path) -> Path:
    """Four suppliers Oracle does not have yet: four creates."""
    rows = [
        supplier_row(
            supplier_name=name,
            taxpayer_id=f"5550000{n}",
            duns_number=f"55500000{n}",
            site_name=f"STOP-{n}",
            contact_email=f"buyer{n}@stop.example",
        )
        for n, name in enumerate(NAMES, start=1)
    ]
    return write_supplier_file(tmp_path / "suppliers.csv", rows)


def _apply(settings: Settings, path: Path, run_id: str) -> SyncResult:
    result, _recorder = run_sync(
        settings,
        SyncOptions(input_path=path, plan_only=False, today=TODAY),
        trigger=detect_trigger(operator="pytest"),
        run_id=run_id,
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result


def _statuses(result: SyncResult) -> list[tuple[str, ItemStatus]]:
    return [(r.change.supplier, r.status) for r in result.reports]


def _ledger_states(settings: Settings) -> dict[str, tuple[ItemState, int]]:
    with Ledger(settings.effective_ledger_url) as ledger:
        return {
            item.item_key.split(":")[0]: (item.state, item.claim_count)
            for item in ledger.items(SCOPE)
        }


def test_a_mismatch_aborts_the_apply_and_leaves_the_change_in_hand_pending(
    tmp_path: Path, world: World
) -> None:
    settings = _settings(tmp_path / "home")
    assert world.reader is not None
    world.reader.failing[NAMES[0]] = StructuralMismatchError(
        "supplier.profile.taxpayer_id", "Taxpayer ID", screen="supplier"
    )

    result = _apply(settings, _supplier_file(tmp_path), "run-1")

    sentence = (
        "Stopped: the page does not match the UI profile: supplier.profile.taxpayer_id expects "
        "'Taxpayer ID'; nothing was applied and the 4 changes left stay pending for the next "
        "run. Check the UI profile (rpa doctor --probe-ui), then run again."
    )
    assert result.aborted == sentence
    assert (result.run_status, result.exit_code) == (RunStatus.ABORTED, 4)
    assert [s for _, s in _statuses(result)] == [ItemStatus.PENDING] + [ItemStatus.NOT_STARTED] * 3
    assert result_json(result, "run-1")["aborted"] == sentence
    with Ledger(settings.effective_ledger_url) as ledger:
        record = get_run(ledger, "run-1")
        (item,) = ledger.items(SCOPE)  # only the change in hand was ever taken
    assert record is not None and (record.status, record.message) == (RunStatus.ABORTED, sentence)
    assert item.state is ItemState.ABANDONED  # released: neither rejected nor failed
    run_dir = settings.logs_dir / "runs" / "run-1"
    changes = json.loads((run_dir / CHANGES_JSON).read_text(encoding="utf-8"))
    assert [c["status"] for c in changes["changes"]] == ["pending"] + ["not_started"] * 3
    (session,) = world.sessions
    evidence = EvidenceStore(run_dir / "evidence")
    aria = evidence.item_file(item.item_key.replace(":", "-"), "aria.yaml")
    assert session.aria_snapshots == [aria] and aria.is_file()

    # The next run takes the same item again, knowing an earlier run may have acted on it.
    with Ledger(settings.effective_ledger_url) as ledger:
        book = ChangeBook(ledger, "run-2", BASE_URL)
        book.release_stale()
        source = next(s for s in _sources(tmp_path / "suppliers.csv") if s.name == NAMES[0])
        taken = book.take(diff_supplier(source, None, today=TODAY, by=None), "suppliers.csv")
    assert taken == Taken(item.item_key, resumed=True)


def _sources(path: Path) -> list[SourceSupplier]:
    return list(read_supplier_file(path).suppliers)


def test_a_refused_sign_in_stops_the_apply_before_any_change_is_taken(
    tmp_path: Path, world: World
) -> None:
    settings = _settings(tmp_path / "home")
    world.sign_in_error = SignInRefusedError(
        "Oracle refused the sign-in of SVC: incorrect user name or password", account="SVC"
    )

    result = _apply(settings, _supplier_file(tmp_path), "run-1")

    assert result.aborted == (
        "Stopped: Oracle refused the sign-in of SVC: incorrect user name or password; nothing "
        "was applied and the 4 changes left stay pending for the next run. Fix the service "
        "account (its password, lock or expiry; rpa doctor checks the sign-in), then run again."
    )
    assert result.exit_code == 4
    assert {s for _, s in _statuses(result)} == {ItemStatus.NOT_STARTED}
    assert _ledger_states(settings) == {}  # nothing claimed, nothing rejected
    assert sum(s.sign_ins for s in world.sessions) == 1


def test_the_breaker_aborts_the_apply_after_failures_in_a_row(tmp_path: Path, world: World) -> None:
    settings = _settings(tmp_path / "home", breaker=2)
    assert world.reader is not None
    for name in NAMES:
        world.reader.failing[name] = PageTimeoutError("the supplier search did not load")

    result = _apply(settings, _supplier_file(tmp_path), "run-1")

    assert result.aborted == (
        "Stopped: 2 changes in a row failed after their retries, the last with: the supplier "
        "search did not load; nothing was applied and the 2 changes left stay pending for the "
        "next run. Check that Oracle is up and answering (rpa doctor), then run again."
    )
    assert result.exit_code == 4
    assert [s for _, s in _statuses(result)] == [ItemStatus.FAILED] * 2 + [
        ItemStatus.NOT_STARTED
    ] * 2
    assert sorted(s for s, _ in _ledger_states(settings).values()) == [ItemState.FAILED] * 2
