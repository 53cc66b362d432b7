"""The boundary between bots/ and the flows: the flows never see Playwright.

Page objects translate every Playwright error into a bot error by one rule (a timeout keeps the
browser, anything else is a crash), and no module under flows/ imports Playwright. The
import-linter contract ``flows-never-import-playwright`` says the same for ``make lint``; this
test holds it in ``make test`` too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import bots
from bots.errors import (
    BrowserCrashedError,
    PageTimeoutError,
    ServerError,
    StructuralMismatchError,
)
from bots.playwright_errors import translates_playwright_errors
from bots.purchase_orders_page import PurchaseOrdersPage
from bots.supplier_page import SupplierPage
from bots.timeouts import Timeouts
from config.ui_profile import load_ui_profile
from tests.sandbox.pagehelpers import chromium

REPO = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Every module a source file imports, wherever the import statement is."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_no_flow_module_imports_playwright() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in sorted((REPO / "flows").rglob("*.py"))
        for line, module in _imported_modules(path)
        if module == "playwright" or module.startswith("playwright.")
    ]
    assert not found, "flows type against bots/, never Playwright:\n" + "\n".join(found)


def _page_object_classes() -> list[type]:
    classes: list[type] = []
    for info in pkgutil.iter_modules(bots.__path__):
        module = importlib.import_module(f"bots.{info.name}")
        classes.extend(
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__
            and cls.__name__.endswith("Page")
            # Protocols describe page objects; they hold no code to translate.
            and not getattr(cls, "_is_protocol", False)
        )
    return classes


def test_every_public_member_of_every_page_object_translates_playwright_errors() -> None:
    classes = _page_object_classes()
    assert {c.__name__ for c in classes} >= {
        "SignInPage",
        "PurchaseOrdersPage",
        "PurchaseOrderPage",
        "SuppliersPage",
        "SupplierPage",
    }
    unwrapped = []
    for cls in classes:
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            function = member.fget if isinstance(member, property) else member
            if inspect.isfunction(function) and not hasattr(function, "__wrapped__"):
                unwrapped.append(f"{cls.__name__}.{name}")
    assert not unwrapped, "not behind @translates_playwright_errors: " + ", ".join(unwrapped)


@translates_playwright_errors
class _Shaped:
    """Shaped like a page object; raises what a Playwright call could."""

    screen = "shaped"

    def __init__(self, error: Exception) -> None:
        self.page = SimpleNamespace(url="https://oracle.example/fscmUI/x")
        self.error = error

    def act(self) -> None:
        raise self.error

    @property
    def value(self) -> str:
        raise self.error


@pytest.mark.parametrize("member", ["act", "value"])
def test_a_playwright_timeout_is_a_page_timeout(member: str) -> None:
    shaped = _Shaped(PlaywrightTimeoutError("Timeout 5000ms exceeded."))
    with pytest.raises(PageTimeoutError) as caught:
        attribute = getattr(shaped, member)  # the property raises here
        attribute()  # the method here
    assert (caught.value.screen, caught.value.url) == ("shaped", "https://oracle.example/fscmUI/x")
    # One sentence for people; Playwright's own words for the run log.
    assert caught.value.message == "Oracle's page did not answer within 5 s on the shaped page"
    assert caught.value.detail == "TimeoutError: Timeout 5000ms exceeded."


def test_any_other_playwright_error_is_a_crashed_browser() -> None:
    shaped = _Shaped(PlaywrightError("Target page, context or browser has been closed"))
    with pytest.raises(BrowserCrashedError) as caught:
        shaped.act()
    assert caught.value.message == "the browser closed unexpectedly on the shaped page"
    assert "has been closed" in caught.value.detail


def test_an_error_that_is_not_playwrights_is_left_alone() -> None:
    """A bug is not a browser failure: it must not be retried as one."""
    with pytest.raises(KeyError):
        _Shaped(KeyError("bug")).act()


STATIC_PAGE = """<!doctype html><html><head><script>
  window.require = Object.assign(
    () => ({ getPageContext: () => ({ getBusyContext: () => ({ isReady: () => true }) }) }),
    { defined: () => true });
</script></head><body><p>not a supplier page</p></body></html>"""
TIMEOUTS = Timeouts(action_ms=300, ready_ms=2000, navigation_ms=2000)
PROFILE = load_ui_profile("redwood")


@pytest.mark.browser
def test_real_page_objects_raise_bot_errors_only() -> None:
    """On a real page: a page that is not the one the profile describes is a structural
    mismatch naming the profile key (not a timeout to retry); a page that was closed under the
    page object is a crashed browser."""
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.set_content(STATIC_PAGE)
        with pytest.raises(StructuralMismatchError) as caught:
            SupplierPage(page, "http://127.0.0.1:9", PROFILE, TIMEOUTS).opened()
        assert caught.value.screen == "supplier"
        assert caught.value.profile_key == "suppliers.page.heading_pattern"
        page.close()
        with pytest.raises(BrowserCrashedError) as crashed:
            PurchaseOrdersPage(page, "http://127.0.0.1:9", PROFILE, TIMEOUTS).open()
        assert crashed.value.screen == "purchase-orders"
        context.close()


class _DialogBehind:
    """Widgets whose page shows Oracle's error dialog (what blocked the click)."""

    def raise_if_error_dialog(self) -> None:
        raise ServerError("HTTP 500 Internal Server Error: the service did not answer")


def test_a_timeout_behind_an_error_dialog_is_the_dialogs_error() -> None:
    """The click timed out because Oracle's dialog covered the page: the dialog's own words
    are the failure, the timeout only its detail."""
    shaped = _Shaped(PlaywrightTimeoutError("Timeout 15000ms exceeded."))
    shaped.widgets = _DialogBehind()  # type: ignore[attr-defined]
    with pytest.raises(ServerError) as caught:
        shaped.act()
    assert caught.value.message.startswith("HTTP 500 Internal Server Error")
    assert caught.value.detail == "TimeoutError: Timeout 15000ms exceeded."
