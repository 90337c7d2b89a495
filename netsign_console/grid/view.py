"""What the building grid and the room card show, as plain data (no Reflex, no ORM objects).

`GridView.floors[i].slots[u][p]` is the cell at floor i (top-down), unit u (`GridView.units`
order), position p, or None for an empty position. `payload.py` flattens this for a page state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class CaseLine:
    number: str
    type_title: str
    stage: str  # the current stage(s) of an active case, else its status
    status_label: str
    created_at: str
    link: str  # /case/<number>
    via: str = ""  # "原预测户室 1-0101" when the case is about a predecessor room


@dataclass(frozen=True)
class BuildingHeader:
    id: int
    building_number: str
    survey_code: str
    title: str  # 栋号 with its survey code: D004(CL20220406001)
    name: str
    project_name: str
    developer_name: str
    address: str
    survey_kind: str
    survey_kind_label: str  # 预测 / 实测, "" before any survey is filed
    floors_above: int
    floors_below: int
    unit_count: int
    total_units: int


@dataclass(slots=True)  # not frozen: a thousand are built per grid, and a frozen init costs 3×
class GridCell:
    room_id: int
    room_number: str
    unit: str
    floor: int
    status: str  # trade status code (palette.OTHER_STATUS for an unknown one)
    status_label: str
    markers: tuple[str, ...]  # marker codes (palette.MARKERS), legend order
    tooltip: str


@dataclass(frozen=True)
class GridFloor:
    floor: int
    label: str  # "18层", "-1层"
    nominal: str  # the 名义层 when every room of the floor has the same one and it differs
    slots: list[list[GridCell | None]]  # per unit, per position


@dataclass(frozen=True)
class LegendEntry:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Legend:
    statuses: list[LegendEntry]  # all six trade statuses (zero included), "其他状态" only if any
    markers: list[LegendEntry]  # every marker, zero included

    @property
    def total(self) -> int:
        return sum(e.count for e in self.statuses)


@dataclass(frozen=True)
class GridView:
    building: BuildingHeader
    units: list[str]  # unit labels, natural order
    columns: list[int]  # positions per unit, parallel to `units`
    floors: list[GridFloor]
    legend: Legend
    cases: list[CaseLine] = field(default_factory=list)  # cases about the building, newest first

    def cells(self) -> Iterator[GridCell]:
        for floor in self.floors:
            for unit in floor.slots:
                for cell in unit:
                    if cell is not None:
                        yield cell

    @property
    def room_count(self) -> int:
        return self.legend.total


@dataclass(frozen=True)
class RestrictionLine:
    kind: str
    kind_label: str
    marker: str
    reference: str
    authority: str
    starts_at: str
    ends_at: str
    active: bool


@dataclass(frozen=True)
class LineageLine:
    relation: str  # 原预测户室 (this room's predecessor) / 实测户室 (its successor)
    kind_label: str  # 对照 / 拆分 / 合并 / 新增 / 删除
    room_id: int  # 0 when there is no room on that side (an added or deleted room)
    room_number: str
    building_number: str
    case_number: str


@dataclass(frozen=True)
class RoomCard:
    room_id: int
    room_number: str
    building_id: int
    building_title: str
    status: str
    status_label: str
    markers: tuple[str, ...]
    figures: list[tuple[str, str]]  # (label, value) in display order
    designation_label: str
    release_pending: bool
    retired: bool
    restrictions: list[RestrictionLine]
    lineage: list[LineageLine]
    cases: list[CaseLine]
    record_link: str  # /admin/rooms/<id>
    grid_link: str  # /buildings/<id>/grid
