"""Sign-in, sign-out and the session probe the pages use to show who is signed in.

The sign-in page comes in the shapes Oracle's identity domains (IDCS) present, chosen by the
``sandbox.sign_in`` setting, so the bots' sign-in can be tested against each:

- ``single-step``: user name, password and Sign In on one form;
- ``two-step``: the user name and Next first, then the password and Sign In (the page switches
  steps itself; both post the same form to ``POST /signin``);
- ``sso``: a federated single-sign-on page with only a "Company Single Sign-On" button. A
  service account can't sign in through a company identity provider, so the button leads to a
  page saying so and ``POST /signin`` refuses every password: the sandbox shows the dead end a
  bot meets on such a tenant. REST's basic auth is unaffected.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.auth import SESSION_COOKIE, Authenticator
from sandbox.db import Database
from sandbox.pages import HOME_PATH, SIGNIN_PATH, PageFiles

SIGNIN_PAGES: dict[str, str] = {
    "single-step": "signin.html",
    "two-step": "signin-two-step.html",
    "sso": "signin-sso.html",
}
SSO_PATH = SIGNIN_PATH + "/sso"
SSO_UNAVAILABLE_PAGE = "signin-sso-unavailable.html"
SSO_REFUSAL = (
    "This sign-in page takes no passwords: sign in with your company account (single sign-on), "
    "which the sandbox doesn't offer."
)


def safe_redirect(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send a user anywhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return HOME_PATH
    if any(ch in target for ch in "\r\n\\"):
        return HOME_PATH
    return target


def signin_routes(
    pages: PageFiles, auth: Authenticator, db: Database, sign_in: str = "single-step"
) -> list[BaseRoute]:
    """The routes for the ``sign_in`` kind of page (a ``sandbox.sign_in`` value)."""
    if sign_in not in SIGNIN_PAGES:
        kinds = ", ".join(SIGNIN_PAGES)
        raise ValueError(f"Unknown sign-in kind {sign_in!r}; choose one of {kinds}.")

    async def signin_page(request: Request) -> Response:
        return pages.response(SIGNIN_PAGES[sign_in])

    async def signin(request: Request) -> Response:
        if sign_in == "sso":
            return PlainTextResponse(SSO_REFUSAL, status_code=403)
        form = await request.form()
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        target = safe_redirect(str(form.get("redirect") or "") or None)
        if not auth.check_password(username, password):
            return RedirectResponse(
                f"{SIGNIN_PATH}?error=1&redirect={quote(target, safe='/')}", status_code=303
            )
        response = RedirectResponse(target, status_code=303)
        token = auth.sessions.create(auth.username)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/")
        return response

    async def sso(request: Request) -> Response:
        """Where "Company Single Sign-On" leads: a real tenant would go to its identity
        provider (Okta, Entra ID…); the sandbox has none, and says so."""
        return pages.response(SSO_UNAVAILABLE_PAGE)

    async def signout(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            auth.sessions.drop(token)
        response = RedirectResponse(SIGNIN_PATH, status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def display_name(username: str) -> str:
        with db.read() as conn:
            row = conn.execute(
                "SELECT display_name FROM users WHERE username = ?", (username,)
            ).fetchone()
        return str(row["display_name"]) if row else username

    async def session(request: Request) -> Response:
        user = auth.session_user(request)
        if user is None:
            return PlainTextResponse("No session. Sign in again.", status_code=401)
        name = await run_in_threadpool(display_name, user)
        return JSONResponse({"user": user, "displayName": name})

    routes: list[BaseRoute] = [
        Route(SIGNIN_PATH, signin_page, methods=["GET"]),
        Route(SIGNIN_PATH, signin, methods=["POST"]),
        Route("/signout", signout, methods=["GET", "POST"]),
        Route("/sandbox/session", session, methods=["GET"]),
    ]
    if sign_in == "sso":
        routes.append(Route(SSO_PATH, sso, methods=["GET"]))
    return routes
