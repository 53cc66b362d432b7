"""Choosing the Oracle a command works against: myOracle as configured, or the embedded sandbox
when the operator asks for it. The only place outside the sandbox package that starts one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from config.settings import Settings
from rpa.oracle_target import ConfiguredOracle, OracleTarget, TargetSource, check_ui_profile
from sandbox.process import SandboxProcess

SANDBOX_TARGET_PREFIX = "sandbox:"


class EmbeddedSandbox:
    """The sandbox under ``<home>/sandbox`` (or ``sandbox.data_dir``), started on :meth:`open`."""

    embedded_sandbox = True

    def __init__(self, settings: Settings) -> None:
        check_ui_profile(settings.oracle.ui_profile)
        self._settings = settings
        self._data_dir = settings.sandbox_data_dir

    @property
    def target_id(self) -> str:
        # Keyed by its data: two sandboxes (two homes, a reset copy elsewhere) are two targets.
        return f"{SANDBOX_TARGET_PREFIX}{self._data_dir.resolve()}"

    def describe(self) -> str:
        return f"the embedded sandbox ({self._data_dir})"

    @contextmanager
    def open(self) -> Iterator[OracleTarget]:
        sandbox = self._settings.sandbox
        with SandboxProcess(data_dir=self._data_dir, settings=sandbox, port=0) as process:
            yield OracleTarget(
                process.base_url,
                sandbox.username,
                sandbox.password,
                embedded_sandbox=True,
                target_id=self.target_id,
                ui_profile=self._settings.oracle.ui_profile,
            )


def choose_target(settings: Settings, *, sandbox: bool = False) -> TargetSource:
    """The embedded sandbox when asked for (``--sandbox`` or ``oracle.target = "sandbox"``),
    else the configured myOracle; :class:`rpa.oracle_target.TargetConfigError` when there is
    none, so the command stops with exit 2 and raises nothing."""
    if sandbox or settings.oracle.target == "sandbox":
        return EmbeddedSandbox(settings)
    return ConfiguredOracle(settings.oracle)
