"""The session cookie and the after-login redirect, shared by the HTTP routes and the Reflex
handlers (no Reflex and no Starlette here).

The token travels only in an HttpOnly, SameSite=Strict cookie that POST /api/session sets
and POST /api/session/logout clears (api/session.py): no script can read it. The websocket
handshake carries it, so event handlers read it from the connection's Cookie header on the
server (`token_from_cookie_header`), never from state the browser sends.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from netsign_console.settings import settings

COOKIE_NAME = "netsign_token"
LOGIN_PATH = "/login"
CHANGE_PASSWORD_PATH = "/account/password"
_MAX_NEXT = 500


def token_from_cookie_header(header: str | None) -> str:
    """The session token in a raw Cookie header ("a=1; netsign_token=..."), or ""."""
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == COOKIE_NAME:
            return value.strip().strip('"')
    return ""


def cookie_options(*, secure: bool) -> dict:
    """Keyword arguments for Starlette's Response.set_cookie / delete_cookie."""
    return dict(key=COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=secure)


def session_max_age() -> int:
    return settings.session_hours * 3600


def is_https(scheme: str, forwarded_proto: str | None) -> bool:
    """Served over https, directly or behind a proxy that says so. Trusting the header can
    only make the cookie stricter (Secure), never weaker."""
    proto = (forwarded_proto or "").split(",")[0].strip().lower()
    return scheme == "https" or proto == "https"


def safe_next(path: str | None, default: str = "/") -> str:
    """A path of this site to go to after login; anything else (another host, a scheme, the
    login page itself, control characters) becomes `default`."""
    if not path or len(path) > _MAX_NEXT or not path.startswith("/") or path.startswith("//"):
        return default
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return default
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return default
    if parts.path in (LOGIN_PATH, CHANGE_PASSWORD_PATH) or parts.path.startswith("/api/"):
        return default
    return path


def after_login(next_path: str | None, must_change_password: bool) -> str:
    """Where a fresh login goes: the password page first when a one-time password is in use
    (the page asked for is still remembered for the login after the change)."""
    return CHANGE_PASSWORD_PATH if must_change_password else safe_next(next_path)
