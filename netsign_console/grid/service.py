"""楼盘表 (the building grid): one building's rooms drawn floor by floor, unit by unit.

    with session_scope() as session:
        view = building_grid(session, principal, building_id)

Four statements whatever the size of the building: the building with its project and
developer (row scope applied: a building outside it is "记录不存在或无权访问", exactly like a
missing one), its rooms (only the columns drawn; the (building_id, actual_floor, unit) index
serves it), the active restrictions of those rooms (one join, never one query per room), and
the cases about the building. Retired rooms (replaced by the as-built survey)
are history and never drawn.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import false
from sqlmodel import Session, select

from models.building import Building, Room, RoomRestriction
from models.enums import SurveyKind, TradeStatus
from models.organization import Organization
from models.project import Project
from netsign_console.admin.scope import scope_clause
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied
from netsign_console.grid import layout
from netsign_console.grid.cases import case_lines
from netsign_console.grid.figures import TooltipWriter
from netsign_console.grid.palette import MARKERS, OTHER_STATUS, OTHER_SWATCH, room_markers, status_code
from netsign_console.grid.view import BuildingHeader, GridCell, GridFloor, GridView, Legend, LegendEntry

NOT_FOUND = "记录不存在或无权访问"
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a bigger number from a URL would be a database error

_ROOM_COLUMNS = tuple(Room.__table__.c[name] for name in (
    "id", "room_number", "unit", "actual_floor", "nominal_floor", "gross_area", "inner_area", "shared_area", "layout",
    "usage", "sale_price", "trade_status", "designation", "release_pending"))
_STATUS_LABELS = {s.value: s.label for s in TradeStatus} | {OTHER_STATUS: OTHER_SWATCH.label}


def building_title(building_number: str, survey_code: str | None) -> str:
    """栋号 with its survey code, as SURV-13 shows it: D004(CL20220406001)."""
    return f"{building_number}({survey_code})" if survey_code else building_number


def parse_id(value: object) -> int:
    """An id typed into a URL or sent by a browser; anything else is "not found", not an error."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise PermissionDenied(NOT_FOUND) from None
    if not 0 < number <= MAX_ID:
        raise PermissionDenied(NOT_FOUND)
    return number


def load_header(session: Session, principal: Principal, building_id: object, *, scoped: bool = True) -> BuildingHeader:
    """The building as the principal may see it; PermissionDenied(NOT_FOUND) otherwise.
    `scoped=False` only where the caller checked access another way (the case it belongs to)."""
    stmt = (
        select(Building.id, Building.building_number, Building.survey_code, Building.name, Building.address,
               Building.survey_kind, Building.floors_above, Building.floors_below, Building.unit_count,
               Building.total_units, Project.name, Organization.name)
        .join(Project, Project.id == Building.project_id)
        .join(Organization, Organization.id == Building.developer_org_id)
        .where(Building.id == parse_id(building_id))
    )
    clause = scope_clause(Building, Building.__org_scope__, principal) if scoped else None
    if clause is not None:
        stmt = stmt.where(clause)
    row = session.exec(stmt).first()
    if row is None:
        raise PermissionDenied(NOT_FOUND)
    (bid, number, survey_code, name, address, survey_kind, above, below, units, total, project, developer) = row
    return BuildingHeader(
        id=bid, building_number=number, survey_code=survey_code or "", title=building_title(number, survey_code),
        name=name or "", project_name=project, developer_name=developer, address=address or "",
        survey_kind=survey_kind or "", survey_kind_label=SurveyKind.label_of(survey_kind),
        floors_above=above, floors_below=below, unit_count=units, total_units=total,
    )


def _restrictions(session: Session, building_id: int) -> dict[int, list[str]]:
    rows = session.exec(
        select(RoomRestriction.room_id, RoomRestriction.kind)
        .join(Room, Room.id == RoomRestriction.room_id)
        .where(Room.building_id == building_id, Room.retired == false(), RoomRestriction.active.is_(True))
        .order_by(RoomRestriction.room_id, RoomRestriction.id)
    ).all()
    kinds: dict[int, list[str]] = defaultdict(list)
    for room_id, kind in rows:
        kinds[room_id].append(kind)
    return kinds


def _legend(cells: list[GridCell]) -> Legend:
    by_status: dict[str, int] = defaultdict(int)
    by_marker: dict[str, int] = defaultdict(int)
    for cell in cells:
        by_status[cell.status] += 1
        for code in cell.markers:
            by_marker[code] += 1
    statuses = [LegendEntry(s.value, s.label, by_status.get(s.value, 0)) for s in TradeStatus]
    if by_status.get(OTHER_STATUS):
        statuses.append(LegendEntry(OTHER_STATUS, OTHER_SWATCH.label, by_status[OTHER_STATUS]))
    markers = [LegendEntry(m.code, m.label, by_marker.get(m.code, 0)) for m in MARKERS.values()]
    return Legend(statuses, markers)


def _nominal(cells: list[GridCell | None], nominal_of: dict[int, str | None], floor: int) -> str:
    values = {nominal_of[c.room_id] for c in cells if c is not None}
    if len(values) != 1:
        return ""
    (value,) = values
    return value if value and value != str(floor) else ""


def building_grid(session: Session, principal: Principal, building_id: object, *, scoped: bool = True) -> GridView:
    """`scoped=False`: the caller checked access through a case (workflow/subtask_service.py)."""
    header = load_header(session, principal, building_id, scoped=scoped)
    # Core rows, not ORM entities: a thousand rooms are read, never changed.
    rooms = session.connection().execute(
        select(*_ROOM_COLUMNS).where(Room.building_id == header.id, Room.retired == false())
    ).all()
    restrictions = _restrictions(session, header.id)
    placement = layout.place([(r[0], r[2], r[3], r[1]) for r in rooms])  # id, unit, floor, number
    writer = TooltipWriter()

    cells: list[GridCell] = []
    nominal_of: dict[int, str | None] = {}
    grid: dict[tuple[str, int], list[GridCell | None]] = {}
    # Plain tuple unpacking: a result row's attribute access costs more than the formatting.
    for rid, number, _unit, _floor, nominal, gross, inner, shared, layout_, usage, price, trade_status, designation, \
            pending in rooms:
        status = status_code(trade_status)
        label = _STATUS_LABELS[status]
        kinds = restrictions.get(rid, [])
        unit, floor, position = placement.slot[rid]
        cell = GridCell(
            room_id=rid, room_number=number, unit=layout.unit_label(unit), floor=floor, status=status,
            status_label=label,
            markers=room_markers(kinds, designation, pending) if kinds or designation or pending else (),
            tooltip=writer.tooltip(number, unit, floor, nominal, gross, inner, shared, layout_, usage, price, label,
                                   kinds, designation, pending),
        )
        cells.append(cell)
        nominal_of[rid] = nominal
        row = grid.setdefault((unit, floor), [None] * placement.columns[unit])
        row[position] = cell

    floors = []
    for floor in layout.floor_order(r[3] for r in rooms):  # actual_floor
        slots = [grid.get((unit, floor)) or [None] * placement.columns[unit] for unit in placement.units]
        floors.append(GridFloor(floor, layout.floor_label(floor),
                                _nominal([c for s in slots for c in s], nominal_of, floor), slots))
    return GridView(
        building=header,
        units=[layout.unit_label(u) for u in placement.units],
        columns=[placement.columns[u] for u in placement.units],
        floors=floors,
        legend=_legend(cells),
        cases=case_lines(session, "building", [header.id]),
    )
