"""The sandbox counts the time it spends serving requests, without injected latency."""

from __future__ import annotations

import httpx

from sandbox.process import SandboxProcess


def test_server_time_is_counted_and_excludes_injected_latency(
    sandbox_server: SandboxProcess, rest: httpx.Client
) -> None:
    """Ten REST calls with 100 ms added latency: counted, but far below one second of work."""
    sandbox_server.server_stats(reset=True)
    sandbox_server.set_faults(latency_ms=100)
    for _ in range(10):
        rest.get("/purchaseOrders", params={"limit": "1"}).raise_for_status()
    stats = sandbox_server.server_stats(reset=True)
    assert stats["requests"] == 10
    assert 0 < stats["server_time_s"] < 1.0
    assert sandbox_server.server_stats()["requests"] == 0
