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
