"""The raise-purchase-orders worker's logic against fake pages (no browser): what it types, what
it records in the ledger (a real SQLite file) and how it classifies failures.

The worker is handed its browser session and its order finder; here both are fakes that keep
the real page objects' interface (bots.pages.PurchaseOrderPages). The real pages are tested
against the sandbox in tests/e2e and tests/sandbox.
"""

from __future__ import annotations

import json
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

from bots.errors import (
    BusinessRuleError,
    PageTimeoutError,
    SessionExpiredError,
    SignInRefusedError,
    StructuralMismatchError,
    WarningDeclinedError,
)
from bots.models import OrderHeader, OrderHeaderDetails, OrderLineInput, OrderSummary
from config.settings import BrowserSettings, OracleSettings, RetrySettings, Settings
from flows.common.early_stop import BreakerTrip, EarlyStop
from flows.common.outcomes import ItemStatus
from flows.raise_purchase_orders.book import RequestBook
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.outcomes import ItemOutcome
from flows.raise_purchase_orders.worker import Worker
from rpa.evidence_store import EvidenceStore
from rpa.ledger import ItemScope, ItemState, Ledger, LedgerItem
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
    # Raised by the next add_line calls, in order; None lets that call through.
    failures: list[Exception | None] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    headers: dict[str, OrderHeader] = field(default_factory=dict)
    # The description set on each order's page (none until set_details).
    descriptions: dict[str, str] = field(default_factory=dict)
    completed: list[tuple[str, int]] = field(default_factory=list)  # (order, line) completed
    # Raised by every add_line of the order of a request id (a request that always fails).
    failing: dict[str, Exception] = field(default_factory=dict)
    details_failures: list[Exception] = field(default_factory=list)  # by the next set_details
    lost_submits: int = 0  # submits that confirm on screen but that Oracle does not keep
    # Rows the work area's search shows besides the fake pages' own orders (by any text).
    other_rows: list[OrderSummary] = field(default_factory=list)
    searches: list[tuple[str, str]] = field(default_factory=list)  # (order number, description)

    def fail_next(self, *errors: Exception | None) -> None:
        self.failures.extend(errors)


class FakeOrder:
    def __init__(self, oracle: FakeOracle, number: str) -> None:
        self.oracle = oracle
        self.number = number

    @property
    def order_number(self) -> str:
        return self.number

    def set_details(self, details: OrderHeaderDetails) -> None:
        if self.oracle.details_failures:
            raise self.oracle.details_failures.pop(0)
        self.oracle.descriptions[self.number] = details.description

    def line_count(self) -> int:
        return len(self.oracle.lines[self.number])

    def add_line(self, line: OrderLineInput) -> None:
        if self.oracle.failures and (error := self.oracle.failures.pop(0)) is not None:
            raise error
        description = self.oracle.descriptions.get(self.number, "")
        for request_id, error in self.oracle.failing.items():
            if description.startswith(f"[{request_id}] "):
                raise error
        self.oracle.lines[self.number].append(line)

    def complete_line(self, number: int, line: OrderLineInput) -> None:
        self.oracle.completed.append((self.number, number))

    def delete(self) -> None:
        self.oracle.lines.pop(self.number, None)

    def submit(self) -> str:
        if self.oracle.lost_submits:
            self.oracle.lost_submits -= 1
            return self.number
        self.oracle.submitted.append(self.number)
        return self.number


