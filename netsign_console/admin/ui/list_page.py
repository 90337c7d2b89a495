"""The generated list page: search, filters, sortable table, pager, bulk actions, export, import.

Ids: search id="admin-search", table id="admin-table", pager id="page-next"/"page-prev",
count id="admin-total", export id="export-csv"/"export-xlsx", new id="admin-new",
import id="import-open"; the admin's row_links are links of class "row-extra-link" in a 操作 column.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.admin.declaration import ROW_LINK_ID
from netsign_console.admin.options import CHOICE, DATE_RANGE, FK_PICK
from netsign_console.admin.query import filter_choices, filter_kind
from netsign_console.admin.ui.import_dialog import import_dialog
from netsign_console.admin.ui.notice import notice_dialog
from netsign_console.admin.ui.import_state import AdminImportState
from netsign_console.admin.ui.list_state import ALL, AdminListState as S
from netsign_console.admin.ui.widgets import DEBOUNCE_MS


def _set(key: str):
    return lambda value: S.set_filter(key, value)


def _fk_search(column: str):
    return lambda value: S.search_filter_options(column, value)


def _filter(admin: Any, spec) -> rx.Component:
    col = spec.column
    label = spec.label or admin.label(col)
    kind = filter_kind(admin, spec)
    if kind == CHOICE:
        items = [rx.select.item(f"全部{label}", value=ALL)] + [rx.select.item(t, value=c) for c, t in filter_choices(admin, spec)]
        return rx.select.root(
            rx.select.trigger(placeholder=label, id=f"filter-{col}"),
            rx.select.content(*items),
            value=S.filters.get(col, ALL),
            on_change=_set(col),
            size="2",
        )
    if kind == DATE_RANGE:
        return rx.hstack(
            rx.text(label, size="2", color="gray"),
            rx.input(type="date", value=S.filters.get(f"{col}__from", ""), on_change=_set(f"{col}__from"),
                     id=f"filter-{col}-from", width="150px"),
            rx.text("至", size="2"),
            rx.input(type="date", value=S.filters.get(f"{col}__to", ""), on_change=_set(f"{col}__to"),
                     id=f"filter-{col}-to", width="150px"),
            align="center",
            spacing="1",
        )
    if kind == FK_PICK:
        def option(item) -> rx.Component:
            return rx.box(rx.text(item[1], size="2"), on_click=S.pick_filter(col, item[0], item[1]),
                          padding="6px 10px", cursor="pointer", _hover={"background": "var(--accent-3)"})

        return rx.box(
            rx.hstack(
                rx.input(value=S.filter_labels.get(col, ""), on_change=_fk_search(col), debounce_timeout=DEBOUNCE_MS,
                         placeholder=f"{label}（输入搜索）", id=f"filter-{col}", width="200px", auto_complete="off"),
                rx.cond(S.filters.contains(col), rx.icon_button(rx.icon("x", size=14), on_click=S.set_filter(col, ""),
                                                                 variant="ghost", size="1")),
                spacing="1",
                align="center",
            ),
            rx.cond(
                S.filter_options.contains(col),
                rx.cond(S.filter_options[col].length() > 0,
                        rx.card(rx.foreach(S.filter_options[col], option), position="absolute", z_index="20",
                                width="240px", padding="2px")),
            ),
            position="relative",
        )
    return rx.input(value=S.filters.get(col, ""), on_change=_set(col), debounce_timeout=DEBOUNCE_MS,
                    placeholder=label, id=f"filter-{col}", width="160px")


def _align(admin: Any, name: str) -> str:
    return admin.columns[name].column_kind.align


def _header_cell(admin: Any, name: str) -> rx.Component:
    label = admin.label(name)
    if name not in admin.sort_fields:
        return rx.table.column_header_cell(label, text_align=_align(admin, name), white_space="nowrap")
    arrow = rx.cond(S.sort == name, " ↑", rx.cond(S.sort == f"-{name}", " ↓", ""))
    return rx.table.column_header_cell(
        rx.text(label, arrow, cursor="pointer", on_click=S.sort_by(name), id=f"sort-{name}", white_space="nowrap"),
        text_align=_align(admin, name),
    )


def _selectable(admin: Any) -> bool:
    """Row checkboxes only where some bulk action can exist (a read-only log has none)."""
    return bool(admin.bulk_actions) or admin.can_delete


def _row_links(admin: Any, row) -> list[rx.Component]:
    """The admin's row_links in one 操作 cell; "{id}" becomes the row's primary key."""
    if not admin.row_links:
        return []
    links = []
    for label, template in admin.row_links:
        prefix, suffix = template.split(ROW_LINK_ID)
        links.append(rx.link(label, href=f"{prefix}{row['_id']}{suffix}", class_name="row-extra-link", size="2"))
    return [rx.table.cell(rx.hstack(*links, spacing="3"), white_space="nowrap")]


def _row(admin: Any, row) -> rx.Component:
    first, *rest = admin.list_columns
    select = [rx.table.cell(rx.checkbox(checked=S.selected.contains(row["_id"]),
                                        on_change=lambda checked: S.toggle_row(row["_id"], checked)))]
    return rx.table.row(
        *(select if _selectable(admin) else []),
        rx.table.row_header_cell(rx.link(rx.cond(row[first] != "", row[first], "（查看）"),
                                         href=f"{admin.route}/" + row["_id"], class_name="row-link")),
        *[rx.table.cell(row[name], text_align=_align(admin, name)) for name in rest],
        *_row_links(admin, row),
        class_name="admin-row",
    )


def _bulk_bar(admin: Any) -> rx.Component:
    from netsign_console.admin.service import delete_selected_action

    actions = list(admin.bulk_actions) + ([delete_selected_action()] if admin.can_delete else [])
    buttons = []
    for action in actions:
        buttons.append(rx.cond(
            S.bulk_allowed.contains(action.name),
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(rx.button(action.label, size="1", variant="soft", id=f"bulk-{action.name}",
                                                  color_scheme="red" if action.name == "delete_selected" else "blue")),
                rx.alert_dialog.content(
                    rx.alert_dialog.title(action.label),
                    rx.alert_dialog.description(action.confirm or f"确定对所选记录执行“{action.label}”吗？"),
                    rx.hstack(
                        rx.alert_dialog.cancel(rx.button("取消", variant="soft", color_scheme="gray")),
                        rx.alert_dialog.action(rx.button("确定", on_click=S.run_bulk(action.name), id=f"bulk-confirm-{action.name}")),
                        justify="end", spacing="3", margin_top="16px",
                    ),
                ),
            ),
        ))
    return rx.cond(
        S.selected.length() > 0,
        rx.hstack(rx.text("已选 ", S.selected.length(), " 条", size="2"), *buttons, align="center", spacing="3",
                  id="bulk-bar"),
    )


def list_page(admin: Any) -> rx.Component:
    toolbar = [
        rx.input(value=S.search, on_change=S.set_search, debounce_timeout=DEBOUNCE_MS, id="admin-search",
                 placeholder=admin.search_placeholder or "输入关键字搜索", width="240px")
        if admin.search_fields else rx.fragment(),
        *[_filter(admin, spec) for spec in admin.filter_specs()],
        rx.button("重置", on_click=S.clear_filters, variant="ghost", size="2", id="admin-reset"),
        rx.spacer(),
        rx.cond(S.can_create, rx.link(rx.button("新增", id="admin-new"), href=f"{admin.route}/new")),
        rx.cond(S.can_export, rx.hstack(
            rx.button("导出CSV", on_click=S.start_export("csv"), variant="outline", id="export-csv",
                      disabled=S.export_running),
            rx.button("导出Excel", on_click=S.start_export("xlsx"), variant="outline", id="export-xlsx",
                      disabled=S.export_running),
            spacing="2")),
        rx.cond(S.can_import, rx.button("导入", on_click=AdminImportState.open_import(admin.slug), variant="outline",
                                        id="import-open")),
    ]
    header = [rx.table.column_header_cell(rx.checkbox(on_change=S.toggle_all, id="select-all"), width="36px")]
    header = (header if _selectable(admin) else []) + [_header_cell(admin, n) for n in admin.list_columns]
    if admin.row_links:
        header.append(rx.table.column_header_cell("操作", white_space="nowrap"))
    return rx.vstack(
        rx.callout(admin.help_text, icon="info", size="1") if admin.help_text else rx.fragment(),
        rx.flex(*toolbar, wrap="wrap", spacing="3", align="center", width="100%"),
        rx.cond(S.export_running, rx.hstack(rx.text("正在后台导出…", size="2"),
                                            rx.progress(value=S.export_progress, width="240px", id="export-progress"),
                                            rx.text(S.export_progress, "%", size="2"), align="center")),
        _bulk_bar(admin),
        rx.table.root(
            rx.table.header(rx.table.row(*header)),
            rx.table.body(rx.foreach(S.rows, lambda row: _row(admin, row))),
            variant="surface",
            width="100%",
            id="admin-table",
        ),
        rx.cond(S.rows.length() == 0, rx.text("暂无数据", color="gray", size="2", id="admin-empty")),
        rx.hstack(
            rx.text(S.total_label, size="2", color="gray", id="admin-total"),
            rx.spacer(),
            rx.button("首页", on_click=S.first_page, variant="soft", size="1", disabled=S.page <= 1, id="page-first"),
            rx.button("上一页", on_click=S.prev_page, variant="soft", size="1", disabled=S.page <= 1, id="page-prev"),
            rx.text("第 ", S.page, " 页", size="2", id="page-number"),
            rx.button("下一页", on_click=S.next_page, variant="soft", size="1", disabled=~S.has_next, id="page-next"),
            align="center",
            width="100%",
        ),
        import_dialog(admin) if admin.can_import else rx.fragment(),
        notice_dialog(S) if admin.bulk_actions else rx.fragment(),
        spacing="3",
        width="100%",
    )
