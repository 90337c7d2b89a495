"""预测转实测成果备案 (SURV-09, SURV-10, SURV-11): the as-built survey of a building whose
forecast is filed. The developer views the forecast rooms and the as-built survey and completes
the new data; the regulator maps each forecast room to its as-built successor(s) (identical rooms
automatically; splits, merges, additions and deletions by hand) and signs an opinion; archiving
applies the mapping, and a room's history (cases, restrictions, lineage) follows it.
"""

from __future__ import annotations

from pydantic import Field
from sqlmodel import Session, select

from models.building import Building, Room, RoomLineage
from models.enums import LineageKind, Role, SurveyKind, SurveyResultStatus, TradeStatus
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from models.workflow import Case
from netsign_console.errors import UserError
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.flows._survey import (
    BUILDING_SURVEY_FIELDS, DEVELOPER, IN_USE, ROOM_EDIT_FIELDS, ROOM_QUICK_FIELDS, ROOM_SURVEY_FIELDS,
    HoldsSurveyResult, SurveyFilingData, building_filed_as, carry_restrictions, current_table, initial_data, kind_is,
    mark_result, original_table, retire, rooms_of_case,
)
from netsign_console.workflow.nodes import End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, MappingStep, RoomBatchStep, SubtaskContext


class ConversionData(SurveyFilingData):
    # The regulator's 户室关系对照: [{"kind", "forecast": [room ids], "as_built": [survey room ids]}].
    mapping: list[dict] | None = Field(default=None, title="户室关系对照")


def forecast_rooms(ctx: SubtaskContext) -> list[tuple]:
    return [tuple(r) for r in ctx.session.exec(
        select(Room.id, Room.room_number, Room.unit, Room.actual_floor)
        .where(Room.building_id == ctx.data.building_id, Room.retired.is_(False)).order_by(Room.id)).all()]


def as_built_rooms(ctx: SubtaskContext) -> list[tuple]:
    return [tuple(r) for r in ctx.session.exec(
        select(SurveyRoom.id, SurveyRoom.room_number, SurveyRoom.unit, SurveyRoom.actual_floor)
        .where(SurveyRoom.survey_building_id == ctx.data.survey_building_id).order_by(SurveyRoom.id)).all()]


class ForecastToAsBuilt(HoldsSurveyResult, Flow):
    """预测转实测成果备案"""

    code = "survey_forecast_to_as_built"
    prefix = "C"
    category = "测绘成果备案"
    data_model = ConversionData

    start = Start(DEVELOPER, subject="survey_building",
                  checks=(kind_is(SurveyKind.AS_BUILT), building_filed_as(SurveyKind.FORECAST)),
                  initial_data=initial_data,
                  hint="按实测测绘宗号查询实测成果；其栋号须与已备案预测成果的楼栋一致。受理后由主管部门进行户室关系对照。")
    entry = Stage("实测绘信息编辑", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("原预测绘信息查看", text="已查看预测户室", table=current_table, code="original"),
        ConfirmStep("实测绘信息查看", text="已查看实测成果", table=original_table, code="new"),
        RoomBatchStep("实测绘信息编辑", rooms=rooms_of_case, fields=ROOM_EDIT_FIELDS, only_empty=True, price_tools=True,
                      quick_fields=ROOM_QUICK_FIELDS, required=False),
    ))
    review = Review("户室关系对照", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("approve", "reject"),
                    subtasks=(MappingStep("户室关系对照", forecast=forecast_rooms, as_built=as_built_rooms),))
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        apply_mapping(session, data, case)
        building = session.get(Building, data.building_id)
        previous = building.survey_result_id
        sb = session.get(SurveyBuilding, data.survey_building_id)
        for f in BUILDING_SURVEY_FIELDS:
            if getattr(sb, f) is not None:
                setattr(building, f, getattr(sb, f))
        building.survey_kind = SurveyKind.AS_BUILT.value
        building.survey_result_id = data.result_id
        building.survey_case_number = case.number
        session.add(building)
        if previous and previous != data.result_id:
            old = session.get(SurveyResult, previous)
            old.status = SurveyResultStatus.SUPERSEDED.value
            session.add(old)
        mark_result(session, data, SurveyResultStatus.FILED, case)


