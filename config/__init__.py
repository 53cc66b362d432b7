"""Settings: one object, loaded at the entry point and passed down (see settings.py)."""

from config.settings import (
    BrowserSettings,
    OracleSettings,
    RetrySettings,
    SandboxSettings,
    Settings,
    load_settings,
)

__all__ = [
    "BrowserSettings",
    "OracleSettings",
    "RetrySettings",
    "SandboxSettings",
    "Settings",
    "load_settings",
]
