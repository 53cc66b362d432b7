"""Which Oracle the bots drive, and the id that keys the ledger's work to it.

A flow is handed a :class:`TargetSource` by the shell (``app``): myOracle as configured, or, only
when asked for (``--sandbox``, ``oracle.target = "sandbox"``), the embedded sandbox. Nothing in
the runtime or the flows starts a sandbox on its own: a host that lost its Oracle URL must stop
with a configuration error, never raise real requests in a stand-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from pydantic import SecretStr

from config.settings import OracleSettings
from config.ui_profile import DEFAULT_PROFILE, UiProfileError, cached_ui_profile

NO_TARGET_MESSAGE = (
    "No Oracle target is configured. To run against myOracle set RPA_ORACLE__BASE_URL, "
    "RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD (or files in the secrets directory); "
    "to rehearse against the embedded sandbox add --sandbox (RPA_ORACLE__TARGET=sandbox "
    "for schedules)."
)


class TargetConfigError(ValueError):
    """No Oracle target is configured, or only in part (e.g. a URL without credentials)."""


@dataclass(frozen=True)
class OracleTarget:
    """An Oracle the bots can reach now: where, and as whom."""

    base_url: str
    username: str
    password: SecretStr
    embedded_sandbox: bool
    target_id: str  # what the ledger keys work by (see oracle_target_id)
    # The UI profile its pages are driven by (config.ui_profile): a pod's labels and paths.
    ui_profile: str = DEFAULT_PROFILE

    @property
    def rest_base(self) -> str:
        return f"{self.base_url}/fscmRestApi/resources/11.13.18.05"


class TargetSource(Protocol):
    """An Oracle to work against, known before it is opened (the embedded sandbox starts then)."""

    @property
    def target_id(self) -> str: ...

    @property
    def embedded_sandbox(self) -> bool: ...

    def describe(self) -> str:
        """One phrase for people: 'myOracle at https://…', 'the embedded sandbox (…)'."""
        ...

    def open(self) -> AbstractContextManager[OracleTarget]: ...


def oracle_target_id(base_url: str) -> str:
    """A stable id for a pod: scheme, host and port, lower case, without path or credentials.

    ``https://EHXX.fa.em2.oraclecloud.com/`` and ``https://ehxx.fa.em2.oraclecloud.com`` are one
    target; the test and production pods are two.
    """
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower()
    default_port = {"https": 443, "http": 80}.get(parts.scheme.lower())
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme.lower()}://{host}{port}"


def check_ui_profile(name_or_path: str) -> None:
    """Load the UI profile now, so a wrong one stops the command before any work (exit 2) with
    the message naming its keys, rather than failing on the first page."""
    try:
        cached_ui_profile(name_or_path)
    except UiProfileError as exc:
        raise TargetConfigError(f"{exc} (oracle.ui_profile, RPA_ORACLE__UI_PROFILE)") from None


class ConfiguredOracle:
    """The Oracle named by ``oracle.base_url``, with its service account."""

    embedded_sandbox = False

    def __init__(self, oracle: OracleSettings) -> None:
        if not oracle.base_url:
            raise TargetConfigError(NO_TARGET_MESSAGE)
        if not oracle.username or oracle.password is None:
            raise TargetConfigError(
                "oracle.base_url is set but oracle.username or oracle.password is missing: set "
                "RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD (or files in the secrets directory)"
            )
        check_ui_profile(oracle.ui_profile)
        self._target = OracleTarget(
            oracle.base_url,
            oracle.username,
            oracle.password,
            embedded_sandbox=False,
            target_id=oracle_target_id(oracle.base_url),
            ui_profile=oracle.ui_profile,
        )

    @property
    def target_id(self) -> str:
        return self._target.target_id

    def describe(self) -> str:
        return f"myOracle at {self._target.base_url}"

    @contextmanager
    def open(self) -> Iterator[OracleTarget]:
        yield self._target
