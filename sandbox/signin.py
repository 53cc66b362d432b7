"""Sign-in, sign-out and the session probe the pages use to show who is signed in."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.auth import SESSION_COOKIE, Authenticator
from sandbox.db import Database
from sandbox.pages import HOME_PATH, SIGNIN_PATH, page_file


def safe_redirect(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send a user anywhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return HOME_PATH
    if any(ch in target for ch in "\r\n\\"):
        return HOME_PATH
    return target


def signin_routes(web_dir: Path, auth: Authenticator, db: Database) -> list[BaseRoute]:
    async def signin_page(request: Request) -> Response:
        return page_file(web_dir, "signin.html")

    async def signin(request: Request) -> Response:
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

    return [
        Route(SIGNIN_PATH, signin_page, methods=["GET"]),
        Route(SIGNIN_PATH, signin, methods=["POST"]),
        Route("/signout", signout, methods=["GET", "POST"]),
        Route("/sandbox/session", session, methods=["GET"]),
    ]
