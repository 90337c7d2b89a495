"""A Chinese replacement for Reflex's English connection banner and toasts."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors


def chinese_overlay() -> rx.Component:
    return rx.cond(
        has_connection_errors,
        rx.box(
            rx.text("与服务器的连接已断开，正在尝试重新连接…", color="white", size="2", weight="medium"),
            position="fixed",
            top="0",
            left="0",
            width="100vw",
            padding="6px",
            text_align="center",
            background="#c0392b",
            z_index="9999",
            id="connection-banner",
        ),
    )


def chinese_error_boundary(*children, **props) -> rx.Component:
    """Reflex's error boundary with a Chinese fallback page instead of its English one."""
    from reflex_base.vars import Var
    from reflex_base.vars.function import ArgsFunctionOperation
    from reflex_components_core.base.error_boundary import ErrorBoundary

    fallback = rx.center(
        rx.vstack(
            rx.heading("页面出现错误", size="6"),
            rx.text("页面显示时发生了错误，请刷新页面后重试；如问题仍然存在，请联系系统管理员。"),
            rx.button("刷新页面", on_click=rx.call_script("window.location.reload()")),
            align="center",
            spacing="3",
        ),
        height="100vh",
    )
    props.setdefault("fallback_render", ArgsFunctionOperation.create(("event_args",), Var.create(fallback)))
    return ErrorBoundary.create(*children, **props)
