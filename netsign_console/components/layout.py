"""The console shell: sidebar menu (only what the role may use) and the header.

Nothing of a page is drawn before its gate passed: the shell waits for a user, and a page's
title and content wait until AppState.current_route is that page's route (enter_page sets
it only for a permitted route), so a denied page redirects before any of it shows.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.web_session import CHANGE_PASSWORD_PATH
from netsign_console.components.session_scripts import logout
from netsign_console.state.app_state import AppState, MenuGroup, MenuLink

SIDEBAR_WIDTH = "220px"
BRAND = "网签备案管理控制台"


def _menu_link(link: MenuLink) -> rx.Component:
    active = AppState.current_route == link.route
    return rx.link(
        rx.hstack(
            rx.text(link.label, size="2"),
            padding_x="16px",
            padding_y="8px",
            border_radius="6px",
            width="100%",
            background=rx.cond(active, "rgba(255,255,255,0.16)", "transparent"),
            _hover={"background": "rgba(255,255,255,0.10)"},
        ),
        href=link.route,
        color="white",
        underline="none",
        width="100%",
    )


def _menu_group(group: MenuGroup) -> rx.Component:
    return rx.vstack(
        rx.text(group.group, size="1", color="rgba(255,255,255,0.6)", padding_x="16px", padding_top="12px"),
        rx.foreach(group.links, _menu_link),
        spacing="1",
        width="100%",
    )


def sidebar() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.link(
                rx.heading(BRAND, size="3", color="white", padding="16px"),
                href="/",
                underline="none",
            ),
            rx.link(rx.text("工作台", size="2", padding_x="16px", color="white"), href="/", underline="none"),
            rx.foreach(AppState.menu, _menu_group),
            spacing="1",
            width="100%",
            padding_x="8px",
            padding_bottom="24px",
        ),
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        height="100vh",
        overflow_y="auto",
        background="#1e3a5f",
        position="sticky",
        top="0",
        id="sidebar",
    )


def header(title: str, route: str) -> rx.Component:
    return rx.hstack(
        rx.cond(AppState.current_route == route, rx.heading(title, size="4", id="page-title")),
        rx.spacer(),
        rx.link(
            rx.badge(
                "待处理业务 ",
                rx.text.strong(AppState.pending_count, id="pending-count"),
                color_scheme=rx.cond(AppState.pending_count > 0, "orange", "gray"),
                size="2",
            ),
            href="/inbox",
            underline="none",
        ),
        rx.text(AppState.org_name, size="2", color="gray", id="header-org"),
        rx.badge(AppState.role_label, variant="soft", id="header-role"),
        rx.text(AppState.user_name, size="2", weight="bold", id="header-user"),
        rx.link("修改密码", href=CHANGE_PASSWORD_PATH, size="2", id="change-password-link"),
        rx.button("退出登录", on_click=logout(), variant="outline", size="1", id="logout"),
        align="center",
        spacing="4",
        padding_x="24px",
        padding_y="12px",
        border_bottom="1px solid #e5e7eb",
        background="white",
        width="100%",
        position="sticky",
        top="0",
        z_index="10",
    )


def _body(content: rx.Component, route: str) -> rx.Component:
    return rx.cond(AppState.current_route == route, content, rx.box(id="page-pending"))


def shell(content: rx.Component, title: str, route: str) -> rx.Component:
    return rx.cond(
        AppState.user_name != "",
        rx.hstack(
            sidebar(),
            rx.vstack(
                header(title, route),
                rx.box(_body(content, route), padding="24px", width="100%"),
                spacing="0",
                width="100%",
                min_height="100vh",
                background="#f5f7fa",
            ),
            spacing="0",
            width="100%",
            align="start",
            # The sidebar is sticky at 100vh; below it (a long page printed or captured whole)
            # its colour continues instead of a white strip.
            background=f"linear-gradient(to right, #1e3a5f {SIDEBAR_WIDTH}, #f5f7fa {SIDEBAR_WIDTH})",
        ),
        rx.box(min_height="100vh", background="#f5f7fa", id="shell-pending"),
    )
