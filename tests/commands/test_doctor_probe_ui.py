"""`rpa doctor --probe-ui`: the read-only walk of a UI profile against a sandbox, with a real
Chromium. The matching profile is found key by key (exit 0); the default profile against the
other variant lists the keys that differ as missing (exit 2), the same keys a flow's breaker
names; and the walk changes nothing in Oracle."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from sandbox.process import SandboxProcess
from tests.commands.conftest import RunRpa

pytestmark = pytest.mark.browser


def probe(run_rpa: RunRpa, server: SandboxProcess, profile: str) -> tuple[int, dict[str, Any]]:
    done = run_rpa(
        "doctor",
        "--probe-ui",
        "--json",
        RPA_ORACLE__BASE_URL=server.base_url,
        RPA_ORACLE__USERNAME=server.username,
        RPA_ORACLE__PASSWORD=server.password,
        RPA_ORACLE__UI_PROFILE=profile,
    )
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


def statuses(document: dict[str, Any]) -> dict[str, str]:
    return {entry["key"]: entry["status"] for entry in document["ui_probe"]["keys"]}


def order_count(server: SandboxProcess) -> int:
    with httpx.Client(auth=(server.username, server.password), trust_env=False) as client:
        answer = client.get(f"{server.rest_base}/purchaseOrders", params={"totalResults": "true"})
    return int(answer.json()["totalResults"])


def test_the_matching_profile_is_found_key_by_key_and_nothing_changes(
    run_rpa: RunRpa, sandbox_server: SandboxProcess
) -> None:
    before = order_count(sandbox_server)
    code, document = probe(run_rpa, sandbox_server, "redwood")
    found = statuses(document)
    assert code == 0, document
    assert document["ui_probe"]["all_found"] is True
    assert not [k for k, s in found.items() if s in ("missing", "ambiguous")]
    for key in (
        "family",
        "po.create.procurement_bu",
        "po.distribution.charge_account",
        "messages.no_matches",
        "suppliers.address.postal_code",
        "suppliers.page.row_edit_button",
    ):
        assert found[key] == "found", key
    # What a read-only walk cannot see is said, with the reason, never passed off as found.
    unchecked = {e["key"]: e["detail"] for e in document["ui_probe"]["keys"]}
    assert found["po.order.confirmation_pattern"] == "not_checked"
    assert "Submit" in unchecked["po.order.confirmation_pattern"]
    assert order_count(sandbox_server) == before


def test_the_default_profile_against_another_release_names_the_keys_that_differ(
    run_rpa: RunRpa, alt_sandbox_server: SandboxProcess
) -> None:
    code, document = probe(run_rpa, alt_sandbox_server, "redwood")
    found = statuses(document)
    assert code == 2
    assert document["ok"] is False
    missing = {k for k, s in found.items() if s == "missing"}
    assert {
        "po.orders.create_button",
        "po.order.heading_pattern",
        "po.order.add_line_button",
        "suppliers.page.heading_pattern",
        "suppliers.page.profile_tab",
        "suppliers.address.postal_code",
    } <= missing
    assert found["po.create.supplier"] != "missing"  # the same label on both releases


def test_the_other_releases_profile_fits_it(
    run_rpa: RunRpa, alt_sandbox_server: SandboxProcess
) -> None:
    code, document = probe(run_rpa, alt_sandbox_server, "redwood-alt")
    found = statuses(document)
    assert code == 0, [k for k, s in found.items() if s in ("missing", "ambiguous")]
    assert found["messages.no_matches"] == "found"
    assert found["po.create.procurement_bu"] == "found"
