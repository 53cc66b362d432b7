"""Waiting for a page to be ready, whatever it is built with: never a fixed sleep.

Fusion serves pages of two families, and a bot meets plain pages too (sign-in, errors):

1. ADF (Fusion's home shell, classic work areas): ``AdfPage.PAGE.isSynchronizedWithServer()``
   and no blocking glass pane over the page (partial-page rendering in flight);
2. Redwood (Oracle JET): the page-level BusyContext reports ``isReady()``, found through the
   global ``oj.Context`` (as real pods expose it) or RequireJS's ``ojs/ojcontext`` (as the
   sandbox's offline JET does); a page that has RequireJS but not yet JET is still loading;
3. anything else: ``document.readyState`` is ``complete``.

The sandbox's pages also set ``document.body.dataset.page`` once their bindings are applied, which
real Fusion pages do not: nothing here relies on it.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import BrowserCrashedError, PageTimeoutError, SessionExpiredError
from config.ui_profile import SignIn

# RequireJS throws if a module is asked for before it is defined, so check ``require.defined``
# first. Two animation frames afterwards let JET paint what the last busy state changed.
_READY_JS = """
() => {
  if (document.readyState !== 'complete') return false;
  if (document.querySelector('form[data-signin], #idcs-signin-basic-signin-form-username')) {
    return true;  // a sign-in form has no busy work to wait for
  }
  const adf = window.AdfPage && window.AdfPage.PAGE;
  if (adf) {
    if (typeof adf.isSynchronizedWithServer === 'function' && !adf.isSynchronizedWithServer()) {
      return false;
    }
    const glass = document.querySelector('.AFBlockingGlassPane, .AFModalGlassPane');
    return !(glass && glass.getClientRects().length > 0);
  }
  let context = window.oj && window.oj.Context;
  if (!context && window.require && window.require.defined) {
    if (!window.require.defined('ojs/ojcontext')) return false;  // JET still loading
    const module = window.require('ojs/ojcontext');
    context = module.default || module;
  }
  if (context) return context.getPageContext().getBusyContext().isReady();
  return true;  // a plain page
}
"""

# Which family the page in the browser belongs to, for the page-identity check.
FAMILY_JS = """
() => {
  if (window.AdfPage && window.AdfPage.PAGE) return 'adf';
  if ((window.oj && window.oj.Context)
      || (window.require && window.require.defined && window.require.defined('ojs/ojcontext'))) {
    return 'redwood';
  }
  return 'plain';
}
"""


def is_sign_in_page(page: Page, sign_in: SignIn) -> bool:
    """True when Oracle sent the browser to its sign-in page (session expired or signed out)."""
    return (
        sign_in.path_marker in page.url.split("?")[0]
        or page.get_by_role("button", name=sign_in.sign_in_button, exact=True).count() > 0
    )


def wait_until_ready(page: Page, timeout_ms: float, sign_in: SignIn, *, screen: str = "") -> None:
    """Wait until the page is ready (see the module's docstring); raise a bot error that says
    why it is not. Landing on the sign-in page, except while signing in, means the session
    ended."""
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
    if screen != "signin" and is_sign_in_page(page, sign_in):
        raise SessionExpiredError("landed on the sign-in page", screen=screen, url=page.url)


def page_family(page: Page) -> str:
    """'redwood', 'adf' or 'plain': what the page in the browser is built with."""
    return str(page.evaluate(FAMILY_JS))
