"""The demo's new-house chain on 星城·湘江府 D001, walked through the real flows (WF-07: C → W →
Y), so what `make run` shows is what the flows make and nothing else:

1. the survey office's forecast survey YC20260406001 (18 floors × 2 units × 2 rooms) is filed
   (预测成果备案): the developer completes it and sets prices floor by floor, the survey office
   archives it, and D001 appears on the grid;
2. its 物管用房 are determined (期房物管用房核定): 1-0101 and 2-0101;
3. a pre-sale permit is approved and generated for floors 1-16 (预售许可初始审批), so those
   rooms are for sale; floors 17-18 stay outside its scope (不可售); its pre-sale fund
   supervision agreement is signed and filed, and nine contracts' deposits backfilled
   (netsign_console/demo/fund.py);
4. D002 (YC20260406002) is filed the same way and waits for its permit: the building a new
   user applies for first.

Each step is one case with its timeline, opinions and audit events, as a user would leave it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.building import Building, Room
from models.project import Project, ProjectCertificate
from models.survey import SurveyBuilding, SurveyResult
from models.user import User
from netsign_console.auth.service import principal_for_user
from netsign_console.demo.loader import seed_step
from netsign_console.demo.survey import survey_rows
from netsign_console.domain.survey_columns import COLUMNS
from netsign_console.domain.survey_file import parse_survey
from netsign_console.survey.importing import store_survey
from netsign_console.workflow import document_step, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.room_batch import RoomSelection

PROJECT = "星城·湘江府"
# building number -> (survey number, survey code)
BUILDINGS = {"D001": ("YC20260406001", "CL20260406001"), "D002": ("YC20260406002", "CL20260406002")}
FLOORS, UNITS, PER_FLOOR = 18, 2, 2
PMR_ROOMS = ("1-0101", "2-0101")
PERMIT_FLOORS = range(1, 17)


def _who(session: Session, username: str):
    return principal_for_user(session, session.exec(select(User).where(User.username == username)).one())


def _next(session: Session, who, case_id: int) -> None:
    wf.dispatch(session, who, wf.open_task(session, case_id).id)
    wf.claim(session, who, wf.open_task(session, case_id).id)


def _review(session: Session, who, case_id: int, opinion: str) -> None:
    task = wf.open_task(session, case_id)
    wf.claim(session, who, task.id)
    wf.decide(session, who, task.id, decision="approve", opinion=opinion)


def _survey(session: Session, project: Project, number: str) -> SurveyBuilding:
    survey_number, survey_code = BUILDINGS[number]
    result = session.exec(select(SurveyResult).where(SurveyResult.survey_number == survey_number)).first()
    if result is None:
        header = [c.header for c in COLUMNS]
        survey = parse_survey(header, survey_rows(survey_number, number, survey_code, FLOORS, UNITS, PER_FLOOR))
        result = store_survey(session, survey, developer_org_id=project.developer_org_id, project_id=project.id,
                              file_name=f"{survey_number}.xlsx", remarks="演示数据")
    return session.exec(select(SurveyBuilding).where(SurveyBuilding.result_id == result.id)).one()


def _file_forecast(session: Session, project: Project, number: str) -> Building:
    dev, survey = _who(session, "dev_operator"), _who(session, "survey")
    case_id = wf.accept(session, dev, "survey_forecast_filing", subject_id=_survey(session, project, number).id).id
    for code in ("original", "compare", "confirm"):
        st.confirm(session, dev, case_id, "entry", code)
    st.save_form(session, dev, case_id, "entry", "form-buildings",
                 {"name": f"{number}栋", "address": f"{project.location}{number}栋"})
    st.rooms_apply(session, dev, case_id, "entry", "rooms", RoomSelection(all_rooms=True), {"decoration": "精装修"})
    st.rooms_generate_prices(session, dev, case_id, "entry", "rooms", RoomSelection(),
                             {"price_kind": "shell_price", "base_price": "9000", "base_floor": "1",
                              "direction": "up", "change": "increase", "step": "60"}, preview=False)
    st.rooms_generate_prices(session, dev, case_id, "entry", "rooms", RoomSelection(),
                             {"price_kind": "decoration_price", "base_price": "1500", "base_floor": "1",
                              "direction": "up", "change": "increase", "step": "0"}, preview=False)
    wf.dispatch(session, dev, wf.open_task(session, case_id).id, opinion="测绘信息已核对完善，提请备案")
    _review(session, survey, case_id, "测绘成果与图纸一致，同意备案")
    return session.exec(select(Building).where(Building.project_id == project.id,
                                               Building.building_number == number)).one()


def _determine_pmr(session: Session, building: Building) -> None:
    dev, regulator = _who(session, "dev_operator"), _who(session, "regulator")
    case_id = wf.accept(session, dev, "pmr_offplan_determination", subject_id=building.id).id
    rooms = {r.room_number: r.id for r in session.exec(select(Room).where(Room.building_id == building.id))}
    st.confirm(session, dev, case_id, "entry", "project")
    st.pick_save(session, dev, case_id, "entry", "pick-room_ids", [rooms[n] for n in PMR_ROOMS])
    wf.dispatch(session, dev, wf.open_task(session, case_id).id)
    _review(session, regulator, case_id, "物管用房位置与面积符合规定，同意核定")


def _permit(session: Session, building: Building) -> None:
    dev, regulator = _who(session, "dev_operator"), _who(session, "regulator")
    case_id = wf.accept(session, dev, "presale_permit", subject_id=building.id).id
    st.confirm(session, dev, case_id, "project", "project")
    _sub, slots, _ = record_pick.view(session, dev, case_id, "project", "records-property_manager_id")
    record_pick.save(session, dev, case_id, "project", "records-property_manager_id", {"": slots[0].options[0][0]})
    _next(session, dev, case_id)
    scope = session.exec(select(Room.id).where(Room.building_id == building.id,
                                               Room.actual_floor.in_(list(PERMIT_FLOORS)))).all()
    st.pick_save(session, dev, case_id, "building", "pick-room_ids", list(scope))
    certificates = {c.kind: str(c.id) for c in session.exec(
        select(ProjectCertificate).where(ProjectCertificate.project_id == building.project_id))}
    record_pick.save(session, dev, case_id, "building", "records-certificate_ids", certificates)
    wf.dispatch(session, dev, wf.open_task(session, case_id).id, opinion="申请1-16层预售许可")
    _review(session, regulator, case_id, "符合商品房预售条件，同意核发预售许可证")
    task = wf.open_task(session, case_id)
    wf.claim(session, regulator, task.id)
    document_step.generate(session, regulator, case_id, "generate", "document-presale_permit")
    wf.dispatch(session, regulator, task.id, opinion="许可证已生成，归档")


@seed_step("新建商品房链条（D001 预测成果备案、物管用房核定、预售许可、资金监管协议与户室流水；D002 预测成果备案）")
def seed_new_house_chain(session: Session) -> int:
    project = session.exec(select(Project).where(Project.name == PROJECT)).first()
    if project is None or session.exec(select(Building.id).where(Building.project_id == project.id,
                                                                  Building.building_number == "D001")).first():
        return 0
    # The permit PDF is signed: a demo install makes its own keys if `make setup` has not yet.
    from netsign_console.documents.signing import ensure_keys

    ensure_keys()
    d001 = _file_forecast(session, project, "D001")
    _determine_pmr(session, d001)
    _permit(session, d001)
    from netsign_console.demo.fund import seed_fund

    fund_cases = seed_fund(session, lambda name: _who(session, name), d001)
    _file_forecast(session, project, "D002")
    return 4 + fund_cases
