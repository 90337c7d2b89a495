"""The gate every Reflex event handler passes through.

    class ProjectState(AppState):
        @guarded(Perm.MASTER_DATA_VIEW)
        def load(self): ...

The wrapper resolves the session cookie of the caller's websocket connection to a Principal
(one indexed query; the HttpOnly cookie is read from the handshake's Cookie header on the
server, never from state the browser sends), checks the permission, and makes the
principal available to services through `current_principal()`. Refusals and domain errors
become Chinese toasts; an anonymous caller is sent to the login page (and back afterwards),
a user on a one-time password to the password page. `public_handler` marks the few handlers
that need no login (the login form itself); tests/unit/test_handler_permissions.py fails on
any handler that is neither.
"""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable

import reflex as rx

from netsign_console.auth.permissions import PasswordChangeRequired, Perm, require
from netsign_console.errors import NOT_FOUND, NotAuthenticated, PermissionDenied, UserError
from netsign_console.auth.principal import Principal, reset_current_principal, set_current_principal
from netsign_console.auth.service import resolve_token
from netsign_console.auth.web_session import CHANGE_PASSWORD_PATH, LOGIN_PATH, safe_next, token_from_cookie_header

log = logging.getLogger(__name__)

GUARD_ATTR = "__netsign_permission__"
PUBLIC = "public"


def session_token_of(state: Any) -> str:
    """The session token of the connection this event came over ("" when there is none)."""
    headers = getattr(getattr(state, "router", None), "headers", None)
    return token_from_cookie_header(getattr(headers, "cookie", "") or "")


def principal_of_state(state: Any) -> Principal | None:
    return resolve_token(session_token_of(state))


def current_path(state: Any) -> str:
    """The page the event came from, path and query, for the way back after login."""
    url = getattr(getattr(state, "router", None), "url", None)
    path = str(getattr(url, "path", "") or "")
    query = str(getattr(url, "query", "") or "")
    return f"{path}?{query}" if path and query else path


def to_login(state: Any = None):
    """To the login page, remembering (in this tab's server-side state) where to come back.
    The login then loads that page in full, so its websocket carries the new cookie."""
    if state is not None and hasattr(state, "login_next"):
        back = safe_next(current_path(state), default="")
        if back:
            state.login_next = back
    return rx.redirect(LOGIN_PATH)


def refusal(exc: Exception, on_page_load: bool, *, expired: bool = False, state: Any = None):
    if isinstance(exc, NotAuthenticated):
        # A page visited without a session just goes to the login page; only a session that
        # ended under the user's hands (or a click after it ended) says so.
        if on_page_load and not expired:
            return to_login(state)
        return [rx.toast.warning("登录已失效，请重新登录"), to_login(state)]
    if isinstance(exc, PasswordChangeRequired):
        return rx.redirect(CHANGE_PASSWORD_PATH)
    if isinstance(exc, PermissionDenied):
        if on_page_load:
            if hasattr(state, "denied_message"):
                # A missing record and someone else's read the same: 记录不存在或无权访问.
                state.denied_message = NOT_FOUND if str(exc) == NOT_FOUND else ""
            return rx.redirect("/denied")
        return rx.toast.error(str(exc))
    return rx.toast.error(str(exc))


def guarded(perm: Perm, *, page_load: bool = False) -> Callable:
    """Check `perm` before the handler runs. `page_load=True` redirects refusals to /denied."""

    def decorate(fn: Callable) -> Callable:
        def enter(state: Any):
            principal = principal_of_state(state)
            require(principal, perm)
            return set_current_principal(principal)

        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def agen_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    yield refusal(exc, page_load, state=self)
                    return
                try:
                    async for item in fn(self, *args, **kwargs):
                        yield item
                except (UserError, PermissionDenied) as exc:
                    yield refusal(exc, page_load, state=self)
                finally:
                    reset_current_principal(ctx)

            wrapper = agen_wrapper
        elif inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    return refusal(exc, page_load, state=self)
                try:
                    return await fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    return refusal(exc, page_load, state=self)
                finally:
                    reset_current_principal(ctx)

            wrapper = async_wrapper
        elif inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    yield refusal(exc, page_load, state=self)
                    return
                try:
                    yield from fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    yield refusal(exc, page_load, state=self)
                finally:
                    reset_current_principal(ctx)

            wrapper = gen_wrapper
        else:

            @functools.wraps(fn)
            def sync_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    return refusal(exc, page_load, state=self)
                try:
                    return fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    return refusal(exc, page_load, state=self)
                finally:
                    reset_current_principal(ctx)

            wrapper = sync_wrapper

        setattr(wrapper, GUARD_ATTR, perm)
        return wrapper

    return decorate


def public_handler(fn: Callable) -> Callable:
    """Mark a handler that deliberately needs no login (it must not touch protected data)."""
    setattr(fn, GUARD_ATTR, PUBLIC)
    return fn


def self_checked(fn: Callable) -> Callable:
    """Mark a handler that resolves the session and checks permission in its own body."""
    setattr(fn, GUARD_ATTR, "self-checked")
    return fn
