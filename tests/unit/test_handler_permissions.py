"""Every event handler of every State checks permission (the gate in auth.guard).

Any browser can call any event handler by name, so a handler without a check is an open
door. A handler passes if it is wrapped by `guarded(perm)`, or is listed below as public
or as checking the session in its own body (with the reason).
"""

from __future__ import annotations

import inspect

import reflex as rx

import netsign_console.netsign_console  # noqa: F401  imports every page and its state
from netsign_console.auth.guard import GUARD_ATTR, PUBLIC
from netsign_console.auth.permissions import Perm

OUR_PACKAGES = ("netsign_console", "pages", "models")

# Genuinely public: the login form must work before anyone is logged in.
PUBLIC_HANDLERS = {
    ("LoginState", "submit"),
    ("LoginState", "on_load_login"),
    ("LoginState", "show_login_result"),
    ("AppState", "after_logout"),  # after POST /api/session/logout: clears this tab's shell, redirects  # shows this tab what POST /api/session answered; touches no data
}
# Resolve the token and check the route's permission (or need none) inside their body.
SELF_CHECKED = {
    ("AppState", "enter_page"),  # checks permission_for_route(route) with require()
    ("AppState", "refresh_pending"),  # reads only the caller's own count
}
# Reflex's generic setter only dispatches to explicit `set_<var>` handlers (auto setters
# are off), which are themselves checked here.
FRAMEWORK = {"setvar"}


def _our_states():
    seen, todo = [], list(rx.State.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return [c for c in seen if c.__module__.split(".")[0] in OUR_PACKAGES]


def _own_handlers(cls):
    for name, handler in cls.event_handlers.items():
        if name in FRAMEWORK:
            continue
        module = inspect.getmodule(inspect.unwrap(handler.fn))
        if module is None or module.__name__.split(".")[0] not in OUR_PACKAGES:
            continue
        yield name, handler


def test_states_are_found():
    names = {c.__name__ for c in _our_states()}
    assert {"AppState", "LoginState", "HomeState"} <= names


def test_every_handler_checks_permission():
    missing, unlisted = [], []
    for cls in _our_states():
        for name, handler in _own_handlers(cls):
            mark = getattr(handler.fn, GUARD_ATTR, None)
            owner = next(c.__name__ for c in cls.__mro__ if name in c.__dict__)
            if mark is None:
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif mark == PUBLIC and (owner, name) not in PUBLIC_HANDLERS:
                unlisted.append(f"{owner}.{name} (public)")
            elif mark == "self-checked" and (owner, name) not in SELF_CHECKED:
                unlisted.append(f"{owner}.{name} (self-checked)")
            elif mark not in (PUBLIC, "self-checked"):
                assert isinstance(mark, Perm), f"{owner}.{name}: {mark!r}"
    assert not missing, "handlers without a permission check: " + ", ".join(sorted(missing))
    assert not unlisted, "handlers marked open but not listed: " + ", ".join(sorted(set(unlisted)))


def test_the_check_cannot_be_bypassed_by_decorator_order():
    # guarded() must be the innermost wrapper: the mark sits on the function Reflex calls.
    for cls in _our_states():
        for name, handler in _own_handlers(cls):
            if isinstance(getattr(handler.fn, GUARD_ATTR, None), Perm):
                assert handler.fn.__wrapped__ is not handler.fn
