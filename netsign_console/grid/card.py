"""The room card: one room's figures, restrictions, designation, lineage and cases.

Scoped like the grid: a room outside the principal's row scope is "记录不存在或无权访问",
exactly like a missing one. A retired room (replaced by the as-built survey) still has a card
(its history), reached through its successor's lineage; it is never on the grid.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from models.building import Building, Room, RoomLineage, RoomRestriction
from models.enums import Designation, LineageKind, RestrictionKind, TradeStatus
from netsign_console.admin.scope import scope_clause
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied
from netsign_console.grid.cases import case_lines
from netsign_console.grid.figures import card_figures
from netsign_console.grid.palette import OTHER_STATUS, OTHER_SWATCH, restriction_marker, room_markers, status_code
from netsign_console.grid.service import NOT_FOUND, parse_id, building_title
from netsign_console.grid.view import LineageLine, RestrictionLine, RoomCard
from netsign_console.workflow.times import format_local

PREDECESSOR, SUCCESSOR = "原预测户室", "实测户室"


def _scoped(stmt, principal: Principal):
    clause = scope_clause(Room, Room.__org_scope__, principal)
    return stmt if clause is None else stmt.where(clause)


def _restriction_lines(session: Session, room_id: int) -> list[RestrictionLine]:
    rows = session.exec(
        select(RoomRestriction).where(RoomRestriction.room_id == room_id)
        .order_by(RoomRestriction.active.desc(), RoomRestriction.id.desc())
    ).all()
    return [RestrictionLine(kind=r.kind, kind_label=RestrictionKind.label_of(r.kind), marker=restriction_marker(r.kind),
                            reference=r.reference or "", authority=r.authority or "",
                            starts_at=format_local(r.starts_at), ends_at=format_local(r.ends_at), active=r.active)
            for r in rows]


def _lineage(session: Session, principal: Principal, room_id: int) -> list[LineageLine]:
    links = session.exec(
        select(RoomLineage).where(or_(RoomLineage.predecessor_id == room_id, RoomLineage.successor_id == room_id))
        .order_by(RoomLineage.id)
    ).all()
    others = {lk.successor_id if lk.predecessor_id == room_id else lk.predecessor_id for lk in links} - {None}
    known = {}
    if others:
        rows = session.exec(_scoped(
            select(Room.id, Room.room_number, Building.building_number).join(Building, Building.id == Room.building_id)
            .where(Room.id.in_(others)), principal)).all()
        known = {rid: (number, building) for rid, number, building in rows}
    lines = []
    for lk in links:
        is_pred = lk.successor_id == room_id
        other = lk.predecessor_id if is_pred else lk.successor_id
        if other is not None and other not in known:
            continue  # outside the viewer's scope: not shown at all
        number, building = known.get(other, ("", ""))
        lines.append(LineageLine(relation=PREDECESSOR if is_pred else SUCCESSOR,
                                 kind_label=LineageKind.label_of(lk.kind), room_id=other or 0,
                                 room_number=number or "—", building_number=building, case_number=lk.case_number))
    return lines


def room_card(session: Session, principal: Principal, room_id: object) -> RoomCard:
    row = session.exec(_scoped(
        select(Room, Building.building_number, Building.survey_code).join(Building, Building.id == Room.building_id)
        .where(Room.id == parse_id(room_id)), principal)).first()
    if row is None:
        raise PermissionDenied(NOT_FOUND)
    room, building_number, survey_code = row
    status = status_code(room.trade_status)
    status_label = OTHER_SWATCH.label if status == OTHER_STATUS else TradeStatus(status).label
    restrictions = _restriction_lines(session, room.id)
    lineage = _lineage(session, principal, room.id)
    predecessors = {line.room_id: f"{line.relation} {line.room_number}" for line in lineage
                    if line.relation == PREDECESSOR and line.room_id}
    cases = case_lines(session, "room", [room.id, *predecessors], via=predecessors)
    return RoomCard(
        room_id=room.id, room_number=room.room_number, building_id=room.building_id,
        building_title=building_title(building_number, survey_code), status=status, status_label=status_label,
        markers=room_markers([r.kind for r in restrictions if r.active], room.designation, room.release_pending),
        figures=card_figures(room, status_label),
        designation_label=Designation.label_of(room.designation), release_pending=room.release_pending,
        retired=room.retired, restrictions=restrictions, lineage=lineage, cases=cases,
        record_link=f"/admin/rooms/{room.id}", grid_link=f"/buildings/{room.building_id}/grid",
    )
