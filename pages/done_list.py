"""已办业务 (WF-03): the tasks I finished, searchable and paginated."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import empty_row, header_row, pager
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState
from netsign_console.workflow.inbox import DoneRow, done_list

PAGE_SIZE = 20


class DoneState(AppState):
    rows: list[DoneRow] = []
    page: int = 1
    has_next: bool = False
    total: int = 0
    query: str = ""

    def _load(self) -> None:
        with session_scope() as session:
            result = done_list(
                session, current_principal(), search=self.query or None, page=self.page,
                page_size=PAGE_SIZE, count=True,
            )
        self.rows = [dataclasses.replace(r, previous_dispatcher=r.previous_dispatcher or "—") for r in result.rows]
        self.has_next = result.has_next
        self.total = result.total or 0

    @guarded(Perm.CASE_DONE, page_load=True)
    def load(self):
        self.page = 1
        self._load()

    @guarded(Perm.CASE_DONE)
    def search(self, form_data: dict):
        self.query = str(form_data.get("query", "")).strip()
        self.page = 1
        self._load()

    @guarded(Perm.CASE_DONE)
    def next_page(self):
        if self.has_next:
            self.page += 1
            self._load()

    @guarded(Perm.CASE_DONE)
    def prev_page(self):
        if self.page > 1:
            self.page -= 1
            self._load()


def _row(row: DoneRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row.case_number, href="/case/" + row.case_number)),
        rx.table.cell(row.case_type_title),
        rx.table.cell(row.stage_title),
        rx.table.cell(row.operated_at),
        rx.table.cell(row.finished_at),
        rx.table.cell(row.previous_dispatcher),
        rx.table.cell(rx.badge(row.task_status, color_scheme=rx.cond(row.task_status == "正常完成", "green", "orange"))),
        rx.table.cell(rx.badge(row.case_status, color_scheme=rx.cond(row.case_status == "已办结", "gray", "blue"))),
    )


@console_page("/done", "已办业务", Perm.CASE_DONE, menu="业务办理", on_load=DoneState.load)
def done_page() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.input(name="query", placeholder="业务编号 / 业务类型 / 业务摘要", width="320px", id="done-query"),
                rx.button("查询", type="submit", id="done-search"),
            ),
            on_submit=DoneState.search,
            reset_on_submit=False,
        ),
        rx.card(
            rx.table.root(
                header_row("业务序号", "业务类型", "办理阶段", "操作时间", "完成时间", "上一派工人员", "任务状态", "业务状态"),
                rx.table.body(
                    rx.cond(DoneState.rows.length() > 0, rx.foreach(DoneState.rows, _row), empty_row(8, "暂无已办业务")),
                ),
                width="100%",
                id="done-table",
            ),
            pager(DoneState.page, DoneState.has_next, DoneState.prev_page, DoneState.next_page, total=DoneState.total),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