class FakeOrdersPage:
    def __init__(self, oracle: FakeOracle) -> None:
        self.oracle = oracle

    def open(self) -> FakeOrdersPage:
        return self

    def search(self, *, order_number: str = "", description: str = "") -> list[OrderSummary]:
        """As Oracle's search: "contains", case aside, on both fields."""
        self.oracle.searches.append((order_number, description))
        rows = [
            OrderSummary(
                number,
                number,
                self.oracle.descriptions.get(number, ""),
                "Pending Approval" if number in self.oracle.submitted else "Incomplete",
            )
            for number in self.oracle.lines
        ] + self.oracle.other_rows
        return [
            row
            for row in rows
            if order_number.lower() in row.order_number.lower()
            and description.lower() in row.description.lower()
        ]

    def create_order(self, header: OrderHeader) -> FakeOrder:
        number = str(self.oracle.next_number)
        self.oracle.next_number += 1
        self.oracle.created.append(header)
        self.oracle.headers[number] = header
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
    """Signs in when it has no signed-in context, as the real session does; ``sign_in_error``
    is what Oracle answers a sign-in with (None: it lets the account in)."""

    oracle: FakeOracle
    sign_ins: int = 0
    signed_in: bool = False
    sign_in_error: Exception | None = None
    traces_started: list[int] = field(default_factory=list)
    contexts_closed: int = 0
    browsers_closed: int = 0
    items: int = 0
    tracing: bool = False
    aria_snapshots: list[Path] = field(default_factory=list)

    @property
    def browser_version(self) -> str:
        return "fake 1.0"

    def ready_pages(self) -> FakePages:
        if not self.signed_in:
            self.sign_ins += 1
            if self.sign_in_error is not None:
                raise self.sign_in_error
            self.signed_in = True
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

    def aria_snapshot(self, path: Path) -> Path | None:
        self.aria_snapshots.append(path)
        path.write_text('- heading "Create Purchase Order" [level=1]\n', encoding="utf-8")
        return path

    def close_context(self) -> None:
        self.contexts_closed += 1
        self.signed_in = False

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

    def _order(self, number: str) -> FoundOrder:
        return FoundOrder(
            number,
            number,
            "Pending Approval" if number in self.oracle.submitted else "Incomplete",
            self.oracle.descriptions.get(number, ""),
            len(self.oracle.lines[number]),
        )

    def find_orders_by_description_prefix(self, prefix: str) -> list[FoundOrder]:
        if self.found is not None:
            return list(self.found)
        return [
            self._order(number)
            for number in self.oracle.lines
            if self.oracle.descriptions.get(number, "").startswith(prefix)
        ]

    def find_order_by_number(self, order_number: str) -> FoundOrder | None:
        if self.found is not None:
            return next((o for o in self.found if o.order_number == order_number), None)
        return self._order(order_number) if order_number in self.oracle.lines else None

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
    rest_reads: bool = True  # False: the worker looks orders up through the (fake) pages

    def raise_one(self, request: PurchaseRequest, attempts: int = 3) -> ItemOutcome:
        (outcome,) = self.raise_all([request], attempts=attempts)
        return outcome

    def raise_all(
        self, requests: list[PurchaseRequest], attempts: int = 3, breaker: int = 5
    ) -> list[ItemOutcome]:
        """One worker raises ``requests`` in order; the run's early stop is ``self.early_stop``."""
        settings = Settings(
            home=self.evidence_dir.parent,
            retry=RetrySettings(
                attempts=attempts,
                initial_wait_s=0,
                max_wait_s=0,
                abort_after_failed_items=breaker,
            ),
            browser=BrowserSettings(trace="on_retry"),
            oracle=OracleSettings(rest_reads=self.rest_reads),
        )
        work: queue.Queue[PurchaseRequest] = queue.Queue()
        for request in requests:
            assert self.book.register(request) is None
            work.put(request)
        outcomes: list[ItemOutcome] = []

        @contextmanager
        def open_session() -> Iterator[FakeSession]:
            yield self.session

        stop = threading.Event()
        self.early_stop = EarlyStop(stop, failed_items_limit=breaker)
        worker = Worker(
            name="w1",
            settings=settings,
            target=OracleTarget(TARGET_ID, "SVC", settings.sandbox.password, False, TARGET_ID),
            book=self.book,
            evidence=EvidenceStore(self.evidence_dir),
            work=work,
            on_outcome=outcomes.append,
            stop=stop,
            open_session=open_session,
            open_finder=(lambda: self.finder) if self.rest_reads else None,
            early_stop=self.early_stop,
        )
        worker.run()
        return outcomes

    early_stop: EarlyStop | None = None

    def state(self, request: PurchaseRequest) -> ItemState:
        return self.item(request).state

    def item(self, request: PurchaseRequest) -> LedgerItem:
        item = self.ledger.get(ItemScope("raise-purchase-orders", TARGET_ID), request.request_id)
        assert item is not None
        return item


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
def example_requests() -> list[PurchaseRequest]:
    """The example file's five requests, REQ-2026-0001 to REQ-2026-0005, in order."""
    return list(read_request_file(EXAMPLES, today=date(2026, 12, 1)).requests)


