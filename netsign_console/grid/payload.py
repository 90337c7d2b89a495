"""The grid and the room card flattened into what a page state holds: small flat values.

A state that shows the grid keeps exactly these vars (components/building_grid.py reads them):

    grid_building_id: int            grid_units: list[GridUnit]      (label, span = positions)
    grid_title: str                  grid_floors: list[FloorLine]    (label, nominal, cells)
    grid_header: list[list[str]]     grid_legend: list[LegendItem]   (kind, code, label, count)
    grid_room_count: int             grid_cases: list[CaseItem]

and for the room card: card_room_id, card_title, card_status, card_status_label, card_markers,
card_figures, card_restrictions, card_lineage, card_cases, card_record_link, card_grid_link,
card_note. `grid_vars(view)` / `card_vars(card)` give their values, `empty_grid_vars()` /
`empty_card_vars()` the cleared ones; a state applies them with setattr.

Each floor's cells run across all units (`unit_start` marks a unit's first position), so the
component needs two nested loops, not three; an empty position is a cell with room_id 0.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from netsign_console.grid.view import CaseLine, GridView, RoomCard


@dataclasses.dataclass
class GridUnit:
    label: str
    span: int


@dataclasses.dataclass(slots=True)
class GridCellData:
    room_id: int  # 0: an empty position
    room_number: str
    status: str
    markers: list[str]
    tooltip: str
    unit_start: bool


@dataclasses.dataclass
class FloorLine:
    label: str
    nominal: str
    cells: list[GridCellData]


@dataclasses.dataclass
class LegendItem:
    kind: str  # "status" | "marker"
    code: str
    label: str
    count: int


@dataclasses.dataclass
class CaseItem:
    number: str
    type_title: str
    stage: str
    status_label: str
    created_at: str
    link: str
    via: str


@dataclasses.dataclass
class RestrictionItem:
    kind_label: str
    marker: str
    reference: str
    authority: str
    period: str
    active: bool


@dataclasses.dataclass
class LineageItem:
    relation: str
    kind_label: str
    room_id: int
    room_number: str
    building_number: str
    case_number: str


_EMPTY = GridCellData(0, "", "", [], "", False)


def _case_items(lines: list[CaseLine]) -> list[CaseItem]:
    return [CaseItem(c.number, c.type_title, c.stage, c.status_label, c.created_at, c.link, c.via) for c in lines]


def _floor_line(floor) -> FloorLine:
    cells = []
    for unit in floor.slots:
        for position, cell in enumerate(unit):
            start = position == 0
            if cell is None:
                cells.append(dataclasses.replace(_EMPTY, unit_start=start))
            else:
                cells.append(GridCellData(cell.room_id, cell.room_number, cell.status, list(cell.markers),
                                          cell.tooltip, start))
    return FloorLine(floor.label, floor.nominal, cells)


def header_rows(view: GridView) -> list[list[str]]:
    b = view.building
    rows = [["项目", b.project_name], ["开发企业", b.developer_name], ["坐落", b.address or "—"],
            ["测绘阶段", b.survey_kind_label or "未备案"],
            ["层数", f"地上{b.floors_above}层" + (f"，地下{b.floors_below}层" if b.floors_below else "")],
            ["单元数", str(len(view.units))], ["户数", str(view.room_count)]]
    return rows


def grid_vars(view: GridView) -> dict[str, Any]:
    legend = [LegendItem("status", e.code, e.label, e.count) for e in view.legend.statuses]
    legend += [LegendItem("marker", e.code, e.label, e.count) for e in view.legend.markers]
    return {
        "grid_building_id": view.building.id,
        "grid_title": view.building.title,
        "grid_header": header_rows(view),
        "grid_units": [GridUnit(label, span) for label, span in zip(view.units, view.columns)],
        "grid_floors": [_floor_line(f) for f in view.floors],
        "grid_legend": legend,
        "grid_room_count": view.room_count,
        "grid_cases": _case_items(view.cases),
    }


def empty_grid_vars() -> dict[str, Any]:
    return {"grid_building_id": 0, "grid_title": "", "grid_header": [], "grid_units": [], "grid_floors": [],
            "grid_legend": [], "grid_room_count": 0, "grid_cases": []}


def _period(starts: str, ends: str) -> str:
    if not starts and not ends:
        return "—"
    return f"{starts[:10] or '—'} 至 {ends[:10] or '—'}"


def card_vars(card: RoomCard) -> dict[str, Any]:
    notes = []
    if card.retired:
        notes.append("该户室已被实测成果替代（已注销），不在楼盘表中显示")
    if card.release_pending:
        notes.append("原物管用房，待预售许可变更后方可销售")
    return {
        "card_room_id": card.room_id,
        "card_title": f"{card.building_title} {card.room_number}",
        "card_status": card.status,
        "card_status_label": card.status_label,
        "card_markers": list(card.markers),
        "card_figures": [[label, value] for label, value in card.figures],
        "card_restrictions": [RestrictionItem(r.kind_label, r.marker, r.reference or "—", r.authority or "—",
                                              _period(r.starts_at, r.ends_at), r.active) for r in card.restrictions],
        "card_lineage": [LineageItem(x.relation, x.kind_label, x.room_id, x.room_number, x.building_number,
                                     x.case_number) for x in card.lineage],
        "card_cases": _case_items(card.cases),
        "card_record_link": card.record_link,
        "card_grid_link": card.grid_link,
        "card_note": "；".join(notes),
    }


def empty_card_vars() -> dict[str, Any]:
    return {"card_room_id": 0, "card_title": "", "card_status": "", "card_status_label": "", "card_markers": [],
            "card_figures": [], "card_restrictions": [], "card_lineage": [], "card_cases": [], "card_record_link": "",
            "card_grid_link": "", "card_note": ""}
