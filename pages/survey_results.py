"""测绘成果查看 (/survey/results/<id>): one result of the library with its 建筑物信息 and its
户室对照表 (SURV-13, SURV-14), rooms a page at a time, optionally of one building.

Reached from the library's detail page (测绘成果库 → 查看楼栋与户室) and after an import. The
service (netsign_console.survey.result_tables) applies the row scope: another developer's
result is "记录不存在或无权访问".

Ids: result-summary, result-buildings, result-rooms, rooms-total, building-filter, rooms-page-prev/next.
"""

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
from netsign_console.survey.library import BUILDING_COLUMNS, ROOM_COLUMNS, ROOM_PAGE, result_tables

ALL = "all"  # Radix selects cannot hold "": every building


@dataclasses.dataclass
class Pair:
    label: str
    value: str


class SurveyResultState(AppState):
    result_id: int = 0
    survey_number: str = ""
    summary: list[Pair] = []
    buildings: list[dict[str, str]] = []
    rooms: list[dict[str, str]] = []
    room_total: int = 0
    page: int = 1
    has_next: bool = False
    building: str = ALL

    def _fetch(self) -> None:
        building_id = None if self.building == ALL else int(self.building)
        with session_scope() as session:
            tables = result_tables(session, current_principal(), self.result_id, building_id=building_id,
                                   offset=(self.page - 1) * ROOM_PAGE, limit=ROOM_PAGE)
        self.survey_number = tables.survey_number
        self.summary = [Pair(label, value) for label, value in tables.summary]
        self.buildings, self.rooms = tables.buildings, tables.rooms
        self.room_total, self.has_next = tables.room_total, tables.has_more

    @guarded(Perm.MASTER_DATA_VIEW, page_load=True)
    def load(self):
        raw = str(self.router.page.params.get("result_id", ""))
        self.result_id = int(raw) if raw.isdigit() else 0
        self.page, self.building = 1, ALL
        self.summary, self.buildings, self.rooms, self.room_total = [], [], [], 0
        self._fetch()

    @guarded(Perm.MASTER_DATA_VIEW)
    def set_building(self, value: str):
        value = str(value)
        self.building = value if value == ALL or value.isdigit() else ALL
        self.page = 1
        self._fetch()

    @guarded(Perm.MASTER_DATA_VIEW)
    def next_page(self):
        if self.has_next:
            self.page += 1
            self._fetch()

    @guarded(Perm.MASTER_DATA_VIEW)
    def prev_page(self):
        if self.page > 1:
            self.page -= 1
            self._fetch()


S = SurveyResultState


def _table(columns, rows, element_id: str) -> rx.Component:
    return rx.table.root(
        header_row(*[label for _, label in columns]),
        rx.table.body(rx.cond(
            rows.length() > 0,
            rx.foreach(rows, lambda row: rx.table.row(*[rx.table.cell(row[key], white_space="nowrap")
                                                          for key, _ in columns])),
            empty_row(len(columns)),
        )),
        size="1", variant="surface", width="100%", id=element_id,
    )


@console_page("/survey/results/[result_id]", "测绘成果查看", Perm.MASTER_DATA_VIEW, on_load=S.load)
def survey_result_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("测绘成果 ", S.survey_number, size="5", id="result-title"),
            rx.spacer(),
            rx.link(rx.button("成果详情", variant="soft"), href="/admin/survey-results/" + S.result_id.to_string()),
            rx.link(rx.button("返回测绘成果库", variant="soft"), href="/admin/survey-results"),
            width="100%", align="center",
        ),
        rx.card(
            rx.data_list.root(rx.foreach(S.summary, lambda p: rx.data_list.item(
                rx.data_list.label(p.label), rx.data_list.value(p.value))), orientation="horizontal"),
            id="result-summary", width="100%",
        ),
        rx.heading("建筑物信息", size="4"),
        rx.scroll_area(_table(BUILDING_COLUMNS, S.buildings, "result-buildings"), scrollbars="horizontal"),
        rx.hstack(
            rx.heading("户室对照表", size="4"),
            rx.select.root(
                rx.select.trigger(placeholder="全部楼栋", id="building-filter"),
                rx.select.content(rx.select.item("全部楼栋", value=ALL),
                                  rx.foreach(S.buildings, lambda b: rx.select.item(b["label"], value=b["id"]))),
                value=S.building, on_change=S.set_building, size="2",
            ),
            rx.text("共 ", S.room_total, " 户", size="2", color="gray", id="rooms-total"),
            align="center", spacing="4",
        ),
        rx.scroll_area(_table(ROOM_COLUMNS, S.rooms, "result-rooms"), scrollbars="horizontal"),
        pager(S.page, S.has_next, S.prev_page, S.next_page, prefix="rooms-"),
        spacing="3",
        width="100%",
    )
