"""无权访问: where the page-load gate sends a role that may not open a page, and a page whose
record is missing or someone else's (then it says 记录不存在或无权访问, the same for both)."""

import reflex as rx

from netsign_console.auth.permissions import Perm
from netsign_console.components.page import console_page
from netsign_console.state.app_state import AppState


@console_page("/denied", "无权访问", Perm.HOME)
def denied_page() -> rx.Component:
    return rx.vstack(
        rx.callout(
            rx.cond(AppState.denied_message != "", AppState.denied_message,
                    "您没有访问该页面的权限。如需开通，请联系本单位管理员或主管部门。"),
            icon="shield_alert",
            color_scheme="red",
            size="3",
            id="denied",
        ),
        # No "back": the page before this one is the page that was refused.
        rx.link(rx.button("返回工作台", id="denied-home"), href="/"),
        spacing="4",
    )
