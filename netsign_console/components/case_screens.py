"""The screens of the sub-task kinds (workflow/subtasks.py), rendered on the case page.

One card at the top of the page shows the sub-task the user opened: the generator's form
(FormStep), the room table with selection and batch tools (RoomBatchStep), the upload of
named materials (UploadStep) or a confirmation (ConfirmStep). Read-only unless the viewer
holds the stage's open task; the services check that again on every write.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.admin.ui.widgets import field_widget


def _error(S, field: str) -> rx.Component:
    return rx.cond(S.errors.contains(field), rx.text(S.errors[field], color="red", size="2", id=f"error-{field}"))


def _readonly_note(S) -> rx.Component:
    return rx.cond(~S.screen_editable,
                   rx.callout("本环节已派工或不在您的在手业务中，信息只读", icon="lock", size="1", id="screen-readonly"))


def _embedded_fields() -> dict:
    """admin -> the fields any registered flow's FormStep shows (compiled once into the page)."""
    from netsign_console.workflow import all_flows
    from netsign_console.workflow.subtasks import FormStep

    out: dict = {}
    for flow in all_flows():
        for stage in flow.stages().values():
            for sub in stage.subtasks:
                if isinstance(sub, FormStep):
                    fields = out.setdefault(sub.admin, [])
                    fields.extend(f for f in sub.fields if f not in fields)
    return out


def _form_screen(S, F) -> rx.Component:
    """The embedded form: the fields of every FormStep's admin, the state decides which show."""
    grids = [
        rx.cond(F.slug == admin.slug,
                rx.grid(*[field_widget(admin, n, F) for n in fields], columns=rx.breakpoints(initial="1", md="3"),
                        spacing="3", width="100%"))
        for admin, fields in _embedded_fields().items()
    ]
    return rx.form(
        rx.vstack(
            *grids,
            rx.cond(F.missing.length() > 0,
                    rx.text("尚未填写的必填项：", rx.foreach(F.missing, lambda m: rx.badge(m, color_scheme="orange")),
                            size="2", id="form-missing")),
            rx.cond(F.form_error != "", rx.callout(F.form_error, icon="triangle_alert", color_scheme="red", size="1",
                                                   id="form-error")),
            rx.cond(F.can_edit, rx.button("保存", type="submit", id="subtask-save")),
            spacing="3",
            width="100%",
        ),
        on_submit=F.save,
        key=F.form_key,
        width="100%",
    )


def _batch_input(f) -> rx.Component:
    return rx.vstack(
        rx.text(f.label, size="1", color="gray"),
        rx.cond(
            f.widget == "enum",
            rx.el.select(rx.el.option("（不修改）", value=""),
                         rx.foreach(f.choices, lambda c: rx.el.option(c[1], value=c[0])),
                         name=f.name, id="batch-" + f.name, style={"padding": "4px", "minWidth": "120px"}),
            rx.cond(
                f.widget == "bool",
                rx.el.select(rx.el.option("（不修改）", value=""), rx.el.option("是", value="1"),
                             rx.el.option("否", value="0"), name=f.name, id="batch-" + f.name,
                             style={"padding": "4px"}),
                rx.input(name=f.name, id="batch-" + f.name, width="120px", placeholder="不修改请留空"),
            ),
        ),
        spacing="1",
    )


