"""Supplier change control with fakes (no browser, no sandbox): a change Oracle holds for
approval is ``awaiting_approval``, never submitted again, and its supplier is in flight for a
later plan until the request is approved (then unchanged) or rejected (then a person decides).

The Oracle fake holds every page edit as a pending change request instead of applying it, as
Fusion 26A's Redwood supplier pages do with change control on; ``approve`` and ``reject``
decide it. The end-to-end test against the sandbox is test_sync_suppliers_change_control.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bots.errors import PageTimeoutError, SessionExpiredError
from bots.supplier_models import SupplierProfileInput
from config.settings import OracleSettings, RetrySettings, Settings
from flows.common.outcomes import NEEDS_ATTENTION, ItemStatus, run_status_of, shown
from flows.sync_suppliers.book import FLOW
from flows.sync_suppliers.change_requests import (
    AWAITING_NOTE,
    NoChangeRequests,
    PendingChange,
    RestChangeRequests,
    mark_in_flight,
)
from flows.sync_suppliers.flow import SyncOptions, SyncResult
from flows.sync_suppliers.oracle_actions import VerificationError, attempt_change
from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.outcomes import ChangeReport, initial_status
from flows.sync_suppliers.plan_model import Action
from flows.sync_suppliers.planner import plan_sync
from flows.sync_suppliers.report import awaiting_approval_note, render_table, result_json
from flows.sync_suppliers.run import CHANGES_JSON, run_sync
from flows.sync_suppliers.ui_reader import UiChangeRequests
from rpa.ledger import ItemScope, ItemState, Ledger
from rpa.ledger.schema import audit_events
from rpa.oracle_target import ConfiguredOracle, OracleTarget
from rpa.run_record import RunStatus, get_run
from rpa.sign_in_gate import SignInGate
from rpa.trigger import detect_trigger
from tests.flows.test_supplier_attempt_logic import (
    FakeOracle,
    FakePages,
    FakeReader,
    FakeSupplierOpener,
    FakeSupplierPage,
)
from tests.flows.test_supplier_run_stops import FakeSession
from tests.flows.test_supplier_support import oracle, source, supplier_row, write_supplier_file

TODAY = date(2026, 12, 3)
BASE_URL = "https://pod.example.gov.uk"
SCOPE = ItemScope(FLOW, BASE_URL)
WENSUM = "Wensum Valley Ecology Ltd"
WENSUM_ID = "300000052030100"


# --- an Oracle with change control ----------------------------------------------------------


@dataclass
class ControlledOracle(FakeOracle):
    """Page edits of a supplier are held in its pending change request (one per supplier)."""

    requests: dict[str, PendingChange] = field(default_factory=dict)
    held: dict[str, list[SupplierProfileInput]] = field(default_factory=dict)
    made: int = 0
    expire_after_saving: bool = False  # the session ends just after the page saved

    def hold(self, supplier_id: str, profile: SupplierProfileInput) -> None:
        if supplier_id not in self.requests:
            self.made += 1
            self.requests[supplier_id] = PendingChange(
                f"CR-{1000 + self.made}", "RPA.PROCUREMENT", "2026-12-03T10:00:00.000+00:00"
            )
        self.held.setdefault(supplier_id, []).append(profile)

    def approve(self, supplier_id: str) -> None:
        del self.requests[supplier_id]
        for profile in self.held.pop(supplier_id):
            given = {
                name: value
                for name in ("supplier_type", "business_relationship", "duns_number")
                if (value := getattr(profile, name)) is not None
            }
            self.suppliers[supplier_id] = replace(self.suppliers[supplier_id], **given)

    def reject(self, supplier_id: str) -> None:
        del self.requests[supplier_id]
        del self.held[supplier_id]


class HeldSupplierPage(FakeSupplierPage):
    oracle: ControlledOracle

    def edit_profile(self, profile: SupplierProfileInput) -> None:
        if self.oracle.failures:
            raise self.oracle.failures.pop(0)
        self.oracle.typed.append(("edit_profile", profile))
        self.oracle.hold(self.id, profile)
        if self.oracle.expire_after_saving:
            self.oracle.expire_after_saving = False
            raise SessionExpiredError("the session ended", screen="supplier")


class HeldOpener(FakeSupplierOpener):
    def open(self, supplier_id: str) -> HeldSupplierPage:
        return HeldSupplierPage(self.oracle, supplier_id)


class HeldPages(FakePages):
    def supplier(self) -> HeldOpener:
        return HeldOpener(self.oracle)


@dataclass
class Requests:
    """The change-request look-up against the fake (REST in production)."""

    oracle: ControlledOracle
    asked: list[str] = field(default_factory=list)

    def pending(self, supplier_id: str) -> PendingChange | None:
        self.asked.append(supplier_id)
        return self.oracle.requests.get(supplier_id)


@pytest.fixture
def controlled() -> ControlledOracle:
    fake = ControlledOracle()
    fake.add(oracle(WENSUM, "30100", supplier_type="Services"))
    fake.add(oracle("Yare Valley Tree Care Ltd", "30101", supplier_type="Services"))
    return fake


def _attempt(world: ControlledOracle, **values: Any) -> Any:
    return attempt_change(
        HeldPages(world),
        FakeReader(world),
        source(WENSUM, **values),
        TODAY,
        on_created=lambda _n: None,
        change_requests=Requests(world),
    )


# --- one attempt --------------------------------------------------------------------------------


def test_a_held_change_is_awaiting_approval_not_a_failed_read_back(
    controlled: ControlledOracle,
) -> None:
    result = _attempt(controlled, supplier_type="Supplier")
    assert result.awaiting == controlled.requests[WENSUM_ID]
    assert result.awaiting.number == "CR-1001"
    assert result.after.supplier_type == "Services"  # Oracle still shows the approved state
    assert [action for action, _ in controlled.typed] == ["edit_profile"]


def test_without_a_look_up_a_held_change_reads_as_not_landed(
    controlled: ControlledOracle,
) -> None:
    """An Oracle whose change requests cannot be read: the old behaviour (retried)."""
    with pytest.raises(VerificationError, match="still different: supplier_type"):
        attempt_change(
            HeldPages(controlled),
            FakeReader(controlled),
            source(WENSUM, supplier_type="Supplier"),
            TODAY,
            on_created=lambda _n: None,
            change_requests=NoChangeRequests(),
        )


def test_a_supplier_already_in_flight_gets_nothing_typed(controlled: ControlledOracle) -> None:
    controlled.hold(WENSUM_ID, SupplierProfileInput(duns_number="111111111"))
    typing: list[bool] = []
    result = attempt_change(
        HeldPages(controlled),
        FakeReader(controlled),
        source(WENSUM, supplier_type="Supplier"),
        TODAY,
        on_created=lambda _n: None,
        change_requests=Requests(controlled),
        on_typing=lambda: typing.append(True),
    )
    assert result.awaiting is not None and result.awaiting.number == "CR-1001"
    assert controlled.typed == [] and typing == []


def test_a_step_failing_after_the_request_was_made_is_still_awaiting_approval(
    controlled: ControlledOracle,
) -> None:
    """The pages made the request, then the step failed (the page did not settle): the change
    is awaiting approval, with the reason, not retried into a second submission."""

    class HeldThenTimedOut(HeldSupplierPage):
        def edit_profile(self, profile: SupplierProfileInput) -> None:
            super().edit_profile(profile)
            raise PageTimeoutError("the page did not settle after Save")

    class Opener(FakeSupplierOpener):
        def open(self, supplier_id: str) -> HeldThenTimedOut:
            return HeldThenTimedOut(self.oracle, supplier_id)

    class Pages(HeldPages):
        def supplier(self) -> Opener:  # type: ignore[override]
            return Opener(self.oracle)

    result = attempt_change(
        Pages(controlled),
        FakeReader(controlled),
        source(WENSUM, supplier_type="Supplier"),
        TODAY,
        on_created=lambda _n: None,
        change_requests=Requests(controlled),
    )
    assert result.awaiting is not None and result.awaiting.number == "CR-1001"
    assert result.note.startswith("not all of it was submitted (the page did not settle")
    assert len(controlled.typed) == 1


def test_a_step_failure_without_a_request_is_the_failure_it_was(
    controlled: ControlledOracle,
) -> None:
    controlled.failures.append(PageTimeoutError("the profile did not open"))
    with pytest.raises(PageTimeoutError):
        _attempt(controlled, supplier_type="Supplier")


# --- the plan -----------------------------------------------------------------------------------


def test_a_supplier_with_a_pending_request_is_in_flight_in_the_plan(
    controlled: ControlledOracle,
) -> None:
    controlled.hold(WENSUM_ID, SupplierProfileInput(supplier_type="Supplier"))
    plan = plan_sync(
        [
            source(WENSUM, supplier_type="Supplier"),
            source("Yare Valley Tree Care Ltd", supplier_type="Supplier"),
            source("New Co Ltd"),
        ],
        OracleSnapshot(tuple(controlled.suppliers.values())),
        today=TODAY,
    )
    lookup = Requests(controlled)
    marked = mark_in_flight(plan, lookup)
    wensum, yare, new = marked.changes
    assert wensum.action is Action.AWAITING_APPROVAL and wensum.steps == ()
    assert wensum.change_request == "CR-1001"
    assert wensum.fields_json() == {"supplier_type": ["Services", "Supplier"]}
    assert wensum.message.startswith("in flight: change request CR-1001 (requested by ")
    assert "nothing is planned for this supplier until it is approved or rejected" in (
        wensum.message
    )
    assert wensum.item_key == plan.changes[0].item_key.replace(":update:", ":awaiting_approval:")
    assert (yare.action, new.action) == (Action.UPDATE, Action.CREATE)
    assert lookup.asked == [WENSUM_ID, "300000052030101"]  # creates are never looked up
    assert marked.counts["awaiting_approval"] == 1 and marked.counts["update"] == 1
    assert not marked.actionable[0].change_request

    report = ChangeReport(wensum, initial_status(wensum))
    assert report.status is ItemStatus.AWAITING_APPROVAL
    item = report.envelope_item("suppliers.csv")
    assert (item.status, item.details["change_request"]) == ("awaiting_approval", "CR-1001")
    table = render_table("Plan", [report], width=160)
    assert "awaiting approval" in table and "awaiting_approval" in table
    assert "CR-1001" in awaiting_approval_note([report])


def test_awaiting_approval_counts_like_applied_for_the_run() -> None:
    """The flow's part is done; an approver acts in Oracle: exit 0, as for an order that is
    Pending Approval. Shown in words."""
    assert ItemStatus.AWAITING_APPROVAL not in NEEDS_ATTENTION
    status = run_status_of([ItemStatus.APPLIED, ItemStatus.AWAITING_APPROVAL], aborted=False)
    assert status is RunStatus.SUCCEEDED
    assert shown(ItemStatus.AWAITING_APPROVAL) == "awaiting approval"
    assert shown(ItemStatus.IN_PROGRESS) == "in_progress"


# --- reading pending requests through REST ----------------------------------------------------


@dataclass
class FakeRest:
    answers: list[dict[str, Any] | Exception]
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.calls.append((path, params))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _http_error(status: int) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "https://pod.example/x")
    return httpx.HTTPStatusError("x", request=request, response=httpx.Response(status))


def test_rest_look_up_reads_the_pending_request() -> None:
    rest = FakeRest(
        [
            {
                "items": [
                    {
                        "ChangeRequestNumber": "CR-1007",
                        "RequestedBy": "J.SMITH",
                        "RequestDate": "2026-12-01T09:00:00.000+00:00",
                    }
                ]
            },
            {"items": []},
        ]
    )
    lookup = RestChangeRequests(rest)
    found = lookup.pending("300")
    assert found == PendingChange("CR-1007", "J.SMITH", "2026-12-01T09:00:00.000+00:00")
    assert found.describe() == "change request CR-1007 (requested by J.SMITH on 2026-12-01)"
    assert lookup.pending("301") is None
    path, params = rest.calls[0]
    assert path == "/suppliers/300/child/changeRequests"
    assert params["q"] == "Status='PENDING'" and params["limit"] == "1"


def test_rest_look_up_on_an_oracle_without_the_resource_stops_asking() -> None:
    rest = FakeRest([_http_error(404)])
    lookup = RestChangeRequests(rest)
    assert lookup.pending("300") is None and lookup.pending("301") is None
    assert len(rest.calls) == 1


def test_rest_look_up_lets_other_errors_through() -> None:
    with pytest.raises(httpx.HTTPStatusError):
        RestChangeRequests(FakeRest([_http_error(422)])).pending("300")


def test_ui_look_up_reads_the_page_when_the_page_object_can() -> None:
    class Page:
        def __init__(self, number: str | None) -> None:
            self.number = number

        def pending_change_request(self) -> str | None:
            return self.number

    class Reader:
        def __init__(self, page: object) -> None:
            self.page = page

        def _on_pages(self, read: Any) -> Any:
            return read(self)

        def supplier(self) -> Reader:
            return self

        def open(self, supplier_id: str) -> object:
            return self.page

    found = UiChangeRequests(Reader(Page("CR-1002")))  # type: ignore[arg-type]
    assert found.pending("300") == PendingChange("CR-1002")
    assert UiChangeRequests(Reader(Page(None))).pending("300") is None  # type: ignore[arg-type]
    without = UiChangeRequests(Reader(object()))  # type: ignore[arg-type]
    assert without.pending("300") is None and not without.available


# --- whole runs: submitted once, in flight, then approved or rejected ---------------------------


@dataclass
class World:
    oracle: ControlledOracle
    sessions: list[FakeSession] = field(default_factory=list)

    def open_session(self, target: OracleTarget, browser: Any, *, sign_in_gate: SignInGate) -> Any:
        world = self

        class Session(FakeSession):
            def ready_pages(self) -> HeldPages:
                super().ready_pages()
                return HeldPages(world.oracle)

        @contextmanager
        def opened() -> Iterator[FakeSession]:
            session = Session(self.oracle, sign_in_gate, None)
            self.sessions.append(session)
            yield session

        return opened()


class _NoRest:
    def __init__(self, _target: OracleTarget) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, controlled: ControlledOracle) -> World:
    fake = World(controlled)
    monkeypatch.setattr("flows.sync_suppliers.worker.OracleSession", fake.open_session)
    monkeypatch.setattr("flows.sync_suppliers.run.OracleRestReader", _NoRest)
    monkeypatch.setattr(
        "flows.sync_suppliers.run.RestSupplierReader", lambda _rest: FakeReader(controlled)
    )
    monkeypatch.setattr(
        "flows.sync_suppliers.run.RestChangeRequests", lambda _rest: Requests(controlled)
    )
    return fake


def _settings(home: Path) -> Settings:
    return Settings(
        home=home,
        oracle=OracleSettings(base_url=BASE_URL, username="SVC", password=SecretStr("pw-1")),
        retry=RetrySettings(attempts=4, initial_wait_s=0, max_wait_s=0),
    )


def _file(tmp_path: Path) -> Path:
    row = supplier_row(supplier_name=WENSUM, supplier_type="Supplier")
    only_profile = {k: v for k, v in row.items() if k in ("supplier_name", "supplier_type")}
    return write_supplier_file(tmp_path / "suppliers.csv", [only_profile])


def _run(settings: Settings, path: Path, run_id: str, *, plan: bool = False) -> SyncResult:
    result, _recorder = run_sync(
        settings,
        SyncOptions(input_path=path, plan_only=plan, today=TODAY),
        trigger=detect_trigger(operator="pytest"),
        run_id=run_id,
        target=ConfiguredOracle(settings.oracle),
        stop=threading.Event(),
        console_logging=False,
    )
    return result


def test_an_apply_ends_awaiting_approval_once_and_a_later_plan_sees_it_in_flight(
    tmp_path: Path, world: World
) -> None:
    settings, path = _settings(tmp_path / "home"), _file(tmp_path)

    first = _run(settings, path, "run-1")
    (report,) = first.reports
    assert report.status is ItemStatus.AWAITING_APPROVAL
    assert report.change_request_number == "CR-1001"
    assert report.message.startswith(AWAITING_NOTE + "submitted to Oracle as change request")
    assert (first.run_status, first.exit_code) == (RunStatus.SUCCEEDED, 0)
    assert first.counts["awaiting_approval"] == 1 and first.counts["applied"] == 0
    assert len(world.oracle.typed) == 1  # four attempts allowed, one made: never retried
    document = result_json(first, "run-1")
    (item,) = document["items"]
    assert (item["status"], item["details"]["change_request"]) == ("awaiting_approval", "CR-1001")
    run_dir = settings.logs_dir / "runs" / "run-1"
    changes = json.loads((run_dir / CHANGES_JSON).read_text(encoding="utf-8"))
    assert [c["status"] for c in changes["changes"]] == ["awaiting_approval"]
    assert changes["applied"] == []
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    assert [e["change_request"] for e in events if "awaiting approval" in e["event"]] == ["CR-1001"]
    with Ledger(settings.effective_ledger_url) as ledger:
        record = get_run(ledger, "run-1")
        (ledger_item,) = ledger.items(SCOPE)
        with ledger.engine.connect() as conn:
            (payload,) = conn.execute(
                select(audit_events.c.payload).where(
                    audit_events.c.run_id == "run-1", audit_events.c.kind == "item.result"
                )
            ).scalars()
    assert record is not None and record.counts["awaiting_approval"] == 1
    assert record.status is RunStatus.SUCCEEDED
    assert ledger_item.state is ItemState.DONE and ledger_item.reference == "30100"
    assert (ledger_item.message or "").startswith(AWAITING_NOTE)
    audit = json.loads(payload)
    assert audit["status"] == "awaiting_approval"
    assert audit["details"]["change_request"] == "CR-1001"

    # While the request is pending: the plan and a second apply leave the supplier alone.
    planned = _run(settings, path, "plan", plan=True)
    (in_flight,) = planned.reports
    assert in_flight.status is ItemStatus.AWAITING_APPROVAL
    assert in_flight.change.action is Action.AWAITING_APPROVAL
    assert "CR-1001" in in_flight.change.message and planned.exit_code == 0
    second = _run(settings, path, "run-2")
    assert [r.status for r in second.reports] == [ItemStatus.AWAITING_APPROVAL]
    assert second.exit_code == 0 and len(world.oracle.typed) == 1

    # Approved in Oracle: the file matches, nothing to do.
    world.oracle.approve(WENSUM_ID)
    after = _run(settings, path, "plan", plan=True)
    assert [r.status for r in after.reports] == [ItemStatus.UNCHANGED]


def test_a_rejected_request_is_not_submitted_again(tmp_path: Path, world: World) -> None:
    """The same change against the same Oracle: a person decides (rejected, exit 3)."""
    settings, path = _settings(tmp_path / "home"), _file(tmp_path)
    _run(settings, path, "run-1")
    world.oracle.reject(WENSUM_ID)

    again = _run(settings, path, "run-2")
    (report,) = again.reports
    assert report.status is ItemStatus.REJECTED
    assert "not submitted again: run run-1 submitted this change for approval" in report.message
    assert "rejected or withdrawn in Oracle" in report.message
    assert again.exit_code == 3 and len(world.oracle.typed) == 1


def test_someone_elses_request_found_when_applying_is_left_alone(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request made between the plan and the attempt (a buyer's own edit): nothing typed,
    the item released for a later run, reported awaiting approval."""
    settings, path = _settings(tmp_path / "home"), _file(tmp_path)
    real = Requests(world.oracle)
    looked: list[str] = []

    def appears_after_the_plan(supplier_id: str) -> PendingChange | None:
        looked.append(supplier_id)
        if len(looked) == 1:  # the plan's look-up: nothing yet
            return None
        world.oracle.hold(WENSUM_ID, SupplierProfileInput(duns_number="999999999"))
        return real.pending(supplier_id)

    class Late(Requests):
        def pending(self, supplier_id: str) -> PendingChange | None:
            return appears_after_the_plan(supplier_id)

    monkeypatch.setattr(
        "flows.sync_suppliers.run.RestChangeRequests", lambda _rest: Late(world.oracle)
    )
    result = _run(settings, path, "run-1")
    (report,) = result.reports
    assert report.status is ItemStatus.AWAITING_APPROVAL
    assert report.message.startswith("not submitted: change request CR-1001")
    assert world.oracle.typed == [] and result.exit_code == 0
    with Ledger(settings.effective_ledger_url) as ledger:
        (item,) = ledger.items(SCOPE)
    assert item.state is ItemState.ABANDONED  # claimable again once the request is decided


def test_a_request_made_before_the_session_ended_is_not_submitted_twice(
    tmp_path: Path, world: World
) -> None:
    """The page saved (a request was made), then the session ended: the retry signs in again,
    finds the request pending and types nothing; the change is this run's, awaiting approval."""
    settings, path = _settings(tmp_path / "home"), _file(tmp_path)
    world.oracle.expire_after_saving = True
    result = _run(settings, path, "run-1")
    (report,) = result.reports
    assert report.status is ItemStatus.AWAITING_APPROVAL
    assert report.message.startswith(AWAITING_NOTE)
    assert len(world.oracle.typed) == 1 and len(world.oracle.held[WENSUM_ID]) == 1
    with Ledger(settings.effective_ledger_url) as ledger:
        (item,) = ledger.items(SCOPE)
    assert item.state is ItemState.DONE
