"""A whole raise-purchase-orders run that stops early, with fake pages (no browser): a page
unlike the UI profile, a refused sign-in, the failed-items breaker. What the run record, the
results, the ``--json`` document, the ledger and the inbox say afterwards, and that the next
run, after the fix, raises what was left.

The run is the real one (ledger on SQLite, run record, evidence folder, inbox); only the browser
session and Oracle's REST search are replaced, where the worker opens them.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bots.errors import PageTimeoutError, SignInRefusedError, StructuralMismatchError
from config.settings import OracleSettings, RetrySettings, Settings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.flow import FlowResult, RaiseOptions
from flows.raise_purchase_orders.report import exit_code, result_json
from flows.raise_purchase_orders.run import run_raise_purchase_orders
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.oracle_target import ConfiguredOracle, OracleTarget
from rpa.run_record import RunStatus, get_run
from rpa.sign_in_gate import SignInGate
from rpa.trigger import detect_trigger
from tests.flows.test_raise_worker_logic import FakeFinder, FakeOracle, FakePages, FakeSession

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "purchase-requests.csv"
BASE_URL = "https://pod.example.gov.uk"
SCOPE = ItemScope("raise-purchase-orders", BASE_URL)


class GatedSession(FakeSession):
    """A fake session that signs in through the run's gate, as the real one does."""

    gate: SignInGate

    def ready_pages(self) -> FakePages:
        if not self.signed_in:
            self.gate.sign_in(self._sign_in_once)
        return FakePages(self.oracle)

    def _sign_in_once(self) -> None:
        self.sign_ins += 1
        if self.sign_in_error is not None:
            raise self.sign_in_error
        self.signed_in = True


@dataclass
class World:
    """The fake Oracle every session of a run drives, and the sessions the runs opened."""

    oracle: FakeOracle
    sign_in_error: Exception | None = None
    sessions: list[GatedSession] | None = None

    def open_session(self, target: OracleTarget, browser: Any, *, sign_in_gate: SignInGate) -> Any:
        @contextmanager
        def opened() -> Iterator[GatedSession]:
            session = GatedSession(self.oracle, sign_in_error=self.sign_in_error)
            session.gate = sign_in_gate
            assert self.sessions is not None
            self.sessions.append(session)
            yield session

        return opened()

    @property
    def sign_ins(self) -> int:
        return sum(s.sign_ins for s in self.sessions or [])


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    fake = World(FakeOracle(), sessions=[])
    finder = FakeFinder(fake.oracle)
    monkeypatch.setattr("flows.raise_purchase_orders.worker.OracleSession", fake.open_session)
    monkeypatch.setattr(
        "flows.raise_purchase_orders.worker.OracleRestReader", lambda _target: finder
    )
    return fake


def _settings(home: Path, *, breaker: int = 5, attempts: int = 2) -> Settings:
    return Settings(
        home=home,
        oracle=OracleSettings(base_url=BASE_URL, username="SVC", password=SecretStr("pw-1")),
        retry=RetrySettings(
            attempts=attempts, initial_wait_s=0, max_wait_s=0, abort_after_failed_items=breaker
        ),
    )


