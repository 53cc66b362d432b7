"""Settings of the audit trail and of the run-log viewer for support staff.

Set them like any other setting: ``[audit]`` / ``[audit.viewer]`` in ``config/settings.toml``, or
environment variables such as ``RPA_AUDIT__RETENTION_YEARS=6`` and
``RPA_AUDIT__VIEWER__HOST=0.0.0.0``. The viewer's password is a secret: give it through the
environment or the secrets directory (a file ``<home>/secrets/audit__viewer__password``).
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

DEFAULT_VIEWER_PORT = 8790


def is_loopback_host(host: str) -> bool:
    """True when ``host`` only ever accepts connections from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        # Any other host name may resolve to a public address: treat it as reachable.
        return False


class ViewerSettings(BaseModel):
    """The read-only web viewer (``rpa viewer``)."""

    # Loopback by default: the viewer shows order numbers, suppliers and screenshots of Oracle,
    # so it is only reachable from elsewhere when someone decides so and sets credentials.
    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_VIEWER_PORT, ge=0, le=65535)  # 0: any free port
    username: str | None = None
    password: SecretStr | None = None
    # Host names the viewer answers besides its own address (and, bound to loopback, localhost;
    # bound to 0.0.0.0, this machine's name): a reverse proxy's name, say. Any other Host
    # header is refused, so that a web page cannot read the viewer through DNS rebinding.
    allowed_hosts: Annotated[list[str], NoDecode] = []

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _names(cls, value: object) -> object:
        # "a.example, b.example" in an environment variable; a JSON list is read too.
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [name.strip() for name in text.split(",") if name.strip()]
        return value

    @field_validator("username")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _both_or_neither(self) -> ViewerSettings:
        if (self.username is None) != (self.password is None):
            raise ValueError("set both audit.viewer.username and audit.viewer.password, or neither")
        return self

    @property
    def has_credentials(self) -> bool:
        return self.username is not None and self.password is not None

    @property
    def on_loopback(self) -> bool:
        return is_loopback_host(self.host)


class AuditSettings(BaseModel):
    """How long evidence is kept, and how support staff read the run logs."""

    # Screenshots, traces and per-run debug logs are deleted by ``rpa audit prune`` once their
    # run is past the retention period; the audit chain and its digests are never pruned.
    # The council keeps purchase-order and supplier records for the current year plus six:
    # a run that ended in 2026 keeps its evidence until 31 December 2032 (UK time) and may be
    # pruned from 1 January 2033. ``retention_years`` counts those whole calendar years after
    # the year the run ended.
    retention_years: int = Field(default=6, ge=0, le=100)
    # A plain number of days instead (a run is pruned that many days after it ended). Not set
    # by default; when set, it replaces the calendar-year rule. Setting both is refused.
    retention_days: int | None = Field(default=None, ge=1)
    # Where ``rpa audit anchor`` writes the chain head, and every run writes it as it ends:
    # storage the bot's account can add to but not change (write-once storage, the audit
    # team's share). Not set: no anchors are written, and ``verify`` checks only those given.
    anchor_dir: Path | None = None
    viewer: ViewerSettings = ViewerSettings()

    @model_validator(mode="after")
    def _one_retention_rule(self) -> AuditSettings:
        if self.retention_days is not None and "retention_years" in self.model_fields_set:
            raise ValueError(
                "set audit.retention_years or audit.retention_days, not both: days replace "
                "the calendar-year rule"
            )
        return self
