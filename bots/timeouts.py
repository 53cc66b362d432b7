"""Timeouts the page objects use, taken from the browser settings (every timeout is a setting)."""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import BrowserSettings


@dataclass(frozen=True)
class Timeouts:
    action_ms: float
    ready_ms: float
    navigation_ms: float

    @classmethod
    def from_settings(cls, browser: BrowserSettings) -> Timeouts:
        return cls(
            action_ms=browser.action_timeout_s * 1000,
            ready_ms=browser.ready_timeout_s * 1000,
            navigation_ms=browser.navigation_timeout_s * 1000,
        )
