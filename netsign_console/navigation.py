"""The menu, declared once: the sidebar, the route permission check and the tests read it.

Groups follow the Hunan manual (系统管理, 业务办理, 业务受理, 统计查询). A page registers its
route here with the permission it needs; the sidebar shows only what the role may use, and
`route_allows` is what the page-load gate checks, so a hidden menu entry is also a closed
door. Menu entries that come from declarations (the 业务受理 groups generated from the
registered flows) are added by a provider function, so no page or list is edited for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from netsign_console.auth.permissions import Perm, has_permission
from netsign_console.auth.principal import Principal

GROUPS = ("系统管理", "业务办理", "业务受理", "统计查询")
# Public users (no organisation) administer nothing: what they may open of 系统管理 (looking up
# service points) is a public service to them, listed under its own heading.
PUBLIC_GROUP = "便民服务"
MENU_ORDER = GROUPS + (PUBLIC_GROUP,)

# A route's gate: a permission, or a function of (principal, route params) -> allowed.
RouteCheck = Callable[[Principal, dict], bool]


@dataclass(frozen=True)
class MenuItem:
    group: str
    label: str
    route: str
    perm: Perm
    icon: str = "circle"
    order: int = 100
    # A finer gate than the permission (who among its holders works with the page).
    check: "RouteCheck | None" = None


MENU: list[MenuItem] = []
# Routes that need a permission but have no menu entry (detail pages, forms).
_HIDDEN_ROUTES: dict[str, Perm | RouteCheck] = {}
# group -> fn(principal) -> [{"label", "route", "icon"}]: entries derived from declarations.
_PROVIDERS: dict[str, list[Callable[[Principal], list[dict]]]] = {}


def register_menu(group: str, label: str, route: str, perm: Perm, icon: str = "circle", order: int = 100,
                  check: RouteCheck | None = None) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    if any(item.route == route for item in MENU):
        return
    MENU.append(MenuItem(group, label, route, perm, icon, order, check))


def register_route(route: str, perm: Perm | RouteCheck) -> None:
    _HIDDEN_ROUTES[route] = perm


def register_menu_provider(group: str, provider: Callable[[Principal], list[dict]]) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    providers = _PROVIDERS.setdefault(group, [])
    if provider not in providers:
        providers.append(provider)


def permission_for_route(route: str) -> Perm | RouteCheck | None:
    for item in MENU:
        if item.route == route:
            return item.perm
    return _HIDDEN_ROUTES.get(route)


def route_allows(principal: Principal | None, route: str, params: dict | None = None) -> bool:
    """May the principal open this route (its permission or its check)? Unknown routes: HOME."""
    gate = permission_for_route(route) or Perm.HOME
    if principal is None:
        return False
    item = next((i for i in MENU if i.route == route), None)
    if item is not None and item.check is not None and not item.check(principal, params or {}):
        return False
    if isinstance(gate, Perm):
        return has_permission(principal, gate)
    return bool(gate(principal, params or {}))


def _group_of(item: MenuItem, principal: Principal) -> str:
    if item.group == "系统管理" and principal.org_id is None:
        return PUBLIC_GROUP
    return item.group


def menu_for(principal: Principal) -> list[dict]:
    """[{"group": "系统管理", "items": [{"label", "route", "icon"}]}], only what the role may use."""
    if principal.must_change_password:
        return []  # nothing opens but the password page until the one-time password is changed
    groups = []
    for group in MENU_ORDER:
        items = [
            {"label": item.label, "route": item.route, "icon": item.icon}
            for item in sorted(MENU, key=lambda i: i.order)
            if _group_of(item, principal) == group and has_permission(principal, item.perm)
            and (item.check is None or item.check(principal, {}))
        ]
        for provider in _PROVIDERS.get(group, []):
            items.extend(provider(principal))
        if items:
            groups.append({"group": group, "items": items})
    return groups
