"""The screens of the sub-task kinds (workflow/subtasks.py), rendered on the case page.

One card at the top of the page shows the sub-task the user opened: the generator's form
(FormStep), the room table with selection and batch tools (RoomBatchStep), the upload of
named materials (UploadStep) or a confirmation (ConfirmStep). Read-only unless the viewer
holds the stage's open task; the services check that again on every write.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.admin.ui.widgets import field_widget
from netsign_console.components.room_screens import mapping_screen, pick_screen, rooms_screen


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
    """A confirmation, with the table it confirms (原测绘信息查看, a before/after comparison ...)."""
    return rx.vstack(
        rx.cond(
            S.confirm_headers.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(rx.table.row(rx.foreach(S.confirm_headers, lambda h: rx.table.column_header_cell(h)))),
                    rx.table.body(rx.foreach(S.confirm_rows, lambda row: rx.table.row(
                        rx.foreach(row, lambda cell: rx.table.cell(cell))))),
                    size="1", width="100%", id="confirm-table",
                ),
                max_height="420px", overflow_y="auto", width="100%",
            ),
        ),
        rx.cond(S.confirm_note != "", rx.text(S.confirm_note, size="2", color="gray", id="confirm-note")),
        rx.hstack(
            rx.text(S.confirm_text, size="2"),
            rx.cond(S.screen_editable, rx.button("确认", size="2", on_click=S.confirm_subtask, id="confirm-subtask")),
            align="center",
        ),
        spacing="2",
        width="100%",
    )


def subtask_screen(S, F, R, M) -> rx.Component:
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
                    ("rooms", rooms_screen(R)),
                    ("pick", pick_screen(R)),
                    ("mapping", mapping_screen(M)),
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
