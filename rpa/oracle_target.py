"""Which Oracle the bots drive: the configured one, or the embedded sandbox started on demand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import SecretStr

from config.settings import Settings


class TargetConfigError(ValueError):
    """The Oracle target is configured only in part (e.g. a URL without credentials)."""


@dataclass(frozen=True)
class OracleTarget:
    base_url: str
    username: str
    password: SecretStr
    embedded_sandbox: bool

    @property
    def rest_base(self) -> str:
        return f"{self.base_url}/fscmRestApi/resources/11.13.18.05"


@contextmanager
def oracle_target(settings: Settings) -> Iterator[OracleTarget]:
    """Yield the target; with no Oracle URL configured, run the embedded sandbox meanwhile."""
    oracle = settings.oracle
    if oracle.base_url:
        if not oracle.username or oracle.password is None:
            raise TargetConfigError(
                "oracle.base_url is set but oracle.username or oracle.password is missing: set "
                "RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD (or files in the secrets directory)"
            )
        yield OracleTarget(oracle.base_url, oracle.username, oracle.password, False)
        return
    from sandbox.process import SandboxProcess

    with SandboxProcess(
        data_dir=settings.sandbox_data_dir, settings=settings.sandbox, port=0
    ) as sandbox:
        yield OracleTarget(
            sandbox.base_url, settings.sandbox.username, settings.sandbox.password, True
        )
