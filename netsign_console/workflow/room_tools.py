"""The room tools of a stage beyond the plain batch (workflow/room_batch.py): values that came
from the survey, the floor-by-floor price generator (SURV-05), the 价格核对 grid (SURV-06),
快速设置 room by room (SURV-04), and picking rooms into the case's data (RoomPickStep).

Every function works inside the caller's transaction on the rooms the step's `rooms` condition
selects (never an id from the browser outside it) and leaves one audit record per change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from sqlmodel import Session, select

from models.audit import AuditAction
from models.building import Room
from models.survey import SurveyRoom
from netsign_console.admin.audit import record_event
from netsign_console.admin.base import admin_for
from netsign_console.admin.formatting import format_value
from netsign_console.domain import pricing
from netsign_console.domain.area import area_identity_error
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.settings import settings
from netsign_console.workflow.room_batch import ROOMS_ADMIN, RoomSelection, parse_values, select_ids
from netsign_console.workflow.subtasks import RoomBatchStep, RoomPickStep, SubtaskContext

NOT_FOUND = "记录不存在或无权访问"
PRICE_FIELDS = ("shell_price", "decoration_price", "sale_price")
AREA_FIELDS = ("gross_area", "inner_area", "shared_area")


def survey_values(session: Session, rooms: Iterable[Room]) -> dict[int, dict[str, Any]]:
    """room id -> {field: value} of the survey row it came from (non-empty values only)."""
    rooms = list(rooms)
    ids = {r.survey_room_id for r in rooms if r.survey_room_id}
    if not ids:
        return {}
    rows = {s.id: s for s in session.exec(select(SurveyRoom).where(SurveyRoom.id.in_(ids))).all()}
    out = {}
    for room in rooms:
        row = rows.get(room.survey_room_id)
        if row is not None:
            out[room.id] = {k: v for k, v in row.model_dump().items()
                            if k not in ("id", "result_id", "survey_building_id") and v not in (None, "")}
    return out


def locked_fields(step: RoomBatchStep, surveyed: dict[str, Any]) -> set[str]:
    """SURV-02: with only_empty, what the survey gave stays as it is."""
    return set(surveyed) if step.only_empty else set()


def _room(session: Session, step, ctx: SubtaskContext, room_id: int, *, lock: bool = True) -> Room:
    stmt = select(Room).where(step.rooms(ctx), Room.id == int(room_id))
    room = session.exec(stmt.with_for_update() if lock else stmt).first()
    if room is None:
        raise PermissionDenied(NOT_FOUND)
    return room


def _rooms(session: Session, step, ctx: SubtaskContext, selection: RoomSelection) -> list[Room]:
    ids = select_ids(session, step, ctx, selection) if not selection.empty else \
        select_ids(session, step, ctx, RoomSelection(all_rooms=True))
    if not ids:
        return []
    return list(session.exec(select(Room).where(Room.id.in_(ids)).order_by(Room.id).with_for_update()).all())


def _sale_rule() -> str:
    return settings.sale_price_rule


def recompute_sale(room: Room) -> None:
    """销售单价 = 毛坯单价 + 装修单价 unless the city types it (SURV-06, settings.sale_price_rule)."""
    if _sale_rule() == pricing.SalePriceRule.SHELL_PLUS_DECORATION.value and room.shell_price is not None:
        room.sale_price = pricing.sale_unit_price(room.shell_price, room.decoration_price)


# ----- the batch with survey values kept ----------------------------------------------------------


def apply_keeping_survey(session: Session, step: RoomBatchStep, ctx: SubtaskContext, selection: RoomSelection,
                         raw: dict[str, Any]) -> tuple[int, int]:
    """Set the values on the selected rooms; fields that came from the survey are left as they are.
    Returns (rooms changed, rooms whose survey value was kept for some field)."""
    ids = select_ids(session, step, ctx, selection)
    if not ids:
        raise UserError("请先选择户室", "selection")
    values = parse_values(raw, step, ctx.principal)
    rooms = list(session.exec(select(Room).where(Room.id.in_(ids)).with_for_update()).all())
    surveyed = survey_values(session, rooms)
    changed = kept = 0
    for room in rooms:
        locked = locked_fields(step, surveyed.get(room.id, {}))
        wanted = {k: v for k, v in values.items() if k not in locked}
        kept += len(wanted) < len(values)
        if any(getattr(room, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(room, k, v)
            if set(wanted) & {"shell_price", "decoration_price"}:
                recompute_sale(room)
            session.add(room)
            changed += 1
    if changed:
        admin = admin_for(ROOMS_ADMIN)
        record_event(session, ctx.principal, AuditAction.UPDATE, "room", None, {
            "_summary": f"批量设置{changed}户：" + "、".join(admin.label(k) for k in values),
            **{k: [None, format_value(admin.columns[k], v)] for k, v in values.items()},
        })
    session.flush()
    return changed, kept


# ----- the price generator (SURV-05) --------------------------------------------------------------


@dataclass(frozen=True)
class PriceRule:
    price_kind: str  # shell_price | decoration_price | sale_price
    base_price: Decimal
    base_floor: int
    direction: str  # up | down
    change: str  # increase | decrease
    step: Decimal
    layout: str | None = None


def parse_price_rule(raw: dict[str, Any]) -> PriceRule:
    """The generator form's strings -> a rule, or ValidationFailed with a message per field."""
    admin = admin_for(ROOMS_ADMIN)
    errors: dict[str, str] = {}
    kind = str(raw.get("price_kind", "")).strip()
    if kind not in PRICE_FIELDS:
        errors["price_kind"] = "请选择价格类型"
    info = admin.columns["sale_price"]

    def money(name: str, label: str, *, zero: bool) -> Decimal | None:
        text = str(raw.get(name, "")).strip()
        if not text:
            errors[name] = f"请填写{label}"
            return None
        try:
            value = info.column_kind.parse(info, text)
        except ValueError:
            errors[name] = f"{label}应为金额，最多两位小数"
            return None
        if value == 0 and not zero:
            errors[name] = f"{label}必须大于0"
        return value

    base = money("base_price", "基础价格", zero=False)
    step = money("step", "递增/递减金额", zero=True)
    floor_text = str(raw.get("base_floor", "")).strip()
    floor = None
    if not floor_text.lstrip("-").isdigit() or int(floor_text) == 0:
        errors["base_floor"] = "基准层数应为不为0的整数"
    else:
        floor = int(floor_text)
    direction = str(raw.get("direction", "up"))
    change = str(raw.get("change", "increase"))
    if direction not in ("up", "down"):
        errors["direction"] = "请选择向上或向下"
    if change not in ("increase", "decrease"):
        errors["change"] = "请选择递增或递减"
    if errors:
        raise ValidationFailed(errors)
    layout = str(raw.get("layout", "")).strip() or None
    return PriceRule(kind, base, floor, direction, change, step, layout)


