"""The root state: the shell (header, menu, pending count) and the page gate.

There is no session token in state: the session is an HttpOnly cookie (auth/web_session.py)
that every handler resolves on the server from its websocket connection (auth.guard). The
header vars are display only; nothing here is trusted from the browser.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import (
    current_path, principal_of_state, public_handler, refusal, self_checked, session_token_of,
)
from netsign_console.auth.web_session import CHANGE_PASSWORD_PATH, LOGIN_PATH
from netsign_console.auth.permissions import Perm, require
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.navigation import menu_for, permission_for_route, route_allows


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


def header_name(principal: Principal) -> str:
    """The person, not the role again: an account named like its role shows its username."""
    name = principal.display_name
    return principal.username if not name or name == principal.role_label else name


class AppState(rx.State):
    user_name: str = ""
    org_name: str = ""
    role_label: str = ""
    pending_count: int = 0
    menu: list[MenuGroup] = []
    # The route whose gate passed last: a page draws its title and content only when it is
    # its own, so a denied page redirects before any of it is drawn.
    current_route: str = ""
    # What /denied says when it is not the route but a record the user may not see (set by
    # the guard: "记录不存在或无权访问", the same for a missing record and someone else's).
    denied_message: str = ""
    # Where to go after login (set when a page sent this tab to the login page; the server
    # checks it again, safe_next). Kept here, not in the URL, so the login URL stays /login.
    login_next: str = ""
    # A message for the next login page of this tab (e.g. after a password change).
    login_notice: str = ""

    def _clear_shell(self) -> None:
        """Nobody is logged in on this tab: draw nothing of the last user's shell."""
        self.user_name = self.org_name = self.role_label = self.current_route = self.denied_message = ""
        self.menu = []
        self.pending_count = 0

    def _load_shell(self, principal: Principal) -> None:
        self.user_name = header_name(principal)
        self.org_name = principal.org_name
        self.role_label = principal.role_label
        self.menu = [
            MenuGroup(g["group"], [MenuLink(**i) for i in g["items"]]) for g in menu_for(principal)
        ]
        self.pending_count = 0 if principal.must_change_password else pending_count_for(principal)

    @self_checked
    def enter_page(self):
        """on_load of every console page: log-in check, route permission, shell data."""
        route = self.router.route_id or self.router.url.path
        principal = principal_of_state(self)
        if route != "/denied":
            self.denied_message = ""
        try:
            gate = permission_for_route(route) or Perm.HOME
            # A permission goes through require (it also sends a one-time password to be changed);
            # a route check (a case type's page) needs a login first.
            require(principal, gate if isinstance(gate, Perm) else Perm.HOME)
            if not route_allows(principal, route, dict(self.router.page.params)):
                raise PermissionDenied("您没有访问该页面的权限")
        except PermissionDenied as exc:
            if principal is not None:
                self._load_shell(principal)
            else:
                self._clear_shell()
            return refusal(exc, on_page_load=True, expired=bool(session_token_of(self)), state=self)
        self.current_route = route
        if route != CHANGE_PASSWORD_PATH:
            self.login_next = ""  # arrived: the way back is used up
        self._load_shell(principal)

    @public_handler
    def after_logout(self, _result=None):
        """After POST /api/session/logout answered (the cookie is gone, every session of the
        user ended): forget the shell and show the login page."""
        self._clear_shell()
        self.login_next = ""
        return rx.redirect(LOGIN_PATH)

    @self_checked
    def refresh_pending(self):
        principal = principal_of_state(self)
        if principal is not None and not principal.must_change_password:
            self.pending_count = pending_count_for(principal)


__all__ = ["AppState", "MenuGroup", "MenuLink", "current_path", "header_name"]
