"""Small table pieces shared by hand-written list pages (the generated admin lists have their own)."""

from __future__ import annotations

import reflex as rx


def header_row(*titles: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in titles]))


def pager(page, has_next, on_prev, on_next, total=None, prefix: str = "") -> rx.Component:
    return rx.hstack(
        rx.text("共 ", total, " 条", size="2", color="gray") if total is not None else rx.fragment(),
        rx.spacer(),
        rx.button("上一页", on_click=on_prev, disabled=page <= 1, variant="soft", size="1", id=f"{prefix}page-prev"),
        rx.text("第 ", page, " 页", size="2"),
        rx.button("下一页", on_click=on_next, disabled=~has_next, variant="soft", size="1", id=f"{prefix}page-next"),
        align="center",
        width="100%",
        padding_top="8px",
    )


def empty_row(colspan: int, text: str = "暂无数据") -> rx.Component:
    return rx.table.row(rx.table.cell(rx.text(text, color="gray"), col_span=colspan, text_align="center"))
