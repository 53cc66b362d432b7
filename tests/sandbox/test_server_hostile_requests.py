"""Hostile requests to a real sandbox server: other sites' host names (DNS rebinding), and
admin calls a page from another site could make through a browser on this machine.

A sandbox of its own (admin calls that got through would reset the shared one), started with
``--allowed-host sandbox.test``. Requests go out byte for byte on a loopback socket
(``tests.raw_http``), with the ``Host``, ``Origin`` and ``Content-Type`` an attacker would send.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping

import httpx
import pytest

from sandbox.process import REST_PATH, SandboxProcess
from tests.raw_http import RawResponse, raw_request

pytestmark = [pytest.mark.slow]

CONFIGURED_NAME = "sandbox.test"
ORDER_ID = 300000060000001
# What the refused calls try to set: harmless if one got in.
SAFE_FAULTS: Mapping[str, object] = {"latency_ms": 1}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir = tmp_path_factory.mktemp("sandbox-guarded")
    with SandboxProcess(data_dir, reset=True, allowed_hosts=[CONFIGURED_NAME]) as server:
        # Data a reset would take away.
        with _rest(server) as rest:
            created = rest.post("/suppliers", json={"Supplier": "Hostile Test Ltd"})
            assert created.status_code == 201, created.text
        yield server


def _rest(server: SandboxProcess) -> httpx.Client:
    return httpx.Client(
        base_url=server.rest_base, auth=(server.username, server.password), trust_env=False
    )


def _port(server: SandboxProcess) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def _get(server: SandboxProcess, target: str, host: str) -> RawResponse:
    """A signed-in GET (basic auth, as the bots' REST calls) naming ``host``."""
    token = base64.b64encode(f"{server.username}:{server.password}".encode()).decode()
    return raw_request(
        _port(server), target, host=host, headers={"Authorization": f"Basic {token}"}
    )


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "sandbox.test.evil.example",
        "127.0.0.2:{port}",
        "[::2]:{port}",
    ],
)
def test_another_host_name_is_refused(guarded: SandboxProcess, host: str) -> None:
    """Pages, sign-in, REST (even signed in), admin and health all answer 421 with a
    one-line reason to a host name that is not the sandbox's."""
    name = host.format(port=_port(guarded))
    for target in (
        "/",
        "/signin",
        "/fscmUI/redwood/purchase-orders/",
        f"{REST_PATH}/purchaseOrders/{ORDER_ID}",
        "/sandbox/admin/faults",
        "/sandbox/admin/supplier-change-requests",
        "/sandbox/health",
    ):
        answer = _get(guarded, target, name)
        assert answer.status == 421, (name, target, answer.status)
        assert answer.text.count("\n") <= 1 and "--allowed-host" in answer.text
        assert b"POHeaderId" not in answer.body


def test_own_and_configured_names_are_answered(guarded: SandboxProcess) -> None:
    """127.0.0.1, localhost and [::1] (the sandbox is on loopback), and --allowed-host names."""
    port = _port(guarded)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", CONFIGURED_NAME):
        answer = _get(guarded, f"{REST_PATH}/purchaseOrders/{ORDER_ID}", host)
        assert answer.status == 200, host
        assert json.loads(answer.body)["POHeaderId"] == ORDER_ID


# Every admin call that changes something, with a body it would accept.
WRITES: list[tuple[str, str, Mapping[str, object]]] = [
    ("PUT", "/sandbox/admin/faults", SAFE_FAULTS),
    ("DELETE", "/sandbox/admin/faults", {}),
    ("POST", "/sandbox/admin/expire-sessions", {}),
    ("POST", "/sandbox/admin/reset", {}),
    ("POST", f"/sandbox/admin/orders/{ORDER_ID}/status", {"status": "Closed"}),
    ("POST", "/sandbox/admin/supplier-change-requests/CR-1001/approve", {}),
    ("POST", "/sandbox/admin/supplier-change-requests/CR-1001/reject", {}),
    ("DELETE", "/sandbox/admin/stats", {}),
]


def _write(
    server: SandboxProcess,
    method: str,
    target: str,
    body: Mapping[str, object],
    headers: dict[str, str],
) -> RawResponse:
    port = _port(server)
    return raw_request(port, target, method=method, headers=headers, body=json.dumps(body).encode())


def _state(server: SandboxProcess) -> tuple[object, ...]:
    """What the refused calls would change: faults, the seed, an order's status."""
    with _rest(server) as rest:
        order = rest.get(f"/purchaseOrders/{ORDER_ID}").json()
        suppliers = rest.get("/suppliers", params={"totalResults": "true", "limit": 1}).json()
    return server.faults(), order["Status"], suppliers["totalResults"]


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
    ],
)
def test_admin_writes_without_a_json_body_are_refused(
    guarded: SandboxProcess, content_type: str | None
) -> None:
    """What an HTML form on another site can send (no preflight) gets 415 and changes nothing."""
    before = _state(guarded)
    headers = {} if content_type is None else {"Content-Type": content_type}
    for method, target, body in WRITES:
        answer = _write(guarded, method, target, body, headers)
        assert answer.status == 415, (method, target, content_type, answer.status)
        assert "application/json" in answer.text and answer.text.count("\n") <= 1
    assert _state(guarded) == before


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}"],
)
def test_admin_writes_from_another_origin_are_refused(guarded: SandboxProcess, origin: str) -> None:
    """A JSON call that a page elsewhere made (its Origin is not the sandbox's) gets 403."""
    before = _state(guarded)
    headers = {
        "Content-Type": "application/json",
        "Origin": origin.format(port=_port(guarded)),
    }
    for method, target, body in WRITES:
        answer = _write(guarded, method, target, body, headers)
        assert answer.status == 403, (method, target, origin, answer.status)
        assert "Origin" in answer.text and answer.text.count("\n") <= 1
    assert _state(guarded) == before


def test_admin_writes_with_json_from_the_sandbox_itself_pass(guarded: SandboxProcess) -> None:
    """JSON without an Origin (a script, a test) or with the sandbox's own origin is served."""
    port = _port(guarded)
    for headers in (
        {"Content-Type": "application/json"},
        {"Content-Type": "application/json; charset=utf-8", "Origin": f"http://127.0.0.1:{port}"},
    ):
        answer = _write(guarded, "PUT", "/sandbox/admin/faults", SAFE_FAULTS, headers)
        assert answer.status == 200, answer.text
        assert json.loads(answer.body)["latency_ms"] == 1
        assert guarded.restore_faults()["latency_ms"] == 0
    # Reads stay open to loopback callers as before.
    assert raw_request(port, "/sandbox/admin/faults").status == 200


def test_sandbox_process_admin_helpers_send_json(guarded: SandboxProcess) -> None:
    """SandboxProcess's own calls (what tests and the benchmark use) pass the new rules."""
    assert guarded.set_faults(latency_ms=2)["latency_ms"] == 2
    assert guarded.restore_faults()["latency_ms"] == 0
    assert guarded.expire_sessions() >= 0
    assert guarded.server_stats(reset=True)["requests"] >= 0
    assert guarded.set_order_status(ORDER_ID, "Open") == "Open"
