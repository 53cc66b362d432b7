"""Settings and environments that point a flow at the test session's sandbox, quick retries."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from config.settings import OracleSettings, RetrySettings, Settings
from rpa.ledger import ItemScope
from rpa.oracle_target import oracle_target_id
from sandbox.process import SandboxProcess


def flow_settings(
    home: Path, sandbox: SandboxProcess, *, attempts: int = 5, **overrides: Any
) -> Settings:
    """Settings for running a flow in-process against ``sandbox``."""
    values: dict[str, Any] = {
        "home": home,
        "oracle": OracleSettings(
            base_url=sandbox.base_url,
            username=sandbox.username,
            password=SecretStr(sandbox.password),
        ),
        "retry": RetrySettings(attempts=attempts, initial_wait_s=0.2, max_wait_s=1.0),
    }
    values.update(overrides)
    return Settings(**values)


def flow_env(home: Path, sandbox: SandboxProcess) -> dict[str, str]:
    """Environment for ``python -m app`` (or the click runner) against ``sandbox``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(
        {
            "RPA_HOME": str(home),
            "RPA_ORACLE__BASE_URL": sandbox.base_url,
            "RPA_ORACLE__USERNAME": sandbox.username,
            "RPA_ORACLE__PASSWORD": sandbox.password,
            "RPA_RETRY__INITIAL_WAIT_S": "0.2",
            "RPA_RETRY__MAX_WAIT_S": "1",
        }
    )
    return env


def sandbox_scope(flow: str, sandbox: SandboxProcess) -> ItemScope:
    """The ledger scope of ``flow``'s items when it runs against ``sandbox`` by its URL."""
    return ItemScope(flow, oracle_target_id(sandbox.base_url))
