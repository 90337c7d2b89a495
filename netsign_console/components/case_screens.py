"""The screens of the sub-task kinds (workflow/subtasks.py), rendered on the case page.

One card at the top of the page shows the sub-task the user opened: the generator's form
(FormStep), the room table with selection and batch tools (RoomBatchStep), the room picker
(RoomPickStep), the mapping (MappingStep), master-data picks (RecordPickStep), the document
(DocumentStep), the upload of named materials (UploadStep) or a confirmation (ConfirmStep). Read-only unless the viewer
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


def _embedded_fields(step_type: type, fields_of) -> dict:
    """admin -> the fields any registered flow's steps of `step_type` show (compiled once into
    the page; the state's slug decides which admin's grid is visible)."""
    from netsign_console.workflow import all_flows

    out: dict = {}
    for flow in all_flows():
        for stage in flow.stages().values():
            for sub in stage.subtasks:
                if isinstance(sub, step_type):
                    fields = out.setdefault(sub.admin, [])
                    fields.extend(f for f in fields_of(sub) if f not in fields)
    return out


def _field_grids(state, step_type: type, fields_of) -> list[rx.Component]:
    return [
        rx.cond(state.slug == admin.slug,
                rx.grid(*[field_widget(admin, n, state) for n in fields], columns=rx.breakpoints(initial="1", md="3"),
                        spacing="3", width="100%"))
        for admin, fields in _embedded_fields(step_type, fields_of).items()
    ]


def _form_screen(S, F) -> rx.Component:
    """The embedded form: the fields of every FormStep's admin, the state decides which show."""
    from netsign_console.workflow.subtasks import FormStep

    grids = _field_grids(F, FormStep, lambda sub: sub.fields)
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
    # One upload box and a choice of the kind: an rx.upload inside rx.foreach breaks the page
    # (its upload_files handler is compiled outside the state's scope).
    return rx.vstack(
        rx.cond(S.screen_editable, rx.hstack(
            rx.el.select(rx.foreach(S.upload_kinds, lambda k: rx.el.option(k[1], value=k[0])),
                         value=S.upload_kind, on_change=S.choose_upload_kind, id="subtask-upload-kind"),
            rx.upload(rx.button("选择文件", variant="soft", size="1"), id="subtask-upload-files", max_files=3,
                      accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                      border="1px dashed #ccc", padding="4px"),
            rx.button("上传", size="1", on_click=S.upload_subtask(S.upload_kind,
                                                                 rx.upload_files(upload_id="subtask-upload-files")),
                      id="subtask-upload-send"),
            align="center", spacing="3",
        )),
        rx.text("材料类型：", rx.foreach(S.upload_kinds, lambda k: rx.text.span(k[1], "　")), size="1", color="gray"),
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


def _records_screen(P) -> rx.Component:
    """信息选择: a select per slot, 保存; 新增 opens the admin's fields for the slot."""
    from netsign_console.workflow.subtasks import RecordPickStep

    def slot(row) -> rx.Component:
        return rx.vstack(
            rx.hstack(
                rx.text(row.label, weight="medium", size="2", width="180px"),
                rx.select.root(
                    rx.select.trigger(placeholder="请选择", width="360px"),
                    rx.select.content(rx.foreach(row.options, lambda o: rx.select.item(o[1], value=o[0]))),
                    value=P.chosen[row.code],
                    on_change=lambda v: P.choose(row.code, v),
                    disabled=~P.screen_editable,
                    name="records-" + row.code,
                ),
                rx.cond(row.options.length() == 0, rx.text("暂无可选记录", size="1", color="orange")),
                rx.cond(P.can_add, rx.button("新增", size="1", variant="soft", on_click=P.start_add(row.code),
                                             id="records-add-" + row.code)),
                align="center",
            ),
            rx.cond(P.errors.contains("records-" + row.code),
                    rx.text(P.errors["records-" + row.code], color="red", size="2", id="error-records-" + row.code)),
            spacing="1",
        )

    add_form = rx.form(
        rx.vstack(
            rx.text("新增", P.adding_label, weight="bold", size="2"),
            *_field_grids(P, RecordPickStep, lambda sub: sub.add_fields),
            rx.cond(P.form_error != "", rx.callout(P.form_error, icon="triangle_alert", color_scheme="red", size="1",
                                                   id="records-add-error")),
            rx.hstack(rx.button("保存并选择", type="submit", size="2", id="records-add-save"),
                      rx.button("取消", size="2", variant="soft", color_scheme="gray", on_click=P.cancel_add,
                                type="button")),
            spacing="3", width="100%",
        ),
        on_submit=P.save, key=P.form_key, width="100%",
    )
    return rx.vstack(
        rx.foreach(P.slots, slot),
        rx.cond(P.screen_editable, rx.button("保存选择", size="2", on_click=P.save_choice, id="records-save")),
        rx.cond(P.adding, rx.card(add_form, width="100%")),
        spacing="3", width="100%",
    )


def _document_screen(D) -> rx.Component:
    """文书生成: template, 预览 (sandboxed: the preview page runs no script), 生成, the result."""
    return rx.vstack(
        rx.hstack(
            rx.text("文书类型：", D.kind_title, size="2"),
            rx.select.root(
                rx.select.trigger(width="220px"),
                rx.select.content(rx.foreach(D.templates, lambda t: rx.select.item(t[1], value=t[0]))),
                value=D.variant, on_change=D.choose_variant, name="document-variant",
            ),
            rx.button("预览", size="2", variant="soft", on_click=D.show_preview, id="document-preview"),
            rx.cond(D.editable, rx.button(rx.cond(D.document_id > 0, "重新生成", "生成"), size="2",
                                          on_click=D.generate, id="document-generate")),
            align="center", wrap="wrap",
        ),
        rx.cond(D.error != "", rx.callout(D.error, icon="triangle_alert", color_scheme="red", size="1",
                                          id="document-error")),
        rx.cond(
            D.document_id > 0,
            rx.hstack(
                rx.badge(D.status_label, color_scheme="green"),
                rx.text("文书编号：", rx.text.strong(D.number, id="document-number"), size="2"),
                rx.text("第", D.version, "版 · ", D.template_label, size="2", color="gray"),
                rx.text("查验码：", rx.code(D.verification_code, id="document-code"), size="2"),
                rx.link("下载PDF", href="/api/documents/" + D.document_id.to_string() + ".pdf", is_external=True,
                        id="document-download"),
                rx.link("在线查验", href="/verify/" + D.verification_code, is_external=True),
                align="center", wrap="wrap", id="document-issued",
            ),
            rx.text("尚未生成", size="2", color="gray"),
        ),
        rx.cond(D.preview != "",
                rx.el.iframe(src_doc=D.preview, sandbox="", id="document-preview-frame", title="文书预览",
                             width="100%", height="640px", style={"border": "1px solid #ddd", "background": "white"})),
        spacing="3", width="100%",
    )


def subtask_screen(S, F, R, M, P, D, L, C) -> rx.Component:
    from netsign_console.components.case_list_screens import codes_screen, list_screen

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
                    ("records", _records_screen(P)),
                    ("document", _document_screen(D)),
                    ("upload", _upload_screen(S)),
                    ("confirm", _confirm_screen(S)),
                    ("list", list_screen(L)),
                    ("codes", codes_screen(C)),
                    rx.text("该待办任务暂不支持在线办理", color="gray"),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="subtask-screen",
        ),
    )
