"""What the five survey-filing flows share (SURV-01, 08, 09, 12): the surveyed building as the
subject of 受理, copying a survey into the building grid, the tables the sub-tasks show, and
applying a changed survey to a building whose rooms may already be in use.

Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlmodel import Session, select

from models.building import Building, Room, RoomLineage, RoomRestriction
from models.enums import (
    HouseNature, HouseStructure, HouseType, HouseUsage, LineageKind, Role, SurveyKind, SurveyResultStatus, TradeStatus,
)
from models.project import Project
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from models.workflow import Case
from netsign_console.domain.money import format_area
from netsign_console.errors import UserError
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.nodes import AcceptContext
from netsign_console.workflow.subjects import SubjectKind, subject_kind
from netsign_console.workflow.subtasks import SubtaskContext, Table

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
ROOM_SURVEY_FIELDS = ("unit", "actual_floor", "nominal_floor", "gross_area", "inner_area", "shared_area", "structure",
                      "room_type", "usage", "nature", "has_elevator", "layout", "decoration")
BUILDING_SURVEY_FIELDS = ("survey_code", "total_units", "gross_area", "structure", "height", "floors_above",
                          "floors_below", "unit_count")
# What the developer completes on the grid (SURV-04); the survey's own values stay read-only.
ROOM_EDIT_FIELDS = ("nominal_floor", "structure", "room_type", "usage", "nature", "has_elevator", "layout",
                    "decoration")
ROOM_QUICK_FIELDS = ("unit", "nominal_floor", "actual_floor", "inner_area", "gross_area", "shared_area", "structure",
                     "usage", "room_type", "nature", "has_elevator", "layout", "decoration")
BUILDING_FORM_FIELDS = ("name", "address", "survey_code", "total_units", "gross_area", "structure", "height",
                        "floors_above", "floors_below", "unit_count")
# A room in signing or sold cannot simply disappear with a changed survey.
IN_USE = (TradeStatus.SIGNING.value, TradeStatus.SIGNED.value, TradeStatus.FILED.value, TradeStatus.REGISTERED.value)


class SurveyFilingData(CaseData):
    survey_building_id: int = Field(title="测绘楼栋")
    result_id: int = Field(title="测绘成果")
    project_id: int = Field(title="项目")
    building_number: str = Field(title="栋号")
    # The building on the grid the case fills (initial filing) or changes (change filings).
    building_id: int | None = Field(default=None, title="楼栋")


# ----- the subject: a surveyed building of an available result ------------------------------------


def _survey_rows(session: Session, sb: SurveyBuilding) -> list[tuple[str, str]]:
    result = session.get(SurveyResult, sb.result_id)
    project = session.get(Project, result.project_id) if result else None
    existing = _target(session, result, sb.building_number) if result else None
    return [
        ("测绘宗号", result.survey_number if result else ""),
        ("测绘类型", SurveyKind.label_of(result.kind) if result else ""),
        ("项目名称", project.name if project else ""),
        ("栋号", f"{sb.building_number}({sb.survey_code})" if sb.survey_code else sb.building_number),
        ("总套数", str(sb.total_units)),
        ("建筑面积(m²)", format_area(sb.gross_area)),
        ("建筑结构", HouseStructure.label_of(sb.structure)),
        ("地上/地下层数", f"{sb.floors_above} / {sb.floors_below}"),
        ("单元数", str(sb.unit_count)),
        ("楼盘表中的楼栋", (f"已有（{SurveyKind.label_of(existing.survey_kind) or '未备案'}）" if existing else "无")),
    ]


def _available(principal) -> list:
    return [SurveyBuilding.result_id.in_(
        select(SurveyResult.id).where(SurveyResult.status == SurveyResultStatus.AVAILABLE.value))]


def _file_mode_note() -> str:
    """SURV-01's two ways in: in 文件导入 the developer uploads the survey file first."""
    from netsign_console import settings as config

    if config.settings.survey_import_mode != "file":
        return ""
    return "本市测绘成果采用文件导入：请先在“系统管理 → 测绘成果导入”上传本楼栋的测绘成果文件，再输入测绘宗号受理。"


