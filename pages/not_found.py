"""页面不存在: Reflex's 404 route, drawn inside the console layout with a way back."""

import reflex as rx

from netsign_console.auth.permissions import Perm
from netsign_console.components.page import console_page


@console_page("/404", "页面不存在", Perm.HOME)
def not_found_page() -> rx.Component:
    return rx.vstack(
        rx.callout("您访问的页面不存在，可能是地址输入有误，或该页面已被移除。", icon="circle_help",
                   color_scheme="gray", size="3", id="not-found"),
        rx.hstack(
            rx.link(rx.button("返回工作台", id="not-found-home"), href="/"),
            rx.button("返回上一页", variant="soft", on_click=rx.call_script("window.history.back()"),
                      id="not-found-back"),
            spacing="3",
        ),
        spacing="4",
        width="100%",
    )
