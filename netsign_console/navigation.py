"""The menu, declared once: the sidebar, the route permission check and the tests read it.

Groups follow the Hunan manual (系统管理, 业务办理, 业务受理, 统计查询). A page registers its
route here with the permission it needs; the sidebar shows only what the role may use, and
`permission_for_route` is what the page-load gate checks, so a hidden menu entry is also a
closed door.
"""

from __future__ import annotations

from dataclasses import dataclass

from netsign_console.auth.permissions import Perm, has_permission
from netsign_console.auth.principal import Principal

GROUPS = ("系统管理", "业务办理", "业务受理", "统计查询")
# Public users (no organisation) administer nothing: what they may open of 系统管理 (looking up
# service points) is a public service to them, listed under its own heading.
PUBLIC_GROUP = "便民服务"
MENU_ORDER = GROUPS + (PUBLIC_GROUP,)


@dataclass(frozen=True)
class MenuItem:
    group: str
    label: str
    route: str
    perm: Perm
    icon: str = "circle"


MENU: list[MenuItem] = []
# Routes that need a permission but have no menu entry (detail pages, forms).
_HIDDEN_ROUTES: dict[str, Perm] = {}


def register_menu(group: str, label: str, route: str, perm: Perm, icon: str = "circle") -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    if any(item.route == route for item in MENU):
        return
    MENU.append(MenuItem(group, label, route, perm, icon))


def register_route(route: str, perm: Perm) -> None:
    _HIDDEN_ROUTES[route] = perm


def permission_for_route(route: str) -> Perm | None:
    for item in MENU:
        if item.route == route:
            return item.perm
    return _HIDDEN_ROUTES.get(route)


def _group_of(item: MenuItem, principal: Principal) -> str:
    if item.group == "系统管理" and principal.org_id is None:
        return PUBLIC_GROUP
    return item.group


def menu_for(principal: Principal) -> list[dict]:
    """[{"group": "系统管理", "items": [{"label", "route", "icon"}]}], only what the role may use."""
    groups = []
    for group in MENU_ORDER:
        items = [
            {"label": item.label, "route": item.route, "icon": item.icon}
            for item in MENU
            if _group_of(item, principal) == group and has_permission(principal, item.perm)
        ]
        if items:
            groups.append({"group": group, "items": items})
    return groups
