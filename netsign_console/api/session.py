"""POST /api/session (log in) and POST /api/session/logout: the only places the session
cookie is set and cleared, HttpOnly and SameSite=Strict (Secure over https).

The login page posts JSON with fetch() and, on success, loads the next page in full, so the
new websocket carries the new cookie (Reflex reads cookies only at the handshake). Both
routes take JSON only and refuse another Origin: a form on another site can send neither.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from netsign_console.api.auth import token_of
from netsign_console.auth.service import LoginError, attempt_login, end_session
from netsign_console.auth.web_session import after_login, cookie_options, is_https, session_max_age

MAX_BODY = 4096


def _secure(request: Request) -> bool:
    return is_https(request.url.scheme, request.headers.get("x-forwarded-proto"))


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # same-origin fetch() may omit it; SameSite=Strict covers the rest
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def _refuse(status: int, message: str, field: str = "") -> JSONResponse:
    return JSONResponse({"field": field, "message": message}, status_code=status,
                        headers={"Cache-Control": "no-store"})


async def _json_body(request: Request) -> dict | None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return None
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def login(request: Request) -> JSONResponse:
    if not _same_origin(request):
        return _refuse(403, "请求来源不正确，请刷新页面后重试")
    body = await _json_body(request)
    if body is None:
        return _refuse(400, "请求格式不正确，请刷新页面后重试")
    try:
        result = await run_in_threadpool(attempt_login, str(body.get("login_name") or ""),
                                         str(body.get("password") or ""))
    except LoginError as exc:
        return _refuse(400, str(exc), exc.field)
    target = after_login(str(body.get("next") or ""), result.principal.must_change_password)
    response = JSONResponse({"next": target}, headers={"Cache-Control": "no-store"})
    response.set_cookie(value=result.token, max_age=session_max_age(), **cookie_options(secure=_secure(request)))
    return response


async def logout(request: Request) -> JSONResponse:
    """Ends every session of the user (this browser and any other) and clears the cookie."""
    if not _same_origin(request):
        return _refuse(403, "请求来源不正确，请刷新页面后重试")
    token = token_of(request)
    if token:
        await run_in_threadpool(end_session, token)
    response = JSONResponse({"next": "/login"}, headers={"Cache-Control": "no-store"})
    response.delete_cookie(**cookie_options(secure=_secure(request)))
    return response