def _inbox_file(settings: Settings, request_ids: list[str]) -> Path:
    with EXAMPLES.open(encoding="utf-8-sig", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["request_id"] in request_ids]
    path = settings.inbox / "orders.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(settings: Settings, run_id: str, workers: int = 1) -> FlowResult:
    result, _recorder = run_raise_purchase_orders(
        settings,
        RaiseOptions(input_path=None, dry_run=False, workers=workers, today=date(2026, 12, 1)),
        trigger=detect_trigger(operator="pytest"),
        run_id=run_id,
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result


def _states(settings: Settings, request_ids: list[str]) -> list[tuple[ItemState, int]]:
    with Ledger(settings.effective_ledger_url) as ledger:
        items = [ledger.get(SCOPE, rid) for rid in request_ids]
    return [(i.state, i.claim_count) for i in items if i is not None]


def _run_record(settings: Settings, run_id: str) -> tuple[RunStatus, str | None]:
    with Ledger(settings.effective_ledger_url) as ledger:
        record = get_run(ledger, run_id)
    assert record is not None
    return record.status, record.message


REQUESTS = ["REQ-2026-0001", "REQ-2026-0002", "REQ-2026-0003"]


def test_a_mismatch_aborts_the_run_leaves_the_rest_pending_and_the_next_run_raises_them(
    tmp_path: Path, world: World
) -> None:
    settings = _settings(tmp_path / "home")
    inbox_file = _inbox_file(settings, REQUESTS)
    world.oracle.failing["REQ-2026-0002"] = StructuralMismatchError(
        "po.line.quantity", "Quantity", "'Qty'", screen="Add line"
    )

    result = _run(settings, "run-1")

    sentence = (
        "Stopped: the page does not match the UI profile: po.line.quantity expects 'Quantity'; "
        "the page shows 'Qty'; 1 was raised and the 2 requests left stay pending for the next "
        "run. Check the UI profile (rpa doctor --probe-ui), then run again."
    )
    assert result.aborted == sentence
    assert (result.run_status, exit_code(result)) == (RunStatus.ABORTED, 4)
    assert [(o.request_id, o.status) for o in result.items] == [
        ("REQ-2026-0001", ItemStatus.RAISED),
        ("REQ-2026-0002", ItemStatus.PENDING),
        ("REQ-2026-0003", ItemStatus.NOT_STARTED),
    ]
    assert _run_record(settings, "run-1") == (RunStatus.ABORTED, sentence)
    document = json.loads(json.dumps(result_json(result, "run-1")))
    assert (document["status"], document["exit_code"], document["aborted"]) == (
        "aborted",
        4,
        sentence,
    )
    assert document["counts"]["pending"] == 1 and document["counts"]["not_started"] == 1
    # Nothing rejected or failed: the one in hand is released, the other never claimed.
    assert _states(settings, REQUESTS) == [
        (ItemState.DONE, 1),
        (ItemState.ABANDONED, 1),
        (ItemState.PENDING, 0),
    ]
    # The file stays in the inbox; its results so far are in the run's folder.
    assert inbox_file.exists() and not (settings.inbox / "processed").exists()
    (report,) = result.files
    assert report.archived_to is None and report.results_file is not None
    assert report.results_file.parent.name == "run-1"
    evidence = settings.logs_dir / "runs" / "run-1" / "evidence"
    assert (evidence / "REQ-2026-0002-aria.yaml").is_file()
    assert (evidence / "REQ-2026-0002-failure.png").is_file()

    world.oracle.failing.clear()  # the profile is fixed
    again = _run(settings, "run-2")

    assert again.aborted is None and exit_code(again) == 0
    assert {o.request_id: o.status for o in again.items} == {
        "REQ-2026-0001": ItemStatus.DUPLICATE,
        "REQ-2026-0002": ItemStatus.RAISED,
        "REQ-2026-0003": ItemStatus.RAISED,
    }
    assert len(world.oracle.created) == 3  # the order the stopped run began was finished
    assert not inbox_file.exists() and (settings.inbox / "processed" / "orders.csv").exists()


def test_a_refused_sign_in_is_tried_once_for_all_workers_and_claims_nothing(
    tmp_path: Path, world: World
) -> None:
    settings = _settings(tmp_path / "home")
    inbox_file = _inbox_file(settings, REQUESTS)
    world.sign_in_error = SignInRefusedError(
        "Oracle refused the sign-in of SVC: incorrect user name or password", account="SVC"
    )

    result = _run(settings, "run-1", workers=3)

    assert len(world.sessions or []) == 3 and world.sign_ins == 1
    assert result.aborted == (
        "Stopped: Oracle refused the sign-in of SVC: incorrect user name or password; nothing "
        "was raised and the 3 requests left stay pending for the next run. Fix the service "
        "account (its password, lock or expiry; rpa doctor checks the sign-in), then run again."
    )
    assert exit_code(result) == 4
    assert {o.status for o in result.items} == {ItemStatus.NOT_STARTED}
    assert _states(settings, REQUESTS) == [(ItemState.PENDING, 0)] * 3
    assert inbox_file.exists()

    world.sign_in_error = None  # the password is fixed
    again = _run(settings, "run-2", workers=3)
    assert exit_code(again) == 0, again.aborted
    assert {o.status for o in again.items} == {ItemStatus.RAISED}


def test_the_breaker_aborts_the_run_after_failures_in_a_row(tmp_path: Path, world: World) -> None:
    settings = _settings(tmp_path / "home", breaker=2, attempts=1)
    ids = [*REQUESTS, "REQ-2026-0004", "REQ-2026-0005"]
    _inbox_file(settings, ids)
    for request_id in ids:
        world.oracle.failing[request_id] = PageTimeoutError("the line did not save in time")

    result = _run(settings, "run-1")

    assert result.aborted == (
        "Stopped: 2 requests in a row failed after their retries, the last with: the line did "
        "not save in time; nothing was raised and the 3 requests left stay pending for the next "
        "run. Check that Oracle is up and answering (rpa doctor), then run again."
    )
    assert exit_code(result) == 4
    assert [o.status for o in result.items] == [ItemStatus.FAILED] * 2 + [
        ItemStatus.NOT_STARTED
    ] * 3
    assert [s for s, _ in _states(settings, ids)] == [ItemState.FAILED] * 2 + [
        ItemState.PENDING
    ] * 3


def test_the_breaker_tripping_on_the_last_request_leaves_the_run_partial(
    tmp_path: Path, world: World
) -> None:
    """Nothing left to stop: the run finished its requests, and says which failed (exit 3)."""
    settings = _settings(tmp_path / "home", breaker=2, attempts=1)
    _inbox_file(settings, ["REQ-2026-0001", "REQ-2026-0002"])
    for request_id in ("REQ-2026-0001", "REQ-2026-0002"):
        world.oracle.failing[request_id] = PageTimeoutError("no answer")
    result = _run(settings, "run-1")
    assert result.aborted is None and exit_code(result) == 3