def _values(sr: SurveyRoom) -> dict:
    return {f: getattr(sr, f) for f in ROOM_SURVEY_FIELDS if f != "has_elevator" and getattr(sr, f) is not None}


def apply_mapping(session: Session, data: ConversionData, case: Case) -> None:
    """The regulator's mapping becomes the grid: a matched room keeps its row (and so everything
    that points at it) with the as-built values; a split, merged or deleted forecast room is
    retired and its restrictions go to its successors; added rooms are new (不可售)."""
    from netsign_console.workflow.room_mapping_service import mapping_of

    step = ForecastToAsBuilt.stage("review").subtask("mapping")
    ctx = SubtaskContext(session, case, data)
    mapping = mapping_of(step, ctx)
    problems = mapping.check_complete()
    if problems:
        raise UserError("户室关系对照尚未完成：" + "；".join(problems))
    building = session.get(Building, data.building_id)
    rooms = {r.id: r for r in session.exec(select(Room).where(Room.building_id == building.id).with_for_update()).all()}
    survey = {r.id: r for r in session.exec(
        select(SurveyRoom).where(SurveyRoom.survey_building_id == data.survey_building_id)).all()}
    moving = [rooms[i] for link in mapping.links if link.kind.value in ("split", "merge", "delete")
              for i in link.forecast_ids]
    blocked = [r.room_number for r in moving if r.trade_status in IN_USE]
    if blocked:
        raise UserError("以下户室已签约或在签约中，不能拆分、合并或删除：" + "、".join(blocked[:20]))

    def new_room(sr: SurveyRoom) -> Room:
        room = Room(building_id=building.id, project_id=building.project_id, developer_org_id=building.developer_org_id,
                    room_number=sr.room_number, survey_room_id=sr.id, trade_status=TradeStatus.NOT_FOR_SALE.value,
                    has_elevator=bool(sr.has_elevator), **_values(sr))
        session.add(room)
        session.flush()
        return room

    def lineage(kind: LineageKind, before: Room | None, after: Room | None) -> None:
        session.add(RoomLineage(predecessor_id=before.id if before else None, successor_id=after.id if after else None,
                                kind=kind.value, case_number=case.number))

    # Retire first, so a successor may take a retired room's number.
    for link in mapping.links:
        if link.kind.value in ("split", "merge", "delete"):
            for i in link.forecast_ids:
                retire(session, rooms[i])
    session.flush()
    for link in mapping.links:
        kind = link.kind.value
        if kind == "match":
            room, sr = rooms[link.forecast_ids[0]], survey[link.as_built_ids[0]]
            for f, v in _values(sr).items():
                setattr(room, f, v)
            room.room_number, room.survey_room_id = sr.room_number, sr.id
            session.add(room)
            lineage(LineageKind.MATCH, room, room)
        elif kind == "split":
            source = rooms[link.forecast_ids[0]]
            targets = [new_room(survey[i]) for i in link.as_built_ids]  # 不可售 until a permit change covers it
            for target in targets:
                _copy_prices(source, target)
                lineage(LineageKind.SPLIT, source, target)
            carry_restrictions(session, source, targets, case)
        elif kind == "merge":
            sources = [rooms[i] for i in link.forecast_ids]
            target = new_room(survey[link.as_built_ids[0]])
            _copy_prices(sources[0], target)
            for source in sources:
                lineage(LineageKind.MERGE, source, target)
                carry_restrictions(session, source, [target], case)
        elif kind == "add":
            lineage(LineageKind.ADD, None, new_room(survey[link.as_built_ids[0]]))
        elif kind == "delete":
            lineage(LineageKind.DELETE, rooms[link.forecast_ids[0]], None)
    session.flush()


def _copy_prices(source: Room, target: Room) -> None:
    for f in ("shell_price", "decoration_price", "sale_price", "layout", "decoration", "designation"):
        if getattr(target, f) in (None, "") and getattr(source, f) not in (None, ""):
            setattr(target, f, getattr(source, f))