SURVEY_BUILDING = subject_kind(SubjectKind(
    code="survey_building",
    label="测绘楼栋",
    model=SurveyBuilding,
    prefix_columns=("building_number", "survey_code"),
    search_also=lambda term: [SurveyBuilding.result_id.in_(
        select(SurveyResult.id).where(SurveyResult.survey_number.startswith(term, autoescape=True)))],
    title_of=lambda sb: f"{sb.building_number}（{sb.survey_code or '无测绘编码'}）",
    key_of=lambda sb: f"{sb.result_id}-{sb.building_number}",
    describe_rows=_survey_rows,
    where=_available,
    org_of=lambda sb: None,  # the result's developer: filled in by the flows' initial data
    order_by=("result_id", "building_number"),
    list_first=False,
    placeholder="输入测绘宗号（测量号）、栋号或测绘编码查询",
    note=_file_mode_note,
))


def result_of(session: Session, sb: SurveyBuilding) -> SurveyResult:
    return session.get(SurveyResult, sb.result_id)


def _target(session: Session, result: SurveyResult, building_number: str) -> Building | None:
    """The building on the grid with this number in the result's project, if any."""
    return session.exec(
        select(Building).where(Building.project_id == result.project_id, Building.building_number == building_number)
    ).first()


def initial_data(ctx: AcceptContext) -> dict[str, Any]:
    sb = ctx.subject
    result = result_of(ctx.session, sb)
    target = _target(ctx.session, result, sb.building_number)
    return {"survey_building_id": sb.id, "result_id": result.id, "project_id": result.project_id,
            "building_number": sb.building_number, "building_id": target.id if target else None}


def kind_is(kind: SurveyKind):
    def check(ctx: AcceptContext) -> str | None:
        result = result_of(ctx.session, ctx.subject)
        if result.kind != kind.value:
            return f"测绘宗号“{result.survey_number}”为{SurveyKind.label_of(result.kind)}成果，本业务需要{kind.label}成果"
        return None
    return check


def no_building_yet(ctx: AcceptContext) -> str | None:
    target = _target(ctx.session, result_of(ctx.session, ctx.subject), ctx.subject.building_number)
    if target is not None:
        return f"项目中已有栋号“{target.building_number}”的楼栋，请办理变更或预测转实测"
    return None


def building_filed_as(kind: SurveyKind):
    """The change / conversion flows need the building on the grid, filed with a `kind` survey."""
    def check(ctx: AcceptContext) -> str | None:
        target = _target(ctx.session, result_of(ctx.session, ctx.subject), ctx.subject.building_number)
        if target is None:
            return f"项目中没有栋号“{ctx.subject.building_number}”的楼栋，请先办理{kind.label}成果备案"
        if target.survey_kind != kind.value or not target.survey_case_number:
            return f"栋号“{target.building_number}”的{kind.label}成果尚未备案"
        open_case = open_survey_case(ctx.session, target.id)
        return None if open_case is None else f"该楼栋已有正在办理的测绘业务（{open_case}）"
    return check


def open_survey_case(session: Session, building_id: int) -> str | None:
    """The number of an active survey case on this building (a handful at most: read in Python)."""
    for number, data in session.exec(
        select(Case.number, Case.data).where(Case.subject_type == "survey_building", Case.status == "active")
    ).all():
        if (data or {}).get("building_id") == building_id:
            return number
    return None


# ----- the result's life: 待备案 → 备案中 → 已备案 -------------------------------------------------


def mark_result(session: Session, data: SurveyFilingData, status: SurveyResultStatus, case: Case | None) -> None:
    result = session.get(SurveyResult, data.result_id)
    result.status = status.value
    result.case_number = case.number if case is not None and status != SurveyResultStatus.AVAILABLE else None
    session.add(result)


