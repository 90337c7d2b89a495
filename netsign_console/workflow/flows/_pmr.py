"""What the four 物管用房 flows share (PMR-01 to PMR-06): a building's property-management rooms
are picked on its grid, the other buildings' designations of the project are shown, the
regulator reviews, and archiving sets them.

PMR-02: a building need not designate any when another building of the project already has.
PMR-04: a room set back to saleable stays 不可售 (release pending) until a later permit change.
PMR-05: signing on a designated room is refused ("物管用房不能销售", the contracts' checks).
Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from pydantic import Field
from sqlmodel import Session, select

from models.building import Building, Room
from models.enums import Designation, Role, SurveyKind, TradeStatus
from models.workflow import Case, CaseStatus
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, RoomPickStep, SubtaskContext, Table

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
PMR = Designation.PROPERTY_MGMT.value
# A room already in signing or sold cannot become a 物管用房.
IN_USE = (TradeStatus.SIGNING.value, TradeStatus.SIGNED.value, TradeStatus.FILED.value, TradeStatus.REGISTERED.value)
PMR_CODES = ("pmr_offplan_determination", "pmr_offplan_change", "pmr_completed_determination", "pmr_completed_change")


class PmrData(CaseData):
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    # The building's 物管用房 as the case proposes them (applied on archive).
    room_ids: list[int] = Field(default_factory=list, title="物管用房")
    # Those it had when the case was accepted (a change's before).
    before_ids: list[int] = Field(default_factory=list, title="原物管用房")


def designated(session: Session, building_id: int) -> list[int]:
    return list(session.exec(select(Room.id).where(Room.building_id == building_id, Room.designation == PMR,
                                                   Room.retired.is_(False)).order_by(Room.id)).all())


def initial_data(ctx: AcceptContext) -> dict:
    current = designated(ctx.session, ctx.subject.id)
    return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id, "room_ids": current,
            "before_ids": current}


def _archived_determination(session: Session, building_id: int) -> str | None:
    return session.exec(
        select(Case.number).where(Case.case_type.in_(PMR_CODES), Case.subject_type == "building",
                                  Case.subject_id == building_id, Case.status == CaseStatus.ARCHIVED,
                                  Case.decision == "approve")
    ).first()


def no_open_pmr_case(ctx: AcceptContext) -> str | None:
    number = ctx.session.exec(
        select(Case.number).where(Case.case_type.in_(PMR_CODES), Case.subject_type == "building",
                                  Case.subject_id == ctx.subject.id, Case.status == CaseStatus.ACTIVE)
    ).first()
    return f"该楼栋已有正在办理的物管用房业务（{number}）" if number else None


def survey_filed(kind: SurveyKind):
    def check(ctx: AcceptContext) -> str | None:
        b = ctx.subject
        if b.survey_kind != kind.value or not b.survey_case_number:
            stage = "期房" if kind is SurveyKind.FORECAST else "现房"
            return f"该楼栋的{kind.label}成果尚未备案，不能办理{stage}物管用房"
        return None
    return check


def not_determined(ctx: AcceptContext) -> str | None:
    number = _archived_determination(ctx.session, ctx.subject.id)
    return f"该楼栋的物管用房已核定（{number}），请办理物管用房变更" if number else None


def determined(ctx: AcceptContext) -> str | None:
    return None if _archived_determination(ctx.session, ctx.subject.id) else "该楼栋的物管用房尚未核定，请先办理物管用房核定"


def others_have(ctx: SubtaskContext) -> bool:
    """PMR-02: another building of the project already has 物管用房."""
    return ctx.session.exec(
        select(Room.id).where(Room.project_id == ctx.data.project_id, Room.building_id != ctx.data.building_id,
                              Room.designation == PMR, Room.retired.is_(False)).limit(1)
    ).first() is not None


def eligible(ctx: SubtaskContext, room: Room) -> str | None:
    if room.trade_status in IN_USE:
        return "已签约或在签约中"
    if room.designation not in (None, "", PMR):
        return f"已标记为{Designation.label_of(room.designation)}"
    return None


def project_table(ctx: SubtaskContext) -> Table:
    """The project's buildings and the 物管用房 each has (栋物管用房确定 shows the others', PMR-01)."""
    buildings = ctx.session.exec(select(Building).where(Building.project_id == ctx.data.project_id)
                                 .order_by(Building.building_number)).all()
    rows = []
    for b in buildings:
        rooms = ctx.session.exec(select(Room.room_number).where(Room.building_id == b.id, Room.designation == PMR,
                                                                Room.retired.is_(False)).order_by(Room.room_number)).all()
        mark = "（本栋）" if b.id == ctx.data.building_id else ""
        rows.append((f"{b.building_number}{mark}", str(len(rooms)), "、".join(rooms) or "无"))
    note = "项目其他楼栋已设置物管用房，本栋可以不设置（PMR-02）" if others_have(ctx) else "项目其他楼栋均未设置物管用房"
    return Table(("栋号", "物管用房户数", "物管用房"), tuple(rows), note)


def rooms_of_building(ctx: SubtaskContext):
    return Room.building_id == ctx.data.building_id


class PmrDetermination(Flow, register=False):
    """物管用房核定 / 变更

    受理 (pick the building) → 栋物管用房确定: the project's designations, this building's rooms
    picked on the grid → 主管部门审核 → 归档 (the designations are set)."""

    category = "物管用房管理"
    data_model = PmrData
    survey_kind: SurveyKind = SurveyKind.FORECAST
    change: bool = False

    start = Start(DEVELOPER, subject="building", checks=(no_open_pmr_case,), initial_data=initial_data,
                  hint="选择楼栋，在楼盘表中选定物管用房；项目其他楼栋已设置物管用房的，本栋可以不设置。")
    entry = Stage("栋物管用房确定", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("项目及楼栋物管用房查看", text="已查看项目各楼栋的物管用房", table=project_table, code="project"),
        RoomPickStep("选定物管用房", rooms=rooms_of_building, data_field="room_ids", action="设为物管用房",
                     eligible=eligible, allow_none=others_have),
    ))
    review = Review("主管部门审核", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",))
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        chosen = set(data.room_ids)
        for room in session.exec(select(Room).where(Room.building_id == data.building_id).with_for_update()).all():
            if room.id in chosen and room.designation != PMR:
                room.designation = PMR
                room.trade_status = TradeStatus.NOT_FOR_SALE.value  # PMR-05: never for sale
                room.release_pending = False
                room.version += 1
                session.add(room)
            elif room.id not in chosen and room.designation == PMR:
                room.designation = None
                room.release_pending = True  # PMR-04: saleable only after a later permit change
                session.add(room)
