"""Settings of the audit trail and of the run-log viewer for support staff.

Set them like any other setting: ``[audit]`` / ``[audit.viewer]`` in ``config/settings.toml``, or
environment variables such as ``RPA_AUDIT__RETENTION_DAYS=400`` and
``RPA_AUDIT__VIEWER__HOST=0.0.0.0``. The viewer's password is a secret: give it through the
environment or the secrets directory (a file ``<home>/secrets/audit__viewer__password``).
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

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

    # Screenshots, traces and per-run debug logs older than this are deleted by
    # ``rpa audit prune``. The audit chain and its digests are never pruned. The default keeps
    # evidence through a whole financial year and the external audit that follows it.
    retention_days: int = Field(default=400, ge=1)
    viewer: ViewerSettings = ViewerSettings()