def copy_to_grid(session: Session, data: SurveyFilingData, case: Case) -> Building:
    """Initial filing: the surveyed building and its rooms become grid rows (不可售 until a permit);
    each room remembers its survey row, whose values then stay read-only (SURV-02)."""
    sb = session.get(SurveyBuilding, data.survey_building_id)
    result = session.get(SurveyResult, data.result_id)
    if _target(session, result, sb.building_number) is not None:
        raise UserError(f"项目中已有栋号“{sb.building_number}”的楼栋", "subject")
    building = Building(
        project_id=result.project_id, developer_org_id=result.developer_org_id, building_number=sb.building_number,
        survey_kind=result.kind, survey_result_id=result.id,
        **{f: getattr(sb, f) for f in BUILDING_SURVEY_FIELDS},
    )
    session.add(building)
    session.flush()
    rooms = session.exec(select(SurveyRoom).where(SurveyRoom.survey_building_id == sb.id).order_by(SurveyRoom.id)).all()
    session.add_all([
        Room(building_id=building.id, project_id=building.project_id, developer_org_id=building.developer_org_id,
             room_number=r.room_number, survey_room_id=r.id, trade_status=TradeStatus.NOT_FOR_SALE.value,
             **{f: getattr(r, f) for f in ROOM_SURVEY_FIELDS if f != "has_elevator"},
             has_elevator=bool(r.has_elevator) if r.has_elevator is not None else False)
        for r in rooms
    ])
    session.flush()
    return building


def remove_from_grid(session: Session, data: SurveyFilingData) -> None:
    """A cancelled initial filing takes its building back off the grid (nothing else uses it yet)."""
    if data.building_id is None:
        return
    building = session.get(Building, data.building_id)
    if building is None:
        return
    for room in session.exec(select(Room).where(Room.building_id == building.id)).all():
        session.delete(room)
    session.flush()
    session.delete(building)


# ----- the tables the confirmations show ------------------------------------------------------------


def _label(enum, value) -> str:
    return enum.label_of(value) if value not in (None, "") else ""


def _room_cells(r) -> tuple[str, ...]:
    return (r.room_number, r.unit or "", str(r.actual_floor), r.nominal_floor or "", format_area(r.gross_area),
            format_area(r.inner_area), format_area(r.shared_area), _label(HouseStructure, r.structure),
            _label(HouseType, r.room_type), _label(HouseUsage, r.usage), _label(HouseNature, r.nature),
            r.layout or "", r.decoration or "")


ROOM_HEADERS = ("室号", "单元", "实际层", "名义层", "建筑面积", "套内面积", "分摊面积", "房屋结构", "房屋类型", "房屋用途",
                "房屋性质", "户型", "装修情况")


def original_table(ctx: SubtaskContext) -> Table:
    """原测绘信息查看: the survey exactly as the survey office filed it."""
    sb = ctx.session.get(SurveyBuilding, ctx.data.survey_building_id)
    result = ctx.session.get(SurveyResult, ctx.data.result_id)
    rooms = ctx.session.exec(select(SurveyRoom).where(SurveyRoom.survey_building_id == sb.id)
                             .order_by(SurveyRoom.unit, SurveyRoom.actual_floor.desc(), SurveyRoom.room_number)).all()
    note = (f"测绘宗号 {result.survey_number}（{SurveyKind.label_of(result.kind)}）  栋号 {sb.building_number}  "
            f"总套数 {sb.total_units}  建筑面积 {format_area(sb.gross_area)}m²  地上{sb.floors_above}层/地下{sb.floors_below}层")
    return Table(ROOM_HEADERS, tuple(_room_cells(r) for r in rooms), note)


def current_table(ctx: SubtaskContext) -> Table:
    """The building's rooms on the grid now (原测绘信息查看 of a change: what is being changed)."""
    rooms = ctx.session.exec(select(Room).where(Room.building_id == ctx.data.building_id, Room.retired.is_(False))
                             .order_by(Room.unit, Room.actual_floor.desc(), Room.room_number)).all()
    return Table(ROOM_HEADERS, tuple(_room_cells(r) for r in rooms), f"楼盘表中现有{len(rooms)}户")


