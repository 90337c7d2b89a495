"""The batch edit over a case's rooms (RoomBatchStep): select, preview, set in one transaction.

Selection (SURV-03): all rooms, by unit, by actual floor, by an explicit list, or by room-number
pattern (domain/room_selection.py); values are parsed by the rooms admin's column kinds, so a
bad value gets the same Chinese message as in the room form; the batch is one audit record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from models.audit import AuditAction
from models.building import Room
from netsign_console.admin.audit import record_event
from netsign_console.admin.base import admin_for
from netsign_console.admin.formatting import format_value
from netsign_console.admin.forms import field_specs, parse_submission
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.workflow.subtasks import RoomBatchStep, SubtaskContext

ROOMS_ADMIN = "rooms"
MAX_ROOMS = 5_000  # a building has at most a few thousand rooms; the screen pages nothing


@dataclass(frozen=True)
class RoomSelection:
    """Which of the case's rooms a batch applies to. Empty = none; all_rooms = every one."""

    all_rooms: bool = False
    units: tuple[str, ...] = ()
    floors: tuple[int, ...] = ()
    room_ids: tuple[int, ...] = ()
    pattern: tuple[str, str, int] | None = None  # (front|back, digits, length), SURV-03

    @property
    def empty(self) -> bool:
        return not (self.all_rooms or self.units or self.floors or self.room_ids or self.pattern)


@dataclass(frozen=True)
class RoomRow:
    id: int
    room_number: str
    unit: str
    actual_floor: int
    values: dict[str, str] = field(default_factory=dict)  # field -> display text
    missing: tuple[str, ...] = ()


def _scope(step: RoomBatchStep, ctx: SubtaskContext):
    return step.rooms(ctx)


def _missing_condition(step: RoomBatchStep):
    conditions = []
    for name in step.required_fields:
        column = getattr(Room, name)
        conditions.append(column.is_(None))
        if admin_for(ROOMS_ADMIN).columns[name].is_string:
            conditions.append(column == "")
    return or_(*conditions) if conditions else None


def count_missing(session: Session, step: RoomBatchStep, ctx: SubtaskContext) -> int:
    condition = _missing_condition(step)
    if condition is None:
        return 0
    return session.exec(select(func.count(Room.id)).where(_scope(step, ctx), condition)).one()


def room_rows(session: Session, step, ctx: SubtaskContext) -> list[RoomRow]:
    """The step's rooms with its fields formatted (a RoomPickStep shows no fields)."""
    admin = admin_for(ROOMS_ADMIN)
    fields = getattr(step, "fields", ())
    required = getattr(step, "required_fields", ())
    rooms = session.exec(
        select(Room).where(_scope(step, ctx), Room.retired.is_(False))
        .order_by(Room.unit, Room.actual_floor.desc(), Room.room_number)
        .limit(MAX_ROOMS)
    ).all()
    out = []
    for room in rooms:
        values = {name: format_value(admin.columns[name], getattr(room, name)) for name in fields}
        missing = tuple(n for n in required if getattr(room, n) in (None, ""))
        out.append(RoomRow(room.id, room.room_number, room.unit or "", room.actual_floor, values, missing))
    return out


def select_ids(session: Session, step: RoomBatchStep, ctx: SubtaskContext, selection: RoomSelection) -> list[int]:
    """The ids of the case's rooms the selection picks (never a room outside the case); the
    rules are domain/room_selection.py's, applied one after the other (all must hold)."""
    from netsign_console.domain import room_selection as rs

    if selection.empty:
        return []
    rooms = [tuple(r) for r in session.exec(
        select(Room.id, Room.room_number, Room.unit, Room.actual_floor)
        .where(_scope(step, ctx), Room.retired.is_(False)).order_by(Room.id)
    ).all()]
    if selection.all_rooms:
        return rs.select_all(rooms)
    picked = set(rs.select_all(rooms))
    if selection.room_ids:
        picked &= set(selection.room_ids)
    for unit in selection.units:
        picked &= set(rs.select_by_unit(rooms, unit))
    for floor in selection.floors:
        picked &= set(rs.select_by_floor(rooms, floor))
    if selection.pattern is not None:
        position, digits, length = selection.pattern
        picked &= set(rs.select_by_number(rooms, position=position, digits=digits, length=length))
    return [r[0] for r in rooms if r[0] in picked]


def parse_values(raw: dict[str, Any], step: RoomBatchStep, principal) -> dict[str, Any]:
    """Only the step's fields that were filled in; each parsed by its column kind."""
    admin = admin_for(ROOMS_ADMIN)
    filled = {k: v for k, v in raw.items() if k in step.fields and str(v).strip() not in ("", "__none__")}
    if not filled:
        raise UserError("请至少填写一项要设置的内容", "batch_values")
    specs = [s for s in field_specs(admin, principal, None, fields=list(filled), editable=True)]
    for spec in specs:
        spec.required = False  # empty means "leave as it is" in a batch
    values, errors = parse_submission(admin, specs, filled, partial=True)
    if errors:
        raise ValidationFailed(errors)
    return values


def preview(session: Session, step: RoomBatchStep, ctx: SubtaskContext, selection: RoomSelection,
            raw: dict[str, Any]) -> tuple[int, int]:
    """(rooms selected, rooms whose values would change): shown before applying."""
    ids = select_ids(session, step, ctx, selection)
    if not ids:
        return 0, 0
    values = parse_values(raw, step, ctx.principal)
    rooms = session.exec(select(Room).where(Room.id.in_(ids))).all()
    changing = sum(1 for r in rooms if any(getattr(r, k) != v for k, v in values.items()))
    return len(ids), changing


def apply(session: Session, step: RoomBatchStep, ctx: SubtaskContext, selection: RoomSelection,
          raw: dict[str, Any]) -> int:
    """Set the values on every selected room in the caller's transaction; returns how many changed."""
    ids = select_ids(session, step, ctx, selection)
    if not ids:
        raise UserError("请先选择户室", "selection")
    values = parse_values(raw, step, ctx.principal)
    rooms = session.exec(select(Room).where(Room.id.in_(ids)).with_for_update()).all()
    changed = 0
    admin = admin_for(ROOMS_ADMIN)
    for room in rooms:
        if any(getattr(room, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(room, k, v)
            session.add(room)
            changed += 1
    if changed:
        labels = "、".join(admin.label(k) for k in values)
        record_event(session, ctx.principal, AuditAction.UPDATE, "room", None, {
            "_summary": f"批量设置{changed}户：{labels}",
            "rooms": [None, [r.room_number for r in rooms][:200]],
            **{k: [None, format_value(admin.columns[k], v)] for k, v in values.items()},
        })
    session.flush()
    return changed