def generate_prices(session: Session, step: RoomBatchStep, ctx: SubtaskContext, selection: RoomSelection,
                    rule: PriceRule, *, preview: bool = False) -> int:
    """Set the rule's price on the rooms it reaches (by 户型 and 实际层); returns how many. With
    preview nothing is written (the count is what the screen asks 确认 for)."""
    rooms = _rooms(session, step, ctx, selection)
    try:
        prices = pricing.floor_prices_for_rooms(
            [(r.id, r.actual_floor, r.layout) for r in rooms], layout=rule.layout, base_price=rule.base_price,
            base_floor=rule.base_floor, direction=rule.direction, change=rule.change, step=rule.step)
    except ValueError as exc:
        raise UserError(str(exc), "price_rule") from None
    if preview:
        return len(prices)
    for room in rooms:
        if room.id in prices:
            setattr(room, rule.price_kind, prices[room.id])
            if rule.price_kind != "sale_price":
                recompute_sale(room)
            session.add(room)
    if prices:
        label = dict((k.value, k.label) for k in pricing.PriceKind)[rule.price_kind]
        record_event(session, ctx.principal, AuditAction.UPDATE, "room", None, {
            "_summary": f"按楼层生成{label}{len(prices)}户：基础价格{rule.base_price}元/㎡，基准层{rule.base_floor}，"
                        f"{'向上' if rule.direction == 'up' else '向下'}每层{'递增' if rule.change == 'increase' else '递减'}"
                        f"{rule.step}元" + (f"，户型{rule.layout}" if rule.layout else ""),
        })
    session.flush()
    return len(prices)


# ----- 价格核对 (SURV-06) and 快速设置 (SURV-04) -----------------------------------------------------


@dataclass(frozen=True)
class PriceRow:
    id: int
    room_number: str
    unit: str
    actual_floor: int
    nominal_floor: str
    usage: str
    layout: str
    label: str  # "毛 9000 装 0 面 103.5000 销 9000"
    total: str  # 建筑面积 × 销售单价, to the fen


FILTERS = ("actual_floor", "unit", "nominal_floor", "usage", "layout")


