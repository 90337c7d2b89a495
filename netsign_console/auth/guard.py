"""The gate every Reflex event handler passes through.

    class ProjectState(AppState):
        @guarded(Perm.MASTER_DATA_VIEW)
        def load(self): ...

The wrapper resolves the browser's session token to a Principal (one indexed query),
checks the permission, and makes the principal available to services through
`current_principal()`. Refusals and domain errors become Chinese toasts; an anonymous
caller is sent to the login page. `public_handler` marks the few handlers that need no
login (the login form itself); tests/unit/test_handler_permissions.py fails on any handler
that is neither.
"""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable

import reflex as rx

from netsign_console.auth.permissions import NotAuthenticated, Perm, PermissionDenied, require
from netsign_console.auth.principal import reset_current_principal, set_current_principal
from netsign_console.auth.service import resolve_token
from netsign_console.errors import UserError  # noqa: F401  re-exported: callers import it from here

log = logging.getLogger(__name__)

GUARD_ATTR = "__netsign_permission__"
PUBLIC = "public"


def refusal(exc: Exception, on_page_load: bool, *, expired: bool = False):
    if isinstance(exc, NotAuthenticated):
        # A page visited without a session just goes to the login page; only a session that
        # ended under the user's hands (or a click after it ended) says so.
        if on_page_load and not expired:
            return rx.redirect("/login")
        return [rx.toast.warning("登录已失效，请重新登录"), rx.redirect("/login")]
    if isinstance(exc, PermissionDenied):
        if on_page_load:
            return rx.redirect("/denied")
        return rx.toast.error(str(exc))
    return rx.toast.error(str(exc))


def guarded(perm: Perm, *, page_load: bool = False) -> Callable:
    """Check `perm` before the handler runs. `page_load=True` redirects refusals to /denied."""

    def decorate(fn: Callable) -> Callable:
        def enter(state: Any):
            principal = resolve_token(getattr(state, "token", ""))
            require(principal, perm)
            return set_current_principal(principal)

        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def agen_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    yield refusal(exc, page_load)
                    return
                try:
                    async for item in fn(self, *args, **kwargs):
                        yield item
                except (UserError, PermissionDenied) as exc:
                    yield refusal(exc, page_load)
                finally:
                    reset_current_principal(ctx)

            wrapper = agen_wrapper
        elif inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    return refusal(exc, page_load)
                try:
                    return await fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    return refusal(exc, page_load)
                finally:
                    reset_current_principal(ctx)

            wrapper = async_wrapper
        elif inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    yield refusal(exc, page_load)
                    return
                try:
                    yield from fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    yield refusal(exc, page_load)
                finally:
                    reset_current_principal(ctx)

            wrapper = gen_wrapper
        else:

            @functools.wraps(fn)
            def sync_wrapper(self, *args, **kwargs):
                try:
                    ctx = enter(self)
                except PermissionDenied as exc:
                    return refusal(exc, page_load)
                try:
                    return fn(self, *args, **kwargs)
                except (UserError, PermissionDenied) as exc:
                    return refusal(exc, page_load)
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
