"""楼盘表 (/buildings/<id>/grid): one building's rooms floor by floor, the legend, and the room
card of a clicked cell with links to its cases and its record. Reached from the building list
(BuildingAdmin.row_links). A building outside the user's scope goes to /denied, like a
missing one.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.components.building_grid import building_grid
from netsign_console.components.page import console_page
from netsign_console.components.room_card import room_card_panel
from netsign_console.state.grid_state import GridState

ROUTE = "/buildings/[building_id]/grid"


class BuildingGridPageState(GridState):
    @guarded(Perm.MASTER_DATA_VIEW, page_load=True)
    def load_page(self):
        self._show_grid(self.router.page.params.get("building_id", ""))


def _header_item(row) -> rx.Component:
    return rx.hstack(rx.text(row[0], size="2", color="gray"), rx.text(row[1], size="2", weight="medium"),
                     spacing="2", align="center")


def _building_case(c) -> rx.Component:
    return rx.hstack(rx.link(c.number, href=c.link, size="2"), rx.text(c.type_title, size="2"),
                     rx.badge(c.stage, size="1", variant="soft"), spacing="2", align="center")


@console_page(ROUTE, "楼盘表", Perm.MASTER_DATA_VIEW, on_load=BuildingGridPageState.load_page)
def building_grid_page() -> rx.Component:
    S = BuildingGridPageState
    return rx.vstack(
        rx.hstack(
            rx.heading(S.grid_title, size="5", id="grid-title"),
            rx.spacer(),
            rx.link("← 返回楼栋信息", href="/admin/buildings", size="2", id="back-to-buildings"),
            width="100%", align="center",
        ),
        rx.flex(rx.foreach(S.grid_header, _header_item), wrap="wrap", spacing="5", id="grid-header"),
        rx.cond(S.grid_cases.length() > 0,
                rx.flex(rx.text("楼栋业务", size="2", color="gray"), rx.foreach(S.grid_cases, _building_case),
                        wrap="wrap", spacing="4", align="center")),
        rx.flex(
            rx.card(building_grid(S), flex="1", min_width="0"),
            rx.cond(S.card_room_id > 0, rx.box(room_card_panel(S), width="380px", min_width="380px")),
            spacing="4", width="100%", align="start",
        ),
        spacing="3",
        width="100%",
    )
