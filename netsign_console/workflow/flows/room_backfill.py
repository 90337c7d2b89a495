"""户室信息补录 (SUPP-01, V2.1.0): a developer completes the data of a building that was entered
before the system (project, building and rooms), the regulator approves it.

    受理 (pick a building) → 信息补录: 项目信息补录 · 栋信息补录 · 户室信息补录 → 主管部门审批 → 归档
                                     ↑────────────── 不通过 (with the reason) ──┘
"""

from __future__ import annotations

from pydantic import Field
from sqlmodel import Session, select

from models.building import Building, Room
from models.enums import Role
from models.workflow import Case, CaseStatus
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import FormStep, RoomBatchStep, SubtaskContext

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)

PROJECT_FIELDS = ("name", "location", "district", "land_area", "planned_gross_area", "total_investment",
                  "start_date", "planned_completion_date", "status")
PROJECT_REQUIRED = ("location", "district", "land_area", "planned_gross_area", "start_date",
                    "planned_completion_date")
BUILDING_FIELDS = ("building_number", "name", "address", "total_units", "gross_area", "structure", "height",
                   "floors_above", "floors_below", "unit_count")
BUILDING_REQUIRED = ("address", "gross_area", "structure", "height", "floors_above", "unit_count")
ROOM_FIELDS = ("nominal_floor", "structure", "room_type", "usage", "nature", "has_elevator", "layout", "decoration")
ROOM_REQUIRED = ("structure", "room_type", "usage", "nature", "layout", "decoration")


class RoomBackfillData(CaseData):
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")


def no_open_backfill(ctx: AcceptContext) -> str | None:
    open_case = ctx.session.exec(
        select(Case.number).where(Case.case_type == RoomBackfill.code, Case.subject_id == ctx.subject.id,
                                  Case.status == CaseStatus.ACTIVE)
    ).first()
    return f"该楼栋已有正在办理的户室信息补录业务（{open_case}）" if open_case else None


def has_rooms(ctx: AcceptContext) -> str | None:
    found = ctx.session.exec(select(Room.id).where(Room.building_id == ctx.subject.id).limit(1)).first()
    return None if found else "该楼栋还没有户室，请先办理测绘成果备案"


def _building_data(ctx: AcceptContext) -> dict:
    return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id}


def _project(ctx: SubtaskContext) -> int:
    return ctx.data.project_id


def _building(ctx: SubtaskContext) -> int:
    return ctx.data.building_id


def _rooms(ctx: SubtaskContext):
    return Room.building_id == ctx.data.building_id


class RoomBackfill(Flow):
    """户室信息补录"""

    code = "room_backfill"
    prefix = "B"
    category = "补充功能"
    data_model = RoomBackfillData

    start = Start(DEVELOPER, subject="building", checks=(has_rooms, no_open_backfill), initial_data=_building_data,
                  hint="选择系统上线前已存在、信息不完整的楼栋，补录项目、楼栋和户室的必填信息后报主管部门审批。")
    entry = Stage("信息补录", DEVELOPER, org=initiating_org, subtasks=(
        FormStep("项目信息补录", admin="projects", record=_project, fields=PROJECT_FIELDS,
                 required_fields=PROJECT_REQUIRED),
        FormStep("栋信息补录", admin="buildings", record=_building, fields=BUILDING_FIELDS,
                 required_fields=BUILDING_REQUIRED),
        RoomBatchStep("户室信息补录", rooms=_rooms, fields=ROOM_FIELDS, required_fields=ROOM_REQUIRED),
    ))
    review = Review("主管部门审批", (Role.REGULATOR,), on_reject="entry",
                    opinion_required_for=("approve", "reject"))
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        building = session.get(Building, self.data_of(case).building_id)
        if building is not None:
            building.backfill_case_number = case.number
            session.add(building)