@pytest.fixture
def two_line_request(example_requests: list[PurchaseRequest]) -> PurchaseRequest:
    request = next(r for r in example_requests if r.request_id == "REQ-2026-0001")
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
    assert len(harness.oracle.created) == 1
    description = harness.oracle.descriptions["1004540"]
    assert description.startswith(f"[{two_line_request.request_id}] ")
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
    # The order as Oracle's REST API showed it after Submit is kept beside the screenshot.
    assert [p.name for p in outcome.evidence] == [
        f"{two_line_request.request_id}-confirmation.png",
        f"{two_line_request.request_id}-order.json",
    ]


def test_a_refusal_is_rejected_at_once_with_evidence(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """A refusal after the order was created: rejected at once, and the Incomplete draft the
    attempt made is deleted, not left behind unreported."""
    harness.oracle.fail_next(BusinessRuleError("Charge Account is not valid", screen="Add line"))
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.REJECTED and outcome.attempts == 1
    assert outcome.message == (
        "Charge Account is not valid; its Incomplete draft 1004540 was deleted from Oracle"
    )
    assert outcome.po_number is None
    assert [p.name for p in outcome.evidence] == [f"{two_line_request.request_id}-failure.png"]
    assert harness.state(two_line_request) is ItemState.REJECTED
    assert harness.oracle.submitted == []
    assert "1004540" not in harness.oracle.lines  # deleted


def test_a_declined_warning_keeps_the_draft_and_reports_its_number(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """A warning the profile does not accept is a buyer's decision: the Incomplete order is
    kept, and its number is reported with the rejection."""
    harness.oracle.fail_next(None, WarningDeclinedError("Oracle warned: funds check"))
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.REJECTED
    assert outcome.po_number == "1004540"
    assert "order 1004540 stays Incomplete in Oracle for a buyer to decide" in outcome.message
    assert "1004540" in harness.oracle.lines


def test_a_failed_request_reports_the_draft_the_next_run_finishes(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    harness.oracle.fail_next(*[PageTimeoutError("the line did not save in time")] * 3)
    outcome = harness.raise_one(two_line_request, attempts=3)
    assert outcome.status is ItemStatus.FAILED
    assert outcome.po_number == "1004540"
    assert outcome.message == (
        "the line did not save in time; tried 3 times; order 1004540 stays Incomplete in Oracle: "
        "the next run finishes it"
    )


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


# --- what stops the run: run-blocking errors and the failed-items breaker -------------------------


def test_a_page_unlike_the_ui_profile_stops_the_run_and_leaves_the_request_pending(
    harness: Harness, example_requests: list[PurchaseRequest]
) -> None:
    """A structural mismatch with a request in hand: not retried, not rejected, not failed. The
    request's claim is released (the next run takes it again, searching Oracle first), the
    others are never claimed, and the evidence has the screenshot and the ARIA snapshot."""
    first, second = example_requests[:2]
    mismatch = StructuralMismatchError(
        "po.line.quantity", "Quantity", "'Qty'", screen="Add line", url="http://pod/po"
    )
    harness.oracle.fail_next(mismatch)
    outcomes = harness.raise_all([first, second])

    (outcome,) = outcomes  # the second request was never taken
    assert (outcome.status, outcome.attempts) == (ItemStatus.PENDING, 1)
    assert outcome.failure_class == "StructuralMismatchError"
    assert "po.line.quantity expects 'Quantity'" in outcome.message
    assert harness.state(first) is ItemState.ABANDONED  # claimable, Oracle searched first
    assert harness.state(second) is ItemState.PENDING
    assert harness.item(second).claim_count == 0
    history = harness.ledger.history(
        ItemScope("raise-purchase-orders", TARGET_ID), first.request_id
    )
    assert [t.to_state for t in history] == [
        ItemState.PENDING,
        ItemState.IN_PROGRESS,
        ItemState.CREATED,
        ItemState.ABANDONED,
    ]
    assert "po.line.quantity" in (history[-1].message or "")
    assert {p.name for p in outcome.evidence} == {
        f"{first.request_id}-failure.png",
        f"{first.request_id}-aria.yaml",
    }
    assert harness.session.aria_snapshots == [
        harness.evidence_dir / f"{first.request_id}-aria.yaml"
    ]
    assert harness.early_stop is not None and harness.early_stop.cause is mismatch
    assert harness.early_stop.stop.is_set()
    assert harness.oracle.submitted == []


def test_the_next_run_takes_the_released_request_again_and_finishes_the_order(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """After the fix, the request left pending is claimed again; the attempt finds the
    Incomplete order the stopped run had created and finishes it: one order, submitted."""
    harness.oracle.fail_next(StructuralMismatchError("po.line.quantity", "Quantity"))
    assert harness.raise_one(two_line_request).status is ItemStatus.PENDING

    harness.book = RequestBook(harness.ledger, "run-2", TARGET_ID)
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.po_number) == (ItemStatus.RAISED, "1004540")
    assert "completed and submitted the incomplete order" in outcome.message
    assert len(harness.oracle.created) == 1 and harness.oracle.submitted == ["1004540"]
    assert harness.state(two_line_request) is ItemState.DONE


def test_a_refused_sign_in_stops_the_run_before_any_request_is_claimed(
    harness: Harness, example_requests: list[PurchaseRequest]
) -> None:
    """The worker signs in before it takes a request: a refused account is tried once and
    leaves every request pending and unclaimed."""
    refused = SignInRefusedError(
        "Oracle refused the sign-in of SVC: incorrect user name or password", account="SVC"
    )
    harness.session.sign_in_error = refused
    outcomes = harness.raise_all(example_requests[:3])

    assert outcomes == []
    assert harness.session.sign_ins == 1
    for request in example_requests[:3]:
        item = harness.item(request)
        assert (item.state, item.claim_count) == (ItemState.PENDING, 0)
    assert harness.early_stop is not None and harness.early_stop.cause is refused
    assert harness.oracle.created == []


def test_the_breaker_stops_the_run_after_failed_requests_in_a_row(
    harness: Harness, example_requests: list[PurchaseRequest]
) -> None:
    """Two requests in a row failing after their retries (the breaker set to 2): the run takes
    no third; the failed ones are failed (tried again by a later run), the rest pending."""
    for request in example_requests:
        harness.oracle.failing[request.request_id] = PageTimeoutError("the line did not save")
    outcomes = harness.raise_all(example_requests, attempts=2, breaker=2)

    assert [(o.status, o.attempts) for o in outcomes] == [(ItemStatus.FAILED, 2)] * 2
    assert [harness.state(r) for r in example_requests] == [ItemState.FAILED] * 2 + [
        ItemState.PENDING
    ] * 3
    assert harness.early_stop is not None
    assert harness.early_stop.cause == BreakerTrip(2, "the line did not save")


def test_a_success_between_failures_resets_the_breaker(
    harness: Harness, example_requests: list[PurchaseRequest]
) -> None:
    """failed, raised, failed, rejected, failed with the breaker at 2: never two in a row."""
    r1, _r2, r3, r4, r5 = example_requests
    for request in (r1, r3, r5):
        harness.oracle.failing[request.request_id] = PageTimeoutError("no answer")
    harness.oracle.failing[r4.request_id] = BusinessRuleError("Charge Account is not valid")
    outcomes = harness.raise_all(example_requests, attempts=1, breaker=2)

    assert [o.status for o in outcomes] == [
        ItemStatus.FAILED,
        ItemStatus.RAISED,
        ItemStatus.FAILED,
        ItemStatus.REJECTED,
        ItemStatus.FAILED,
    ]
    assert harness.early_stop is not None and harness.early_stop.cause is None


def test_an_order_whose_description_never_got_written_is_found_by_its_recorded_number(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """Oracle's create drawer has no Description: between Create and the description being
    saved, the order carries no request id. Its number is in the ledger by then, so the retry
    finds it by number, writes the description and goes on: one order, never two."""
    harness.oracle.details_failures.append(PageTimeoutError("Save did not answer"))
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.po_number, outcome.attempts) == (
        ItemStatus.RAISED,
        "1004540",
        2,
    )
    assert len(harness.oracle.created) == 1
    assert harness.oracle.opened == ["1004540"]
    assert harness.oracle.descriptions["1004540"].startswith(f"[{two_line_request.request_id}] ")
    assert harness.oracle.submitted == ["1004540"]


@pytest.mark.parametrize(
    "status", ["Pending Supplier Acknowledgment", "Closed for Receiving", "Pending Change Approval"]
)
def test_an_order_oracle_has_taken_in_any_later_status_is_already_raised(
    harness: Harness, two_line_request: PurchaseRequest, status: str
) -> None:
    """Fusion has sixteen statuses: an order past Incomplete is raised, whatever came of it."""
    prefix = f"[{two_line_request.request_id}] "
    harness.finder.found = [FoundOrder("77", "NCC1004777", status, prefix + "Cones", 2)]
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.po_number) == (ItemStatus.RAISED, "NCC1004777")
    assert harness.oracle.created == [] and harness.oracle.submitted == []


def test_a_resumed_order_has_its_lines_details_typed_again(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """A line added just before a crash may lack its schedule or distribution details."""
    harness.oracle.fail_next(None, PageTimeoutError("the second line's drawer did not answer"))
    outcome = harness.raise_one(two_line_request)
    assert outcome.status is ItemStatus.RAISED
    assert harness.oracle.completed == [("1004540", 1)]  # line 1 completed again on resume
    assert len(harness.oracle.lines["1004540"]) == 2 and len(harness.oracle.created) == 1


def test_the_outcome_is_what_oracle_reads_back_not_what_the_page_said(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """A confirmation on screen for an order Oracle still shows Incomplete is not raised: the
    next attempt resumes that order and submits it again; one order in the end."""
    harness.oracle.lost_submits = 1
    outcome = harness.raise_one(two_line_request)
    assert (outcome.status, outcome.attempts) == (ItemStatus.RAISED, 2)
    assert len(harness.oracle.created) == 1
    assert harness.oracle.submitted == ["1004540"]


def test_without_rest_reads_orders_are_found_through_the_work_areas_search(
    harness: Harness, two_line_request: PurchaseRequest
) -> None:
    """``oracle.rest_reads = false``: the worker opens no REST reader; the retry after a
    timeout finds the order it made through the page's search (compared exactly: the search's
    "contains" also shows a longer request id and a canceled order), and the read-back after
    Submit is kept from the search results."""
    harness.rest_reads = False
    prefix = f"[{two_line_request.request_id}] "
    harness.oracle.other_rows = [
        OrderSummary("81", "1004081", prefix.lower() + "an old attempt", "Canceled"),
        OrderSummary("82", "1004082", f"[{two_line_request.request_id}0] other", "Open"),
    ]
    harness.oracle.fail_next(PageTimeoutError("the line did not save in time"))
    outcome = harness.raise_one(two_line_request)

    assert (outcome.status, outcome.po_number, outcome.attempts) == (
        ItemStatus.RAISED,
        "1004540",
        2,
    )
    assert len(harness.oracle.created) == 1 and harness.oracle.opened == ["1004540"]
    assert ("", prefix) in harness.oracle.searches
    assert ("1004540", "") in harness.oracle.searches  # the read-back after Submit
    [read_back] = [p for p in outcome.evidence if p.name.endswith("order.json")]
    kept = json.loads(read_back.read_text(encoding="utf-8"))
    assert (kept["OrderNumber"], kept["Status"]) == ("1004540", "Pending Approval")
    assert "search results" in kept["ReadFrom"]
