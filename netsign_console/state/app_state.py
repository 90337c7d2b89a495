"""The root state: the session cookie and the shell (header, menu, pending count).

Every page state subclasses AppState so that `self.token` is the caller's cookie and the
guard in auth.guard can resolve it. Nothing here is trusted from the browser: the header
vars are display only; every handler re-resolves the token.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import refusal, self_checked
from netsign_console.auth.permissions import Perm, require
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.auth.service import end_session, resolve_token
from netsign_console.navigation import menu_for, route_allows
from netsign_console.settings import settings

COOKIE_NAME = "netsign_token"


@dataclasses.dataclass
class MenuLink:
    label: str
    route: str
    icon: str


@dataclasses.dataclass
class MenuGroup:
    group: str
    links: list[MenuLink]


def pending_count_for(principal: Principal) -> int:
    # The inbox count (SYS-04): tasks held plus tasks the role may claim.
    from netsign_console.db import session_scope
    from netsign_console.workflow.inbox import inbox_count

    with session_scope() as session:
        return inbox_count(session, principal)


class AppState(rx.State):
    token: str = rx.Cookie(
        "", name=COOKIE_NAME, path="/", same_site="strict", max_age=settings.session_hours * 3600
    )
    user_name: str = ""
    org_name: str = ""
    role_label: str = ""
    pending_count: int = 0
    menu: list[MenuGroup] = []
    current_route: str = ""

    def _load_shell(self, principal: Principal) -> None:
        self.user_name = principal.display_name
        self.org_name = principal.org_name
        self.role_label = principal.role_label
        self.menu = [
            MenuGroup(g["group"], [MenuLink(**i) for i in g["items"]]) for g in menu_for(principal)
        ]
        self.pending_count = pending_count_for(principal)

    @self_checked
    def enter_page(self):
        """on_load of every console page: log-in check, route permission, shell data."""
        route = self.router.route_id or self.router.url.path
        principal = resolve_token(self.token)
        try:
            require(principal, Perm.HOME)
            if not route_allows(principal, route, dict(self.router.page.params)):
                raise PermissionDenied("您没有访问该页面的权限")
        except PermissionDenied as exc:
            if principal is not None:
                self._load_shell(principal)
            return refusal(exc, on_page_load=True, expired=bool(self.token))
        self.current_route = route
        self._load_shell(principal)

    @self_checked
    def refresh_pending(self):
        principal = resolve_token(self.token)
        if principal is not None:
            self.pending_count = pending_count_for(principal)

    @self_checked
    def logout(self):
        end_session(self.token)
        self.token = ""
        self.user_name = self.org_name = self.role_label = ""
        self.menu = []
        self.pending_count = 0
        return rx.redirect("/login")
