"""Shared helpers of the HTTP routes: the session cookie, Chinese JSON refusals, file names."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from netsign_console.auth.principal import Principal
from netsign_console.auth.service import resolve_token
from netsign_console.auth.web_session import COOKIE_NAME


def token_of(request: Request) -> str:
    return request.cookies.get(COOKIE_NAME, "")


async def principal_of(request: Request) -> Principal | None:
    # A user still on a one-time password resolves, but permissions.has_permission refuses it
    # everything except changing the password, so every route below answers 403.
    return await run_in_threadpool(resolve_token, token_of(request))


def refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


def not_logged_in() -> JSONResponse:
    return refuse(401, "请先登录")


def attachment(filename: str) -> dict[str, str]:
    """Content-Disposition with the Chinese name (RFC 5987) and an ASCII fallback."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "")
    if ascii_name.startswith("."):
        ascii_name = "download" + ascii_name
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}