_COMPARED = ("unit", "actual_floor", "nominal_floor", "gross_area", "inner_area", "shared_area", "structure",
             "room_type", "usage", "nature", "layout", "decoration", "shell_price", "decoration_price", "sale_price")
_TITLES = dict(zip(_COMPARED, ("单元", "实际层", "名义层", "建筑面积", "套内面积", "分摊面积", "房屋结构", "房屋类型",
                               "房屋用途", "房屋性质", "户型", "装修情况", "毛坯单价", "装修单价", "销售单价")))


def _show(field: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format_area(value) if field.endswith("area") else f"{value:,.2f}"
    enums = {"structure": HouseStructure, "room_type": HouseType, "usage": HouseUsage, "nature": HouseNature}
    return enums[field].label_of(value) if field in enums else str(value)


def comparison_table(ctx: SubtaskContext) -> Table:
    """测绘信息查看: before (the survey) and after (the grid now), the changed values only."""
    rooms = ctx.session.exec(select(Room).where(Room.building_id == ctx.data.building_id, Room.retired.is_(False))
                             .order_by(Room.unit, Room.actual_floor.desc(), Room.room_number)).all()
    survey = {s.id: s for s in ctx.session.exec(
        select(SurveyRoom).where(SurveyRoom.survey_building_id == ctx.data.survey_building_id)).all()}
    rows = []
    for room in rooms:
        before = survey.get(room.survey_room_id)
        for field in _COMPARED:
            old = getattr(before, field, None) if before is not None else None
            new = getattr(room, field)
            if old != new and not (old is None and new in (None, "")):
                rows.append((room.room_number, _TITLES[field], _show(field, old), _show(field, new)))
    note = f"共{len(rooms)}户；{len({r[0] for r in rows})}户有补充或修改" if rows else f"共{len(rooms)}户，与测绘成果一致"
    return Table(("室号", "项目", "测绘成果（原）", "楼盘表（现）"), tuple(rows), note)


def building_project_table(ctx: SubtaskContext) -> Table:
    """栋项目信息确认: the building, its project and its developer as they will be filed."""
    from models.organization import Organization

    building = ctx.session.get(Building, ctx.data.building_id)
    project = ctx.session.get(Project, building.project_id)
    org = ctx.session.get(Organization, building.developer_org_id)
    rows = (
        ("开发企业", org.name if org else ""), ("统一社会信用代码", (org.credit_code or "") if org else ""),
        ("项目名称", project.name), ("项目坐落", project.location), ("栋号", building.building_number),
        ("楼栋坐落", building.address or "（未填写）"), ("总套数", str(building.total_units)),
        ("建筑面积(m²)", format_area(building.gross_area) if building.gross_area is not None else ""),
        ("地上/地下层数", f"{building.floors_above} / {building.floors_below}"),
    )
    return Table(("项目", "内容"), rows)


def rooms_of_case(ctx: SubtaskContext):
    return Room.building_id == ctx.data.building_id


def building_of_case(ctx: SubtaskContext) -> int:
    return ctx.data.building_id


# ----- applying a changed survey (SURV-08, SURV-12) ---------------------------------------------


def apply_changed_survey(session: Session, data: SurveyFilingData, case: Case) -> dict[str, int]:
    """Rooms of the new survey replace the building's: a room with the same number takes the new
    survey's values (its trade status, prices and history stay), a new number is added (不可售),
    a room the survey no longer has is retired — refused if it is in signing or sold."""
    building = session.get(Building, data.building_id)
    new = {r.room_number: r for r in session.exec(
        select(SurveyRoom).where(SurveyRoom.survey_building_id == data.survey_building_id)).all()}
    rooms = {r.room_number: r for r in session.exec(
        select(Room).where(Room.building_id == building.id, Room.retired.is_(False)).with_for_update()).all()}
    gone = [r for n, r in rooms.items() if n not in new]
    blocked = [r.room_number for r in gone if r.trade_status in IN_USE]
    if blocked:
        raise UserError("以下户室已签约或在签约中，变更后的测绘成果中却没有，不能归档：" + "、".join(blocked[:20]))
    counts = {"matched": 0, "added": 0, "retired": 0}
    for number, sr in new.items():
        room = rooms.get(number)
        values = {f: getattr(sr, f) for f in ROOM_SURVEY_FIELDS if f != "has_elevator" and getattr(sr, f) is not None}
        if room is None:
            room = Room(building_id=building.id, project_id=building.project_id, developer_org_id=building.developer_org_id,
                        room_number=number, survey_room_id=sr.id, trade_status=TradeStatus.NOT_FOR_SALE.value,
                        has_elevator=bool(sr.has_elevator), **values)
            session.add(room)
            session.flush()
            session.add(RoomLineage(predecessor_id=None, successor_id=room.id, kind=LineageKind.ADD.value,
                                    case_number=case.number))
            counts["added"] += 1
            continue
        for f, v in values.items():
            setattr(room, f, v)
        room.survey_room_id = sr.id
        session.add(room)
        counts["matched"] += 1
    for room in gone:
        retire(session, room)
        session.add(RoomLineage(predecessor_id=room.id, successor_id=None, kind=LineageKind.DELETE.value,
                                case_number=case.number))
        counts["retired"] += 1
    sb = session.get(SurveyBuilding, data.survey_building_id)
    for f in BUILDING_SURVEY_FIELDS:
        if getattr(sb, f) is not None:
            setattr(building, f, getattr(sb, f))
    building.survey_result_id = data.result_id
    building.survey_case_number = case.number
    session.add(building)
    session.flush()
    return counts


def retire(session: Session, room: Room) -> None:
    """Take a room off the grid, keeping it (and what points at it) as history. Its number is
    freed for a successor (room numbers are unique per building among live and retired rooms)."""
    room.retired = True
    room.room_number = f"{room.room_number}#{room.id}"[:30]
    session.add(room)


def carry_restrictions(session: Session, source: Room, targets: list[Room], case: Case) -> int:
    """A room's active restrictions follow it to its successor(s) (SURV-09: nothing is lost)."""
    copied = 0
    for r in session.exec(select(RoomRestriction).where(RoomRestriction.room_id == source.id,
                                                        RoomRestriction.active.is_(True))).all():
        for target in targets:
            if target.id == source.id:
                continue
            # The source and the signing authorisation too: a construction mortgage must still
            # find (and release) its rooms after the as-built survey replaced them (MORT-01).
            session.add(RoomRestriction(room_id=target.id, kind=r.kind, reference=r.reference, authority=r.authority,
                                        active=True, starts_at=r.starts_at, ends_at=r.ends_at,
                                        source_type=r.source_type, source_id=r.source_id,
                                        sale_authorised=r.sale_authorised))
            copied += 1
    return copied


# ----- the two shapes of survey filing -------------------------------------------------------------

from netsign_console.workflow.flow import Flow  # noqa: E402
from netsign_console.workflow.nodes import End, Review, Stage, Start  # noqa: E402
from netsign_console.workflow.routing import initiating_org  # noqa: E402
from netsign_console.workflow.subtasks import ConfirmStep, FormStep, RoomBatchStep  # noqa: E402


def kind_of_flow(ctx: AcceptContext) -> str | None:
    return kind_is(ctx.flow.survey_kind)(ctx)


def building_filed(ctx: AcceptContext) -> str | None:
    return building_filed_as(ctx.flow.filed_kind)(ctx)


class InitialSurveyFiling(Flow, register=False):
    """测绘成果备案（初始）

    预测成果备案 / 实测成果备案 (SURV-01, SURV-12): a surveyed building enters the building grid.
    受理 copies it there (不可售); the developer completes what the survey left empty, sets the
    prices, checks the result against the survey and confirms the building; the survey office
    reviews and archives (or sends it back)."""

    category = "测绘成果备案"
    data_model = SurveyFilingData
    survey_kind: SurveyKind = SurveyKind.FORECAST

    start = Start(DEVELOPER, subject="survey_building", checks=(kind_of_flow, no_building_yet),
                  initial_data=initial_data,
                  hint="按测绘宗号（测量号）查询测绘科已导入的测绘成果，核对楼栋与户室后受理；测绘成果中已有的数据不能修改，只能补充空白项。")
    entry = Stage("测绘信息编辑", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("原测绘信息查看", text="已查看测绘成果", table=original_table, code="original"),
        FormStep("楼栋信息完善", admin="buildings", record=building_of_case, fields=BUILDING_FORM_FIELDS,
                 required_fields=("address",), only_empty=True),
        RoomBatchStep("户室信息编辑", rooms=rooms_of_case, fields=ROOM_EDIT_FIELDS, only_empty=True, price_tools=True,
                      quick_fields=ROOM_QUICK_FIELDS, required_fields=("usage", "sale_price")),
        ConfirmStep("测绘信息查看", text="已核对补充和修改的内容", table=comparison_table, code="compare"),
        ConfirmStep("栋项目信息确认", text="楼栋、项目与开发企业信息无误", table=building_project_table, code="confirm"),
    ))
    review = Review("测绘科审核", (Role.SURVEY_OFFICE,), on_reject="entry", opinion_required_for=("reject",))
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        data = self.data_of(case)
        building = copy_to_grid(session, data, case)
        self.set_data(case, building_id=building.id)
        mark_result(session, data, SurveyResultStatus.FILING, case)

    def on_cancel(self, session: Session, case: Case) -> None:
        data = self.data_of(case)
        remove_from_grid(session, data)
        mark_result(session, data, SurveyResultStatus.AVAILABLE, None)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        building = session.get(Building, data.building_id)
        building.survey_case_number = case.number
        building.survey_kind = self.survey_kind.value
        session.add(building)
        mark_result(session, data, SurveyResultStatus.FILED, case)