def price_rows(session: Session, step: RoomBatchStep, ctx: SubtaskContext, filters: dict[str, str]) -> list[PriceRow]:
    admin = admin_for(ROOMS_ADMIN)
    stmt = select(Room).where(step.rooms(ctx))
    for name in FILTERS:
        value = str(filters.get(name, "")).strip()
        if not value:
            continue
        if name == "actual_floor":
            if not value.lstrip("-").isdigit():
                raise UserError("实际层应为整数", "price_filter")
            stmt = stmt.where(Room.actual_floor == int(value))
        else:
            stmt = stmt.where(getattr(Room, name) == value)
    rooms = session.exec(stmt.order_by(Room.unit, Room.actual_floor.desc(), Room.room_number)).all()
    out = []
    for r in rooms:
        total = pricing.room_total(r.gross_area, r.sale_price) if r.sale_price else None
        out.append(PriceRow(
            r.id, r.room_number, r.unit or "", r.actual_floor, r.nominal_floor or "",
            format_value(admin.columns["usage"], r.usage), r.layout or "",
            pricing.price_check_label(r.shell_price, r.decoration_price, r.gross_area, r.sale_price),
            format_value(admin.columns["sale_price"], total) if total is not None else "",
        ))
    return out


def quick_set(session: Session, step: RoomBatchStep, ctx: SubtaskContext, room_id: int,
              raw: dict[str, Any]) -> Room:
    """快速设置 / 价格核对 of one room: the step's quick fields (and the prices with price tools),
    survey values kept, gross = inner + shared checked (SURV-15)."""
    room = _room(session, step, ctx, room_id)
    allowed = set(step.quick_fields) | (set(PRICE_FIELDS) if step.price_tools else set())
    locked = locked_fields(step, survey_values(session, [room]).get(room.id, {}))
    admin = admin_for(ROOMS_ADMIN)
    from netsign_console.admin.forms import field_specs, parse_submission

    names = [n for n in raw if n in allowed and n not in locked]
    specs = field_specs(admin, ctx.principal, room, fields=names, editable=True)
    for spec in specs:
        spec.required = spec.name in AREA_FIELDS or spec.name == "actual_floor"
    values, errors = parse_submission(admin, specs, {n: raw[n] for n in names}, partial=True)
    if errors:
        raise ValidationFailed(errors)
    before = {k: getattr(room, k) for k in values}
    for k, v in values.items():
        setattr(room, k, v)
    if set(values) & {"shell_price", "decoration_price"} and "sale_price" not in values:
        recompute_sale(room)
    problem = area_identity_error(room.gross_area, room.inner_area, room.shared_area, settings.area_tolerance)
    if problem:
        raise ValidationFailed({"gross_area": problem})
    changes = {k: [format_value(admin.columns[k], before[k]), format_value(admin.columns[k], getattr(room, k))]
               for k in values if before[k] != getattr(room, k)}
    if changes:
        session.add(room)
        record_event(session, ctx.principal, AuditAction.UPDATE, "room", room.id, changes)
    session.flush()
    return room


# ----- RoomPickStep ------------------------------------------------------------------------------


def pick(session: Session, step: RoomPickStep, ctx: SubtaskContext, room_ids: list[int]) -> list[int]:
    """Keep the picked rooms in the case's data after checking each is the case's and eligible."""
    ids = list(dict.fromkeys(int(i) for i in room_ids))
    rooms = {r.id: r for r in session.exec(select(Room).where(step.rooms(ctx), Room.id.in_(ids))).all()} if ids else {}
    if len(rooms) != len(ids):
        raise PermissionDenied(NOT_FOUND)
    if step.eligible is not None:
        refusals = [f"{rooms[i].room_number}：{msg}" for i in ids if (msg := step.eligible(ctx, rooms[i]))]
        if refusals:
            raise UserError("以下户室不能" + step.action + "：" + "；".join(refusals[:10])
                            + ("……" if len(refusals) > 10 else ""), "selection")
    if step.keep is not None:
        left_out = [(rid, why) for rid, why in step.keep(ctx).items() if rid not in set(ids)]
        if left_out:
            numbers = dict(session.exec(select(Room.id, Room.room_number).where(Room.id.in_([r for r, _ in left_out]))).all())
            raise UserError("以下户室不能移出：" + "；".join(f"{numbers.get(r, r)}：{why}" for r, why in left_out[:10])
                            + ("……" if len(left_out) > 10 else ""), "selection")
    if not ids and not (step.allow_none and step.allow_none(ctx)):
        raise UserError(f"请先选择要{step.action}的户室", "selection")
    return ids
