"""户室关系对照 in use (a MappingStep): the mapping kept in the case's data, the operations the
regulator makes on it, and what the confirmation shows (SURV-09, SURV-10, N13).

The mapping's rules are domain/room_mapping.py's; this module only loads the two sides, keeps
the links (as plain lists in the typed data) and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session, select

from models.building import Room
from models.survey import SurveyRoom
from netsign_console.domain.area import settle
from netsign_console.domain.money import format_area, format_money
from netsign_console.domain.room_mapping import LinkKind, MappingError, MappingLink, RoomMapping, auto_match
from netsign_console.errors import UserError
from netsign_console.workflow.subtasks import MappingStep, SubtaskContext


def _links(step: MappingStep, ctx: SubtaskContext) -> list[MappingLink] | None:
    raw = getattr(ctx.data, step.data_field)
    if raw is None:
        return None
    return [MappingLink(LinkKind(x["kind"]), tuple(x["forecast"]), tuple(x["as_built"])) for x in raw]


def mapping_of(step: MappingStep, ctx: SubtaskContext) -> RoomMapping:
    forecast, as_built = step.forecast(ctx), step.as_built(ctx)
    links = _links(step, ctx)
    if links is None:  # first opened: identical rooms matched automatically
        return auto_match(forecast, as_built)
    return RoomMapping(forecast, as_built, links)


def dump(mapping: RoomMapping) -> list[dict]:
    return [{"kind": x.kind.value, "forecast": list(x.forecast_ids), "as_built": list(x.as_built_ids)}
            for x in mapping.links]


def operate(step: MappingStep, ctx: SubtaskContext, op: str, forecast_ids: list[int], as_built_ids: list[int]) -> RoomMapping:
    """One of 对应 / 拆分 / 合并 / 新增 / 删除 / 撤销 / 自动对照; MappingError -> a Chinese refusal."""
    mapping = mapping_of(step, ctx)
    try:
        if op == "auto":
            mapping = auto_match(step.forecast(ctx), step.as_built(ctx))
        elif op == "match":
            _one(forecast_ids, "预测"), _one(as_built_ids, "实测")
            mapping = mapping.match(forecast_ids[0], as_built_ids[0])
        elif op == "split":
            _one(forecast_ids, "预测")
            mapping = mapping.split(forecast_ids[0], as_built_ids)
        elif op == "merge":
            _one(as_built_ids, "实测")
            mapping = mapping.merge(forecast_ids, as_built_ids[0])
        elif op == "add":
            for rid in as_built_ids or _none("实测"):
                mapping = mapping.add(rid)
        elif op == "delete":
            for rid in forecast_ids or _none("预测"):
                mapping = mapping.delete(rid)
        elif op == "unmap":
            for rid in forecast_ids:
                mapping = mapping.unmap_forecast(rid)
            for rid in as_built_ids:
                mapping = mapping.unmap_as_built(rid)
        else:
            raise UserError("不支持的操作")
    except MappingError as exc:
        raise UserError(str(exc), "mapping") from None
    return mapping


def _one(ids: list[int], side: str) -> None:
    if len(ids) != 1:
        raise UserError(f"请选择1户{side}户室", "mapping")


def _none(side: str) -> list:
    raise UserError(f"请先选择{side}户室", "mapping")


@dataclass(frozen=True)
class MappingView:
    forecast_count: int
    as_built_count: int
    mapped_count: int
    matched: int
    unmapped_forecast: list[tuple[int, str]]
    unmapped_as_built: list[tuple[int, str]]
    links: list[tuple[str, str, str, str]]  # (key, kind label, forecast rooms, as-built rooms)
    problems: list[str]
    areas: list[tuple[str, ...]] = field(default_factory=list)  # area changes with N13's settlement


def _label(room) -> str:
    return f"{room.room_number}（{room.unit or '-'}，{room.actual_floor}层，{format_area(room.gross_area)}m²）"


def view(session: Session, step: MappingStep, ctx: SubtaskContext) -> MappingView:
    mapping = mapping_of(step, ctx)
    forecast = {r.id: r for r in session.exec(select(Room).where(Room.id.in_([x[0] for x in step.forecast(ctx)]))).all()}
    as_built = {r.id: r for r in session.exec(
        select(SurveyRoom).where(SurveyRoom.id.in_([x[0] for x in step.as_built(ctx)]))).all()}
    summary = mapping.summary()
    links = []
    for link in mapping.links:
        key = f"{link.kind.value}:{','.join(map(str, link.forecast_ids))}:{','.join(map(str, link.as_built_ids))}"
        links.append((key, link.kind.label, "、".join(forecast[i].room_number for i in link.forecast_ids) or "—",
                      "、".join(as_built[i].room_number for i in link.as_built_ids) or "—"))
    areas = []
    for link in mapping.links:
        if link.kind is not LinkKind.MATCH:
            continue
        before, after = forecast[link.forecast_ids[0]], as_built[link.as_built_ids[0]]
        if before.gross_area == after.gross_area:
            continue
        price = before.sale_price
        if price:
            result = settle(Decimal(before.gross_area), Decimal(after.gross_area), Decimal(price))
            areas.append((before.room_number, format_area(before.gross_area), format_area(after.gross_area),
                          f"{result.ratio_percent}%", "是" if result.buyer_may_cancel else "否",
                          format_money(result.buyer_pays), format_money(result.developer_bears)))
        else:
            areas.append((before.room_number, format_area(before.gross_area), format_area(after.gross_area),
                          "—", "—", "未定价", "未定价"))
    return MappingView(
        summary.forecast_count, summary.as_built_count, summary.mapped_count, summary.matched,
        [(i, _label(forecast[i])) for i in mapping.unmapped_forecast()],
        [(i, _label(as_built[i])) for i in mapping.unmapped_as_built()],
        links, mapping.check_complete(), areas,
    )
