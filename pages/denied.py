"""无权访问: where the page-load gate sends a role that may not open a page."""

import reflex as rx

from netsign_console.auth.permissions import Perm
from netsign_console.components.page import console_page


@console_page("/denied", "无权访问", Perm.HOME)
def denied_page() -> rx.Component:
    return rx.callout(
        "您没有访问该页面的权限。如需开通，请联系本单位管理员或主管部门。",
        icon="shield_alert",
        color_scheme="red",
        size="3",
        id="denied",
    )
