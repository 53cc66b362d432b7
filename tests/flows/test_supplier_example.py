"""The example supplier file reads cleanly and plans, against a fresh seed, as the docs say."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.applications import Starlette

from config.settings import SandboxSettings
from flows.sync_suppliers.flow import make_plan
from flows.sync_suppliers.input_reader import read_supplier_file
from flows.sync_suppliers.rest_reader import RestSupplierReader
from sandbox.process import REST_PATH
from tests.conftest import AsgiClient
from tests.flows.test_supplier_support import REPO

EXAMPLE = REPO / "examples" / "suppliers.csv"


class AsgiRest:
    """REST reads served by an in-process sandbox app (fresh seed), with basic auth."""

    def __init__(self, app: Starlette) -> None:
        self.client = AsgiClient(app)
        settings = SandboxSettings()
        self.auth = (settings.username, settings.password.get_secret_value())

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        response = self.client.get(REST_PATH + path, params=params, auth=self.auth)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


def test_example_file_plans_one_of_each_kind(sandbox_app: Callable[..., Starlette]) -> None:
    """One create, two updates, one deactivation, one unchanged supplier and one conflict."""
    read = read_supplier_file(EXAMPLE)
    assert (read.file_error, read.rejections, read.warnings) == (None, [], [])
    plan = make_plan(RestSupplierReader(AsgiRest(sandbox_app())), read, date(2026, 11, 29))
    assert plan.counts == {
        "create": 1,
        "update": 2,
        "deactivate": 1,
        "unchanged": 1,
        "conflict": 1,
        "rejected": 0,
        "awaiting_approval": 0,
    }
    actions = {c.supplier: c.action.value for c in plan.changes}
    assert actions == {
        "Broadland Highways Maintenance Ltd": "update",
        "Anglia Care Partnership Limited": "update",
        "Wensum Valley Ecology Ltd": "create",
        "Eastern Skip Hire Ltd": "deactivate",
        "Norfolk Digital Solutions Ltd": "conflict",
        "Norwich Commercial Tyres Ltd": "unchanged",
    }
