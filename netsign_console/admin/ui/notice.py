"""The dialog for a Notice (admin/options.py): shown once, until the user closes it, e.g. the
one-time password of a new or reset account. The state keeps it only until then."""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.admin.options import Notice


def notice_fields(notice: Notice) -> tuple[str, list[list[str]]]:
    return notice.text, [[who, value] for who, value in notice.secrets]


def notice_dialog(S: Any) -> rx.Component:
    """`S` has notice_text, notice_rows ([[whose, value]]) and a close_notice handler."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("请记录以下信息"),
            rx.alert_dialog.description(S.notice_text, id="notice-text"),
            rx.vstack(
                rx.foreach(S.notice_rows, lambda row: rx.hstack(
                    rx.text(row[0], size="2", min_width="120px"),
                    rx.code(row[1], size="5", class_name="notice-secret"),
                    align="center", spacing="3",
                )),
                spacing="2",
                margin_top="12px",
                id="notice-secrets",
            ),
            rx.text("关闭后将无法再次查看。", size="1", color="gray", margin_top="8px"),
            rx.hstack(
                rx.button("我已记下", on_click=S.close_notice, id="notice-close"),
                justify="end",
                margin_top="16px",
            ),
        ),
        open=S.notice_text != "",
    )