class HoldsSurveyResult:
    """For flows whose acceptance reserves an imported result without copying it to the grid
    (changes, 预测转实测): 受理 marks it in filing, 取消受理 gives it back."""

    def on_accept(self, session: Session, case: Case, subject) -> None:
        mark_result(session, self.data_of(case), SurveyResultStatus.FILING, case)

    def on_cancel(self, session: Session, case: Case) -> None:
        mark_result(session, self.data_of(case), SurveyResultStatus.AVAILABLE, None)


class ChangedSurveyFiling(HoldsSurveyResult, Flow, register=False):
    """测绘成果变更备案

    预测变更成果备案 / 实测变更成果备案 (SURV-08, SURV-12): a new survey of a filed building. The
    developer views the building as it is, completes the new rooms' data, checks the before/after
    comparison; the regulator reviews; archiving applies the new survey (same room number: new
    values, history kept; new numbers added; rooms no longer surveyed retired — never a sold one)."""

    category = "测绘成果备案"
    data_model = SurveyFilingData
    survey_kind: SurveyKind = SurveyKind.FORECAST
    filed_kind: SurveyKind = SurveyKind.FORECAST

    start = Start(DEVELOPER, subject="survey_building", checks=(kind_of_flow, building_filed),
                  initial_data=initial_data,
                  hint="按新的测绘宗号查询变更后的测绘成果；其栋号须与项目中已备案的楼栋一致。")
    entry = Stage("测绘信息编辑", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("原测绘信息查看", text="已查看变更前的楼栋与户室", table=current_table, code="original"),
        ConfirmStep("变更后测绘成果查看", text="已查看变更后的测绘成果", table=original_table, code="new"),
        RoomBatchStep("测绘信息编辑", rooms=rooms_of_case, fields=ROOM_EDIT_FIELDS, only_empty=True, price_tools=True,
                      quick_fields=ROOM_QUICK_FIELDS, required=False),
    ))
    review = Review("主管部门审核", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",))
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        building = session.get(Building, data.building_id)
        previous = building.survey_result_id
        apply_changed_survey(session, data, case)
        building.survey_kind = self.survey_kind.value
        session.add(building)
        if previous and previous != data.result_id:
            old = session.get(SurveyResult, previous)
            old.status = SurveyResultStatus.SUPERSEDED.value
            session.add(old)
        mark_result(session, data, SurveyResultStatus.FILED, case)
