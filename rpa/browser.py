"""Finding and launching Chromium, in one place.

Order of preference: a configured executable; Playwright's own downloaded Chromium (when
``playwright install`` could run); a system Chromium on PATH or at the usual Debian paths.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Browser, Playwright

from config.settings import BrowserSettings

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_CHROMIUM_PATHS = (
    Path("/usr/bin/chromium"),
    Path("/usr/bin/chromium-browser"),
    Path("/usr/lib/chromium/chromium"),
    Path("/snap/bin/chromium"),
)

# Without these, Chromium keeps trying to reach Google's services; on a closed network that is
# noise and delay, and a bot must not phone anywhere but the target anyway.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--metrics-recording-only",
)


class BrowserNotFoundError(RuntimeError):
    """No usable Chromium: the message says what to install."""

    def __init__(self, tried: list[str]) -> None:
        self.tried = tried
        super().__init__(
            "No Chromium browser was found. Tried: "
            + ", ".join(tried)
            + ". Install one with `apt-get install chromium` (Debian/Ubuntu), or set "
            "RPA_BROWSER__EXECUTABLE_PATH to a Chromium or Chrome executable."
        )


def _playwright_bundled_chromium(playwright: Playwright | None) -> Path | None:
    if playwright is None:
        return None
    try:
        path = Path(playwright.chromium.executable_path)
    except Exception:  # Playwright raises its own error when its browser was never downloaded
        return None
    return path if path.is_file() else None


def find_chromium(settings: BrowserSettings, playwright: Playwright | None = None) -> Path:
    """Return the Chromium executable to launch, or raise :class:`BrowserNotFoundError`."""
    tried: list[str] = []
    if settings.executable_path is not None:
        if settings.executable_path.is_file():
            return settings.executable_path
        tried.append(f"{settings.executable_path} (configured, not found)")
    bundled = _playwright_bundled_chromium(playwright)
    if bundled is not None:
        return bundled
    tried.append("Playwright's own Chromium")
    for name in SYSTEM_CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    tried.extend(SYSTEM_CHROMIUM_NAMES)
    for path in SYSTEM_CHROMIUM_PATHS:
        if path.is_file():
            return path
    tried.extend(str(p) for p in SYSTEM_CHROMIUM_PATHS)
    raise BrowserNotFoundError(tried)


def launch_chromium(playwright: Playwright, settings: BrowserSettings) -> Browser:
    """Launch headless (by default) Chromium with the flags a closed network needs."""
    executable = find_chromium(settings, playwright)
    return playwright.chromium.launch(
        executable_path=str(executable),
        headless=settings.headless,
        args=list(CHROMIUM_ARGS),
    )
