"""The raise-purchase-orders worker's logic against fake pages (no browser): what it types, what
it records in the ledger (a real SQLite file) and how it classifies failures.

The worker is handed its browser session and its order finder; here both are fakes that keep
the real page objects' interface (bots.pages.PurchaseOrderPages). The real pages are tested
against the sandbox in tests/e2e and tests/sandbox.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bots.errors import BusinessRuleError, PageTimeoutError, SessionExpiredError
from bots.models import OrderHeader, OrderLineInput
from config.settings import BrowserSettings, RetrySettings, Settings
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import RequestBook
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.worker import Worker
from rpa.evidence_store import EvidenceStore
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.oracle_rest import FoundOrder
from rpa.oracle_target import OracleTarget

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "purchase-requests.csv"
TARGET_ID = "https://pod.example.gov.uk"


# --- fakes of the page objects and the session ---------------------------------------------------


@dataclass
class FakeOracle:
    """What the fake pages did, and the failures they are told to raise, in order."""

    next_number: int = 1004540
    created: list[OrderHeader] = field(default_factory=list)
    lines: dict[str, list[OrderLineInput]] = field(default_factory=dict)
    submitted: list[str] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)  # raised by the next add_line calls
    opened: list[str] = field(default_factory=list)

    def fail_next(self, *errors: Exception) -> None:
        self.failures.extend(errors)


class FakeOrder:
    def __init__(self, oracle: FakeOracle, number: str) -> None:
        self.oracle = oracle
        self.number = number

    @property
    def order_number(self) -> str:
        return self.number

    def line_count(self) -> int:
        return len(self.oracle.lines[self.number])

    def add_line(self, line: OrderLineInput) -> None:
        if self.oracle.failures:
            raise self.oracle.failures.pop(0)
        self.oracle.lines[self.number].append(line)

    def submit(self) -> str:
        self.oracle.submitted.append(self.number)
        return self.number


class FakeOrdersPage:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def open(self) -> FakeOrdersPage:
        return self

    def create_order(self, header: OrderHeader) -> FakeOrder:
        number = str(self.oracle.next_number)
        self.oracle.next_number += 1
        self.oracle.created.append(header)
        self.oracle.lines[number] = []
        return FakeOrder(self.oracle, number)


class FakeOrderPage:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def open(self, header_id: str) -> FakeOrder:
        self.oracle.opened.append(header_id)
        return FakeOrder(self.oracle, header_id)


class FakePages:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def purchase_orders(self) -> FakeOrdersPage:
        return FakeOrdersPage(self.oracle)

    def purchase_order(self) -> FakeOrderPage:
        return FakeOrderPage(self.oracle)


@dataclass
class FakeSession:
    oracle: FakeOracle
    sign_ins: int = 0
    traces_started: list[int] = field(default_factory=list)
    contexts_closed: int = 0
    browsers_closed: int = 0
    items: int = 0
    tracing: bool = False

    @property
    def browser_version(self) -> str:
        return "fake 1.0"

    def ready_pages(self) -> FakePages:
        self.sign_ins += 1
        return FakePages(self.oracle)

    def session_cookie_values(self) -> list[str]:
        return ["fake-cookie"]

    def start_trace(self, attempt: int) -> None:
        self.traces_started.append(attempt)
        self.tracing = attempt >= 2  # as browser.trace = "on_retry" decides in the real one

    def stop_trace(self, save_to: Path | None) -> None:
        if save_to is not None and self.tracing:
            with zipfile.ZipFile(save_to, "w") as trace:
                trace.writestr("trace.trace", '{"type": "before", "cookie": "fake-cookie"}\n')
        self.tracing = False

    def screenshot(self, path: Path) -> Path | None:
        path.write_bytes(b"\x89PNG fake")
        return path

    def close_context(self) -> None:
        self.contexts_closed += 1

    def close_browser(self) -> None:
        self.browsers_closed += 1

    def item_done(self) -> None:
        self.items += 1


class FakeFinder:
    """Oracle's REST search by description prefix: the orders the fake pages made (Incomplete
    until submitted), or ``found`` when a test sets what Oracle holds."""

    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle
        self.found: list[FoundOrder] | None = None

    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]:
        if self.found is not None:
            return list(self.found)
        made = zip(self.oracle.created, self.oracle.lines, strict=True)
        return [
            FoundOrder(
                number,
                number,
                "Pending Approval" if number in self.oracle.submitted else "Incomplete",
                header.description,
                len(self.oracle.lines[number]),
            )
            for header, number in made
            if header.description.startswith(prefix)
        ]

    def close(self) -> None:
        pass


# --- the worker on one request -------------------------------------------------------------------


@dataclass
class Harness:
    oracle: FakeOracle
    session: FakeSession
    finder: FakeFinder
    book: RequestBook
    ledger: Ledger
    evidence_dir: Path

    def raise_one(self, request: PurchaseRequest, attempts: int = 3) -> ItemOutcome:
        settings = Settings(
            home=self.evidence_dir.parent,
            retry=RetrySettings(attempts=attempts, initial_wait_s=0, max_wait_s=0),
            browser=BrowserSettings(trace="on_retry"),
        )
        assert self.book.register(request) is None
        work: queue.Queue[PurchaseRequest] = queue.Queue()
        work.put(request)
        outcomes: list[ItemOutcome] = []

        @contextmanager
        def open_session() -> Iterator[FakeSession]:
            yield self.session

        worker = Worker(
            name="w1",
            settings=settings,
            target=OracleTarget(TARGET_ID, "SVC", settings.sandbox.password, False, TARGET_ID),
            book=self.book,
            evidence=EvidenceStore(self.evidence_dir),
            work=work,
            on_outcome=outcomes.append,
            stop=threading.Event(),
            open_session=open_session,
            open_finder=lambda: self.finder,
        )
        worker.run()
        (outcome,) = outcomes
        return outcome

    def state(self, request: PurchaseRequest) -> ItemState:
        item = self.ledger.get(ItemScope("raise-purchase-orders", TARGET_ID), request.request_id)
        assert item is not None
        return item.state


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    oracle = FakeOracle()
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    try:
        yield Harness(
            oracle=oracle,
            session=FakeSession(oracle),
            finder=FakeFinder(oracle),
            book=RequestBook(ledger, "run-1", TARGET_ID),
            ledger=ledger,
            evidence_dir=tmp_path / "evidence",
        )
    finally:
        ledger.close()


@pytest.fixture
def two_line_request() -> PurchaseRequest:
    read = read_request_file(EXAMPLES, today=date(2026, 12, 1))
    request = next(r for r in read.requests if r.request_id == "REQ-2026-0001")
    assert len(request.lines) == 2
    return request


def test_a_new_request_is_created_lined_submitted_and_recorded(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.po_number, outcome.attempts) == (
        ItemStatus.RAISED,
        "1004540",
        1,
    )
    (header,) = harness.oracle.created
    assert header.description.startswith(f"[{two_line_request.request_id}] ")
    assert len(harness.oracle.lines["1004540"]) == 2
    assert harness.oracle.submitted == ["1004540"]
    assert harness.state(two_line_request) is ItemState.DONE
    history = harness.ledger.history(
        ItemScope("raise-purchase-orders", TARGET_ID), two_line_request.request_id
    )
    assert [t.to_state for t in history] == [
        ItemState.PENDING,
        ItemState.IN_PROGRESS,
        ItemState.CREATED,
        ItemState.SUBMITTING,
        ItemState.DONE,
    ]
    assert harness.session.traces_started == [1]  # on_retry: the first attempt is not traced
    assert harness.session.items == 1


def test_a_refusal_is_rejected_at_once_with_evidence(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.oracle.fail_next(BusinessRuleError("Charge Account is not valid", screen="Add line"))
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.REJECTED and outcome.attempts == 1
    assert outcome.message == "Charge Account is not valid"
    assert [p.name for p in outcome.evidence] == [f"{two_line_request.request_id}-failure.png"]
    assert harness.state(two_line_request) is ItemState.REJECTED
    assert harness.oracle.submitted == []


def test_a_transient_failure_is_retried_and_resumes_the_order_it_made(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """A timeout on the first line: the retry finds the Incomplete order by the request id and
    adds the lines it lacks, instead of creating a second order."""
    harness.oracle.fail_next(PageTimeoutError("the line did not save in time"))
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.attempts) == (ItemStatus.RAISED, 2)
    assert len(harness.oracle.created) == 1 and harness.oracle.opened == ["1004540"]
    assert len(harness.oracle.lines["1004540"]) == 2
    assert harness.session.traces_started == [1, 2]
    assert harness.session.browsers_closed == 0  # a timeout keeps the browser


def test_a_failure_that_outlasts_the_retries_leaves_the_request_failed(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.oracle.fail_next(*(PageTimeoutError("no answer") for _ in range(3)))
    outcome = harness.raise_one(two_line_request, attempts=3)
    assert (outcome.status, outcome.attempts) == (ItemStatus.FAILED, 3)
    assert len(harness.oracle.created) == 1  # every retry resumed the one order
    assert harness.state(two_line_request) is ItemState.FAILED
    assert {p.name for p in outcome.evidence} == {
        f"{two_line_request.request_id}-failure.png",
        f"{two_line_request.request_id}-trace.zip",
    }


def test_an_expired_session_signs_in_again(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.oracle.fail_next(SessionExpiredError("the page showed the sign-in form"))
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.RAISED
    assert harness.session.contexts_closed == 1 and harness.session.sign_ins == 2


def test_an_order_already_submitted_in_oracle_is_recorded_without_typing(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.finder.found = [FoundOrder("77", "1004111", "Pending Approval", "", 2)]
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.po_number) == (ItemStatus.RAISED, "1004111")
    assert "already submitted" in outcome.message
    assert harness.oracle.created == [] and harness.oracle.submitted == []


def test_two_orders_with_one_request_id_are_refused_for_a_buyer(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.finder.found = [
        FoundOrder("1", "1004001", "Incomplete", "", 0),
        FoundOrder("2", "1004002", "Incomplete", "", 0),
    ]
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.REJECTED
    assert "1004001, 1004002" in outcome.message
    assert harness.oracle.created == []


def test_an_order_with_more_lines_than_the_request_is_not_submitted(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.finder.found = [FoundOrder("9", "9", "Incomplete", "", 3)]
    present = OrderLineInput(
        "Goods", Decimal(1), Decimal(1), date(2027, 1, 4), "1000-CC123-5100-000"
    )
    harness.oracle.lines["9"] = [present] * 3
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.REJECTED
    assert "has 3 lines but the request has 2" in outcome.message
    assert harness.oracle.submitted == []


def test_request_ids_that_sanitise_alike_keep_their_own_evidence(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """COL/1 and COL_1 are two requests: each keeps its own failure screenshot (they used to
    share COL_1-failure.png, the second overwriting the first)."""
    slashed = two_line_request.model_copy(update={"request_id": "COL/1"})
    underscored = two_line_request.model_copy(update={"request_id": "COL_1"})
    refusals = []
    for request in (slashed, underscored):
        harness.oracle.fail_next(BusinessRuleError(f"refused {request.request_id}"))
        refusals.append(harness.raise_one(request))
    (first,) = refusals[0].evidence
    (second,) = refusals[1].evidence
    assert first != second
    assert second.name == "COL_1-failure.png"  # a safe id keeps its own name
    assert first.name.startswith("COL_1~") and first.name.endswith("-failure.png")
    assert first.is_file() and second.is_file()
