"""Faults on demand: latency, 5xx answers, a dropped submit, and the admin endpoint's guard."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from sandbox.process import SandboxProcess
from tests.conftest import AsgiClient

REST = "/fscmRestApi/resources/11.13.18.05"
ACTION = {"Content-Type": "application/vnd.oracle.adf.action+json"}


def small_order() -> dict[str, object]:
    need_by = (datetime.now(UTC).date() + timedelta(days=14)).isoformat()
    return {
        "ProcurementBU": "NCC Corporate BU",
        "Supplier": "Anglia Office Supplies Ltd",
        "SupplierSite": "AOS-NORWICH",
        "lines": [
            {
                "Item": "NCC-OFF-0001",
                "Quantity": 5,
                "NeedByDate": need_by,
                "POChargeAccount": "1000-CC101-5100-000",
            }
        ],
    }


def timed(call: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = call()
    return time.monotonic() - started, response


def test_latency_slows_rest_but_not_static_or_health(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """latency_ms delays REST calls by at least that much; health and JET files are not delayed.

    "Not delayed" is "answered in less than the latency": a bound with room for a machine busy
    with other tests, which a delayed answer can never meet."""
    latency_s = 2.0
    sandbox_server.set_faults(latency_ms=int(latency_s * 1000))
    elapsed, response = timed(lambda: rest.get("/currenciesLOV"))
    assert response.status_code == 200 and elapsed >= latency_s
    jet = f"{sandbox_server.base_url}/sandbox/jet/requirejs/package.json"
    health = f"{sandbox_server.base_url}/sandbox/health"
    for url in (jet, health):
        elapsed, response = timed(lambda url=url: httpx.get(url, trust_env=False))  # type: ignore[misc]
        assert response.status_code == 200 and elapsed < latency_s, url


def test_jitter_adds_up_to_its_amount(rest: httpx.Client, sandbox_server: SandboxProcess) -> None:
    """latency_jitter_ms adds a random extra delay between 0 and itself."""
    sandbox_server.set_faults(latency_ms=100, latency_jitter_ms=300)
    elapsed, _ = timed(lambda: rest.get("/currenciesLOV"))
    assert 0.1 <= elapsed < 2.0


def test_fault_rate_one_fails_every_rest_call(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """fault_rate=1.0 answers every REST call with one of the fault statuses; health stays up."""
    sandbox_server.set_faults(fault_rate=1.0)
    statuses = {rest.get("/currenciesLOV").status_code for _ in range(12)}
    assert statuses <= {500, 503} and statuses
    sandbox_server.set_faults(fault_statuses=[503])
    response = rest.get("/currenciesLOV")
    assert response.status_code == 503 and response.text == "Service Unavailable"
    assert httpx.get(f"{sandbox_server.base_url}/sandbox/health", trust_env=False).json() == {
        "status": "ok"
    }


def test_faulted_writes_change_nothing(rest: httpx.Client, sandbox_server: SandboxProcess) -> None:
    """A POST answered with an injected 5xx was not carried out."""
    before = rest.get("/purchaseOrders", params={"totalResults": "true", "limit": 1}).json()[
        "totalResults"
    ]
    sandbox_server.set_faults(fault_rate=1.0)
    assert rest.post("/draftPurchaseOrders", json=small_order()).status_code in {500, 503}
    sandbox_server.restore_faults()
    after = rest.get("/purchaseOrders", params={"totalResults": "true", "limit": 1}).json()[
        "totalResults"
    ]
    assert after == before


def test_drop_next_submit_commits_then_drops_the_connection(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """The next submit is carried out, but the client gets a connection error, not an answer."""
    created = rest.post("/draftPurchaseOrders", json=small_order()).json()
    sandbox_server.set_faults(drop_next_submit=True)
    submit_url = (
        f"{sandbox_server.rest_base}/draftPurchaseOrders/{created['POHeaderId']}/action/submit"
    )
    auth = (sandbox_server.username, sandbox_server.password)
    with httpx.Client(auth=auth, trust_env=False) as fresh, pytest.raises(httpx.TransportError):
        fresh.post(
            submit_url,
            headers=ACTION,
        )
    assert rest.get(f"/purchaseOrders/{created['POHeaderId']}").json()["Status"] == "Open"
    assert sandbox_server.faults()["drop_next_submit"] is False  # it fires once
    again = rest.post("/draftPurchaseOrders", json=small_order()).json()
    response = rest.post(
        f"/draftPurchaseOrders/{again['POHeaderId']}/action/submit", headers=ACTION
    )
    assert response.status_code == 200


def test_admin_faults_validation_and_restore(sandbox_server: SandboxProcess) -> None:
    """PUT checks values and names; DELETE restores the start-up faults."""
    url = f"{sandbox_server.base_url}/sandbox/admin/faults"
    assert httpx.put(url, json={"fault_rate": 2}, trust_env=False).status_code == 400
    assert httpx.put(url, json={"colour": "red"}, trust_env=False).status_code == 400
    assert sandbox_server.set_faults(latency_ms=5)["latency_ms"] == 5
    restored = sandbox_server.restore_faults()
    assert restored == {
        "latency_ms": 0,
        "latency_jitter_ms": 0,
        "fault_rate": 0.0,
        "fault_statuses": [500, 503],
        "drop_next_submit": False,
        "fail_next": [],
    }


def test_fail_next_fails_exactly_the_matching_calls(
    rest: httpx.Client, sandbox_server: SandboxProcess
) -> None:
    """A fail_next rule fails the next N calls whose path matches, then stops; others pass."""
    sandbox_server.set_faults(
        fail_next=[{"path_contains": "currenciesLOV", "times": 2, "status": 503}]
    )
    assert rest.get("/unitsOfMeasureLOV").status_code == 200
    statuses = [rest.get("/currenciesLOV").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert sandbox_server.faults()["fail_next"] == [
        {"path_contains": "currenciesLOV", "times": 0, "status": 503}
    ]
    url = f"{sandbox_server.base_url}/sandbox/admin/faults"
    bad_status = {"fail_next": [{"path_contains": "x", "status": 404}]}
    assert httpx.put(url, json=bad_status, trust_env=False).status_code == 400


def test_admin_refuses_non_loopback_callers(sandbox_app: Callable[..., Starlette]) -> None:
    """Every admin call from another address answers 403; health answers anyone."""
    app = sandbox_app()
    remote = AsgiClient(app, client=("10.1.2.3", 1234))
    local = AsgiClient(app, client=("127.0.0.1", 1234))
    calls = [
        ("GET", "/sandbox/admin/faults"),
        ("PUT", "/sandbox/admin/faults"),
        ("DELETE", "/sandbox/admin/faults"),
        ("POST", "/sandbox/admin/expire-sessions"),
        ("POST", "/sandbox/admin/reset"),
    ]
    for method, path in calls:
        assert remote.request(method, path, json={}).status_code == 403, path
        assert local.request(method, path, json={}).status_code == 200, path
    assert remote.get("/sandbox/health").json() == {"status": "ok"}
    assert AsgiClient(app, client=("::1", 1234)).get("/sandbox/admin/faults").status_code == 200


def test_faults_from_settings_apply_from_the_start(sandbox_app: Callable[..., Starlette]) -> None:
    """A fault rate given in settings is in force without any admin call."""
    client = AsgiClient(sandbox_app(fault_rate=1.0))
    response = client.get(REST + "/currenciesLOV", auth=("RPA.PROCUREMENT", "Sandbox-Welcome1"))
    assert response.status_code in {500, 503}
    assert client.get("/sandbox/admin/faults").json()["fault_rate"] == 1.0
