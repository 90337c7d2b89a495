"""业务统计 (统计查询): cases accepted per type and their status, for the regulator."""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import empty_row, header_row
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState
from netsign_console.workflow.stats import case_counts


@dataclasses.dataclass
class CountRow:
    case_type: str
    total: int
    active: int
    archived: int
    cancelled: int


def _day(text: str, label: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise UserError(f"{label}格式应为 年-月-日")


class CaseStatsState(AppState):
    rows: list[CountRow] = []
    start: str = ""
    end: str = ""

    def _load(self) -> None:
        with session_scope() as session:
            data = case_counts(session, current_principal(), start=_day(self.start, "开始日期"), end=_day(self.end, "结束日期"))
        self.rows = [CountRow(**row) for row in data]

    @guarded(Perm.STATS_VIEW, page_load=True)
    def load(self):
        self._load()

    @guarded(Perm.STATS_VIEW)
    def search(self, form: dict):
        self.start, self.end = str(form.get("start", "")), str(form.get("end", ""))
        self._load()


def _row(row: CountRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.case_type), rx.table.cell(row.total), rx.table.cell(row.active),
        rx.table.cell(row.archived), rx.table.cell(row.cancelled),
    )


@console_page("/stats/cases", "业务统计", Perm.STATS_VIEW, menu="统计查询", on_load=CaseStatsState.load)
def case_stats_page() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.text("受理日期"), rx.input(name="start", type="date"), rx.text("至"), rx.input(name="end", type="date"),
                rx.button("统计", type="submit"), align="center",
            ),
            on_submit=CaseStatsState.search, reset_on_submit=False,
        ),
        rx.card(
            rx.table.root(
                header_row("业务类型", "受理件数", "办理中", "已办结", "已取消"),
                rx.table.body(rx.cond(CaseStatsState.rows.length() > 0, rx.foreach(CaseStatsState.rows, _row), empty_row(5))),
                width="100%",
                id="stats-table",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
