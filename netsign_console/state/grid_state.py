"""GridState: the vars and handlers a page needs to show a building grid and its room card.

Two ways to use it:

1. Subclass it (the 楼盘表 page does, pages/building_grid.py):

       class MyPageState(GridState):
           @guarded(Perm.MASTER_DATA_VIEW, page_load=True)
           def load_page(self):
               self._show_grid(self.router.page.params.get("building_id", ""))

       building_grid(MyPageState)            # cells open the room card (open_room)
       building_grid(MyPageState, selectable=True)   # cells toggle `selected` (toggle_room)
       room_card_panel(MyPageState)

2. Hold the vars in another state (a case page that already subclasses AppState): declare
   the vars listed in netsign_console/grid/payload.py with the same names and types, fill
   them with `payload.grid_vars(view)` / `payload.card_vars(card)` through setattr, and give
   it guarded `open_room(room_id)`, `close_room()` and, for selection, `selected: list[int]`
   and `toggle_room(room_id)` — which must accept only rooms that case may pick (keep those
   ids in a backend var, as `_grid_rooms` is here). The component reads nothing else.

Every handler is guarded and every read goes through the grid service, which applies the
row scope again: a room id typed into the browser gets "记录不存在或无权访问".
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied
from netsign_console.grid import building_grid, room_card
from netsign_console.grid.payload import (
    CaseItem, FloorLine, GridUnit, LegendItem, LineageItem, RestrictionItem, card_vars, empty_card_vars,
    empty_grid_vars, grid_vars,
)
from netsign_console.grid.service import NOT_FOUND
from netsign_console.state.app_state import AppState


class GridVars(rx.State, mixin=True):
    """The vars the grid and room-card components read (payload.grid_vars / card_vars), for a
    state that has its own selection and handlers (a case's room screens)."""

    # the grid (payload.grid_vars)
    grid_building_id: int = 0
    grid_title: str = ""
    grid_header: list[list[str]] = []
    grid_units: list[GridUnit] = []
    grid_floors: list[FloorLine] = []
    grid_legend: list[LegendItem] = []
    grid_room_count: int = 0
    grid_cases: list[CaseItem] = []
    # the room card (payload.card_vars)
    card_room_id: int = 0
    card_title: str = ""
    card_status: str = ""
    card_status_label: str = ""
    card_markers: list[str] = []
    card_figures: list[list[str]] = []
    card_restrictions: list[RestrictionItem] = []
    card_lineage: list[LineageItem] = []
    card_cases: list[CaseItem] = []
    card_record_link: str = ""
    card_grid_link: str = ""
    card_note: str = ""

    def _apply(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, name, value)


class GridState(GridVars, AppState):
    # selection (selectable grids)
    selected: list[int] = []
    # The rooms on the grid: toggle_room accepts only these (backend only, never sent).
    _grid_rooms: set[int] = set()

    def _show_grid(self, building_id: Any) -> None:
        """Load a building's grid for the caller (inside a guarded handler); clears the card and
        the selection. Raises PermissionDenied for a building outside the caller's scope."""
        with session_scope() as session:
            view = building_grid(session, current_principal(), building_id)
        self._apply(grid_vars(view))
        self._apply(empty_card_vars())
        self._grid_rooms = {cell.room_id for cell in view.cells()}
        self.selected = []

    @guarded(Perm.MASTER_DATA_VIEW)
    def load_grid(self, building_id: int):
        self._show_grid(building_id)

    @guarded(Perm.MASTER_DATA_VIEW)
    def open_room(self, room_id: int):
        with session_scope() as session:
            card = room_card(session, current_principal(), room_id)
        self._apply(card_vars(card))

    @guarded(Perm.MASTER_DATA_VIEW)
    def close_room(self):
        self._apply(empty_card_vars())

    @guarded(Perm.MASTER_DATA_VIEW)
    def toggle_room(self, room_id: int):
        try:
            rid = int(room_id)
        except (TypeError, ValueError):
            raise PermissionDenied(NOT_FOUND) from None
        if rid not in self._grid_rooms:
            raise PermissionDenied(NOT_FOUND)
        self.selected = [r for r in self.selected if r != rid] if rid in self.selected else [*self.selected, rid]

    @guarded(Perm.MASTER_DATA_VIEW)
    def clear_selection(self):
        self.selected = []

    @guarded(Perm.MASTER_DATA_VIEW)
    def clear_grid(self):
        self._apply(empty_grid_vars())
        self._apply(empty_card_vars())
        self._grid_rooms, self.selected = set(), []
