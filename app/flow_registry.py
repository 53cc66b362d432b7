"""The flows the suite can run, by name: what ``rpa flows`` lists and ``rpa run FLOW`` starts.

A flow's command module (``app/commands/<flow>_cmd.py``) registers its click command here when
imported; the shell imports them by name, so nothing below ``app`` knows which flows exist. The
scheduler starts flows only through ``rpa run FLOW`` in a child process, so a schedule refers to
a flow by its stable name, never to a Python path.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

import click

# Modules that register flows when imported. RPA_EXTRA_FLOW_MODULES (comma-separated) adds more:
# it is how a deployment plugs in a council-specific flow without changing this package.
BUILTIN_FLOW_MODULES = (
    "app.commands.raise_purchase_orders_cmd",
    "app.commands.sync_suppliers_cmd",
)


@dataclass(frozen=True)
class FlowSpec:
    name: str
    description: str
    command: click.Command
    default_timeout_s: float = 3600.0


_FLOWS: dict[str, FlowSpec] = {}


def register(spec: FlowSpec) -> FlowSpec:
    _FLOWS[spec.name] = spec
    return spec


def load_flows() -> dict[str, FlowSpec]:
    """Import every flow module once and return the flows by name."""
    extra = [m.strip() for m in os.environ.get("RPA_EXTRA_FLOW_MODULES", "").split(",")]
    for module in (*BUILTIN_FLOW_MODULES, *(m for m in extra if m)):
        importlib.import_module(module)
    return dict(sorted(_FLOWS.items()))
