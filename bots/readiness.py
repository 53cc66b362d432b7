"""Waiting for a Redwood page to be ready: JET's BusyContext, never a fixed sleep.

Oracle JET registers a busy state for component creation, animations and data fetches; a page is
ready when the page-level BusyContext reports ``isReady()``. The sandbox's pages also set
``document.body.dataset.page`` once their bindings are applied, which real Fusion pages do not: it
is only used as an extra signal when present.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import BrowserCrashedError, PageTimeoutError, SessionExpiredError

# RequireJS throws if a module is asked for before it is defined, so check ``require.defined``
# first. Two animation frames afterwards let JET paint what the last busy state changed.
_READY_JS = """
() => {
  if (document.readyState !== 'complete') return false;
  if (document.querySelector('form[data-signin], #idcs-signin-basic-signin-form-username')) {
    return true;  // a sign-in page has no JET work to wait for
  }
  if (!(window.require && window.require.defined && window.require.defined('ojs/ojcontext'))) {
    return false;
  }
  const Context = window.require('ojs/ojcontext');
  return (Context.default || Context).getPageContext().getBusyContext().isReady();
}
"""

SIGN_IN_PATH = "/signin"


def is_sign_in_page(page: Page) -> bool:
    """True when Oracle sent the browser to its sign-in page (session expired or signed out)."""
    return (
        SIGN_IN_PATH in page.url.split("?")[0]
        or page.get_by_role("button", name="Sign In").count() > 0
    )


def wait_until_ready(page: Page, timeout_ms: float, *, screen: str = "") -> None:
    """Wait until the page's BusyContext is ready; raise a bot error that says why it is not."""
    try:
        page.wait_for_function(_READY_JS, timeout=timeout_ms)
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
    except PlaywrightTimeoutError as exc:
        raise PageTimeoutError(
            f"page not ready after {timeout_ms / 1000:.0f}s", screen=screen, url=page.url
        ) from exc
    except PlaywrightError as exc:
        if page.is_closed() or ("Target" in str(exc) and "closed" in str(exc)):
            raise BrowserCrashedError(f"browser page closed: {exc}", screen=screen) from exc
        raise
    if is_sign_in_page(page) and screen != "signin":
        raise SessionExpiredError("landed on the sign-in page", screen=screen, url=page.url)
