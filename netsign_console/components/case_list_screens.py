"""The screens of the 信息列表 (RecordListStep) and 短信验证 (CodeStep) sub-tasks on the case page."""

from __future__ import annotations

import reflex as rx

from netsign_console.components.case_screens import _field_grids


def list_screen(L) -> rx.Component:
    """Rows with 修改 / 删除, 新增 opening the admin's fields, the figures above, 完成 below."""
    from netsign_console.workflow.subtasks import RecordListStep

    row_actions = lambda row: rx.table.cell(rx.hstack(  # noqa: E731
        rx.cond(L.rows_editable, rx.button("修改", size="1", variant="soft", on_click=L.start_edit(row.id),
                                           id="list-edit-" + row.id.to_string())),
        rx.cond(L.rows_removable, rx.button("删除", size="1", variant="soft", color_scheme="red",
                                            on_click=L.remove(row.id), id="list-remove-" + row.id.to_string())),
        spacing="1"))
    form = rx.form(
        rx.vstack(
            rx.text(rx.cond(L.editing_id > 0, "修改", "新增"), weight="bold", size="2"),
            *_field_grids(L, RecordListStep, lambda sub: sub.fields),
            rx.cond(L.form_error != "", rx.callout(L.form_error, icon="triangle_alert", color_scheme="red", size="1",
                                                   id="list-form-error")),
            rx.hstack(rx.button("保存", type="submit", size="2", id="list-save"),
                      rx.button("取消", size="2", variant="soft", color_scheme="gray", on_click=L.cancel_edit,
                                type="button")),
            spacing="3", width="100%",
        ),
        on_submit=L.save, key=L.form_key, width="100%",
    )
    return rx.vstack(
        rx.cond(L.figures.length() > 0, rx.hstack(rx.foreach(L.figures, lambda f: rx.badge(
            f[0], "：", f[1], size="2", variant="soft")), wrap="wrap", id="list-figures")),
        rx.cond(L.locked_reason != "", rx.callout(L.locked_reason, icon="lock", size="1", id="list-locked")),
        rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(L.headers, lambda h: rx.table.column_header_cell(h)),
                                         rx.table.column_header_cell(""))),
            rx.table.body(rx.foreach(L.rows, lambda row: rx.table.row(
                rx.foreach(row.cells, lambda c: rx.table.cell(c)), row_actions(row)))),
            size="1", width="100%", id="list-table",
        ),
        rx.cond(L.rows.length() == 0, rx.text("尚未录入", size="2", color="gray")),
        rx.foreach(L.list_errors, lambda m: rx.text(m, color="red", size="2", class_name="list-error")),
        rx.cond(L.editing, rx.card(form, width="100%")),
        rx.cond(L.list_editable & ~L.editing, rx.hstack(
            rx.button("新增", size="2", variant="soft", on_click=L.start_add, id="list-add"),
            rx.button("完成", size="2", on_click=L.finish, id="list-finish"),
        )),
        rx.cond(L.list_done, rx.badge("已完成", color_scheme="green", id="list-done")),
        spacing="3", width="100%",
    )


def codes_screen(C) -> rx.Component:
    def line(s) -> rx.Component:
        return rx.vstack(
            rx.hstack(
                rx.text(s.label, weight="medium", size="2", min_width="220px"),
                rx.text(s.phone, size="2", color="gray"),
                rx.cond(
                    s.confirmed_at != "",
                    rx.badge("已确认 ", s.confirmed_at, color_scheme="green", id="codes-confirmed-" + s.key),
                    rx.cond(C.codes_editable, rx.hstack(
                        rx.button("获取验证码", size="1", variant="soft", on_click=C.send(s.key), id="codes-send-" + s.key),
                        rx.input(placeholder="6位验证码", width="120px", max_length=6, value=C.entered.get(s.key, ""),
                                 on_change=lambda v: C.set_entered(s.key, v), id="codes-input-" + s.key),
                        rx.button("确认", size="1", on_click=C.verify(s.key), id="codes-verify-" + s.key),
                        spacing="2", align="center",
                    )),
                ),
                align="center", spacing="3", wrap="wrap",
            ),
            rx.cond(C.messages.contains(s.key), rx.text(C.messages[s.key], size="1", color="gray",
                                                        id="codes-message-" + s.key)),
            spacing="1",
        )

    return rx.vstack(
        rx.foreach(C.signers, line),
        rx.cond(C.codes_done, rx.badge("全部确认", color_scheme="green", id="codes-done")),
        rx.text("验证码5分钟内有效，仅可使用一次；连续输错5次将被锁定，需重新获取。", size="1", color="gray"),
        spacing="3", width="100%",
    )