def _selection_tools(S) -> rx.Component:
    def tool(mode: str, *fields: rx.Component, label: str) -> rx.Component:
        return rx.form(
            rx.hstack(rx.el.input(type="hidden", name="mode", value=mode), *fields,
                      rx.button(label, size="1", variant="soft", type="submit", id=f"select-{mode}"),
                      align="center", spacing="1"),
            on_submit=S.select_rooms, reset_on_submit=False, width="auto",
        )

    return rx.flex(
        tool("all", label="全选"),
        tool("none", label="清除选择"),
        tool("unit", rx.el.select(rx.foreach(S.room_units, lambda u: rx.el.option(u, value=u)), name="unit",
                                  id="select-unit-value", style={"padding": "4px"}), label="按单元选择"),
        tool("floor", rx.input(name="floor", placeholder="实际层", width="80px", id="select-floor-value"),
             label="按实际层选择"),
        tool("pattern",
             rx.el.select(rx.el.option("向后匹配", value="back"), rx.el.option("向前匹配", value="front"),
                          name="position", style={"padding": "4px"}),
             rx.input(name="digits", placeholder="匹配数字", width="90px", id="select-digits"),
             rx.input(name="length", placeholder="长度", width="60px", id="select-length"),
             label="室号匹配"),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def _rooms_screen(S) -> rx.Component:
    def row(r) -> rx.Component:
        return rx.table.row(
            rx.cond(S.screen_editable,
                    rx.table.cell(rx.checkbox(checked=S.selected.contains(r.id), on_change=lambda _: S.toggle_room(r.id),
                                              id="room-check-" + r.room_number))),
            rx.table.cell(r.room_number),
            rx.table.cell(r.unit),
            rx.table.cell(r.floor),
            rx.foreach(r.cells, lambda v, i: rx.table.cell(rx.cond(
                v == "",
                rx.cond(S.room_fields[i].required, rx.text("未填", color="red", size="1"), rx.text("—", color="gray")),
                v,
            ))),
            background=rx.cond(r.missing, "#fff7ed", "transparent"),
        )

    return rx.vstack(
        rx.hstack(
            rx.text("共", S.room_rows.length(), "户", size="2"),
            rx.cond(S.room_missing > 0, rx.badge(S.room_missing, "户信息不全", color_scheme="orange", id="rooms-missing"),
                    rx.badge("户室信息完整", color_scheme="green", id="rooms-complete")),
            rx.text(S.batch_note, size="2", color="#1e3a5f", id="batch-note"),
            align="center",
        ),
        rx.cond(S.screen_editable, rx.vstack(
            _selection_tools(S),
            _error(S, "selection"),
            rx.form(
                rx.vstack(
                    rx.text("批量设置（仅填写要修改的项，已选户室统一设置）", size="2", weight="bold"),
                    rx.flex(rx.foreach(S.room_fields, _batch_input), wrap="wrap", spacing="3"),
                    _error(S, "batch_values"),
                    rx.foreach(S.room_fields, lambda f: _error(S, f.name)),
                    rx.button("批量设置", type="submit", size="2", id="batch-apply"),
                    rx.cond(
                        S.batch_pending,
                        rx.callout(
                            rx.hstack(
                                rx.text(S.batch_note, id="batch-preview"),
                                rx.button("确认设置", size="1", color_scheme="green", type="button",
                                          on_click=S.confirm_batch, id="batch-confirm"),
                                rx.button("取消", size="1", variant="soft", color_scheme="gray", type="button",
                                          on_click=S.cancel_batch, id="batch-cancel"),
                                align="center",
                            ),
                            icon="info", size="1",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.preview_batch, reset_on_submit=False, id="batch-form", width="100%",
            ),
            spacing="3",
            width="100%",
        )),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.cond(S.screen_editable, rx.table.column_header_cell("选择")),
                    rx.table.column_header_cell("室号"), rx.table.column_header_cell("单元"),
                    rx.table.column_header_cell("实际层"),
                    rx.foreach(S.room_fields, lambda f: rx.table.column_header_cell(f.label)),
                )),
                rx.table.body(rx.foreach(S.room_rows, row)),
                size="1",
                width="100%",
                id="rooms-table",
            ),
            max_height="480px",
            overflow_y="auto",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _upload_screen(S) -> rx.Component:
    def kind(k) -> rx.Component:
        upload_id = "subtask-upload-" + k[0]
        return rx.hstack(
            rx.text(k[1], weight="medium", size="2", width="160px"),
            rx.upload(rx.button("选择文件", variant="soft", size="1"), id=upload_id, max_files=3,
                      accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                      border="1px dashed #ccc", padding="4px"),
            rx.button("上传", size="1", on_click=S.upload_subtask(k[0], rx.upload_files(upload_id=upload_id))),
            align="center",
        )

    return rx.vstack(
        rx.cond(S.screen_editable, rx.vstack(rx.foreach(S.upload_kinds, kind), spacing="2")),
        _error(S, "attachment"),
        rx.text("已上传的材料见左侧“附件”。", size="1", color="gray"),
        spacing="2",
    )


def _confirm_screen(S) -> rx.Component:
    return rx.hstack(
        rx.text(S.confirm_text, size="2"),
        rx.cond(S.screen_editable, rx.button("确认", size="2", on_click=S.confirm_subtask, id="subtask-confirm")),
        align="center",
    )


def subtask_screen(S, F) -> rx.Component:
    return rx.cond(
        S.screen_kind != "",
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(S.screen_title, size="4", id="screen-title"),
                    rx.spacer(),
                    rx.button("关闭", size="1", variant="soft", color_scheme="gray", on_click=S.close_subtask,
                              id="screen-close"),
                    width="100%",
                ),
                _readonly_note(S),
                _error(S, "screen"),
                rx.match(
                    S.screen_kind,
                    ("form", _form_screen(S, F)),
                    ("rooms", _rooms_screen(S)),
                    ("upload", _upload_screen(S)),
                    ("confirm", _confirm_screen(S)),
                    rx.text("该待办任务暂不支持在线办理", color="gray"),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="subtask-screen",
        ),
    )
