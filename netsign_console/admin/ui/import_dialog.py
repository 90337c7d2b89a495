"""The import dialog: template download, upload, per-row check with progress, commit."""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.admin.ui.import_state import AdminImportState as S

UPLOAD_ID = "import-upload"


def _error_row(item) -> rx.Component:
    return rx.table.row(rx.table.cell(item[0]), rx.table.cell(item[1]), rx.table.cell(item[2]))


def import_dialog(admin: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(f"导入{admin.title}"),
            rx.vstack(
                rx.text("1. 下载模板，按列填写（带 * 的列必填）；2. 上传文件并校验；3. 确认导入。", size="2"),
                rx.link("下载导入模板（Excel）", href=f"/api/import/{admin.slug}/template.xlsx", id="import-template",
                        is_external=True),
                rx.upload(
                    rx.vstack(rx.text("点击选择或拖入 CSV / XLSX 文件", size="2"),
                              rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.badge(f)), align="center"),
                    id=UPLOAD_ID,
                    max_files=1,
                    multiple=False,
                    accept={"text/csv": [".csv"],
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"]},
                    border="1px dashed var(--gray-7)",
                    padding="16px",
                    width="100%",
                ),
                rx.button("上传并校验", on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID)), id="import-check",
                          disabled=S.running),
                rx.cond(S.running, rx.progress(value=S.progress, width="100%", id="import-progress")),
                rx.cond(S.result != "", rx.text(S.result, size="2", weight="bold", id="import-result")),
                rx.cond(
                    S.error_count > 0,
                    rx.vstack(
                        rx.scroll_area(
                            rx.table.root(
                                rx.table.header(rx.table.row(rx.table.column_header_cell("行号"),
                                                             rx.table.column_header_cell("列"),
                                                             rx.table.column_header_cell("错误信息"))),
                                rx.table.body(rx.foreach(S.errors, _error_row)),
                                size="1",
                                id="import-errors",
                            ),
                            max_height="240px",
                        ),
                        rx.button("下载错误报告", on_click=S.download_errors, variant="soft", size="1",
                                  id="import-error-report"),
                        width="100%",
                    ),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("关闭", variant="soft", color_scheme="gray", id="import-close")),
                    rx.cond(
                        (S.error_count > 0) & (S.valid > 0),
                        rx.button("仅导入正确的行", on_click=S.commit(True), color_scheme="orange",
                                  disabled=S.running | (S.import_token == ""), id="import-valid-only"),
                    ),
                    rx.button("导入", on_click=S.commit(False), disabled=S.running | (S.import_token == "") | (S.error_count > 0),
                              id="import-commit"),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="720px",
        ),
        open=S.open,
        on_open_change=S.set_open,
    )
