"""`console_page`: declare a page once: its route, title, permission and menu entry.

The page-load gate (AppState.enter_page) checks the route's permission, so typing the
URL of a page the role may not use lands on /denied; the page's own data loads are
guarded handlers as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import reflex as rx

from netsign_console.auth.permissions import Perm
from netsign_console.components.layout import shell
from netsign_console.navigation import RouteCheck, register_menu, register_route
from netsign_console.state.app_state import AppState

APP_TITLE = "网签备案管理控制台"


@dataclass
class PageSpec:
    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: list


PAGES: list[PageSpec] = []


def console_page(
    route: str,
    title: str,
    perm: Perm,
    *,
    menu: str | None = None,
    label: str | None = None,
    on_load=None,
    bare: bool = False,
    order: int = 100,
    check: RouteCheck | None = None,
) -> Callable:
    """`check(principal, route params) -> bool` gates a route more finely than `perm` (e.g. a
    generic page per flow that only the flow's roles may open)."""

    def decorate(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        if menu:
            register_menu(menu, label or title, route, perm, order=order, check=check)
        else:
            register_route(route, check or perm)
        loads = [] if bare else [AppState.enter_page]
        if on_load is not None:
            loads.extend(on_load if isinstance(on_load, list) else [on_load])
        component = fn if bare else (lambda: shell(fn(), title, route))
        PAGES.append(PageSpec(route, f"{title} - {APP_TITLE}", component, loads))
        return fn

    return decorate


def add_pages(app: rx.App) -> None:
    for spec in PAGES:
        app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load or None)
