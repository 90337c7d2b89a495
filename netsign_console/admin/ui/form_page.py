"""The generated create / detail+edit page (and single-object forms such as /org/profile).

Ids: save id="form-save", delete id="form-delete", confirm id="delete-confirm",
back id="form-back", fields id="field-<column>", errors id="error-<column>".
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.admin.ui.form_state import AdminFormState as S
from netsign_console.admin.ui.notice import notice_dialog
from netsign_console.admin.ui.widgets import field_grid


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("删除确认"),
            rx.alert_dialog.description(S.delete_message, id="delete-message"),
            rx.hstack(
                rx.button("取消", on_click=S.close_delete, variant="soft", color_scheme="gray", id="delete-cancel"),
                rx.cond(~S.delete_blocked, rx.button("确定删除", on_click=S.confirm_delete, color_scheme="red",
                                                     id="delete-confirm")),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=S.delete_open,
    )


def _detail_links(admin: Any) -> rx.Component:
    """The admin's detail_links, once the page shows a saved record."""
    links = []
    for index, (label, route) in enumerate(admin.detail_links):
        before, after = route.split("{id}")
        links.append(rx.link(rx.button(label, variant="outline", type="button"), href=before + S.current_id + after,
                             id=f"detail-link-{index}"))
    if not links:
        return rx.fragment()
    return rx.cond(S.current_id != "", rx.hstack(*links, spacing="3"))


def form_page(admin: Any) -> rx.Component:
    buttons = [
        rx.cond(S.can_edit, rx.button("保存", type="submit", id="form-save")),
    ]
    if not admin.single_object:
        buttons.append(rx.link(rx.button("返回列表", variant="soft", type="button", id="form-back"), href=admin.route))
        buttons.append(rx.cond(S.can_delete & (S.current_id != ""),
                               rx.button("删除", on_click=S.open_delete, color_scheme="red", variant="outline",
                                         type="button", id="form-delete")))
    return rx.vstack(
        rx.callout(admin.help_text, icon="info", size="1") if admin.help_text else rx.fragment(),
        rx.cond(~S.can_edit, rx.text("只读：您可以查看但不能修改此记录。", size="2", color="gray", id="form-readonly")),
        rx.card(
            rx.form(
                rx.vstack(
                    field_grid(admin, list(admin.form_fields)),
                    rx.cond(S.form_error != "", rx.callout(S.form_error, icon="triangle_alert", color_scheme="red",
                                                           size="1", id="form-error")),
                    rx.hstack(*buttons, _detail_links(admin), spacing="3"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.save,
                key=S.form_key,
                width="100%",
            ),
            width="100%",
        ),
        _delete_dialog(),
        notice_dialog(S),
        spacing="3",
        width="100%",
    )
