"""Survey results for the survey-filing tests, written straight into the library tables (the
import service has its own tests): a building of FLOORS floors × 2 units × 2 rooms."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.project import Project
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from models.user import User
from netsign_console.auth.service import principal_for_user

FLOORS = 6
INNER, SHARED = Decimal("89.3521"), Decimal("14.1479")


def principal(session: Session, username: str):
    return principal_for_user(session, session.exec(select(User).where(User.username == username)).one())


def room_spec(floors: int = FLOORS) -> list[dict]:
    rooms = []
    for floor in range(1, floors + 1):
        for unit in (1, 2):
            for seq in (1, 2):
                rooms.append(dict(room_number=f"{unit}-{floor:02d}{seq:02d}", unit=f"{unit}单元", actual_floor=floor,
                                  gross_area=INNER + SHARED, inner_area=INNER, shared_area=SHARED, usage="10",
                                  structure="3"))
    return rooms


def make_result(session: Session, *, number: str, kind: str = "forecast", project: str = "星城·湘江府",
                building: str = "D003", rooms: list[dict] | None = None) -> SurveyBuilding:
    proj = session.exec(select(Project).where(Project.name == project)).one()
    rooms = rooms if rooms is not None else room_spec()
    result = SurveyResult(survey_number=number, kind=kind, developer_org_id=proj.developer_org_id,
                          project_id=proj.id, building_count=1, room_count=len(rooms))
    session.add(result)
    session.flush()
    sb = SurveyBuilding(result_id=result.id, building_number=building, survey_code=f"CL{number[-6:]}",
                        total_units=len(rooms), gross_area=sum((r["gross_area"] for r in rooms), Decimal(0)),
                        structure="3", height=Decimal("18.0000"), floors_above=max(r["actual_floor"] for r in rooms),
                        floors_below=0, unit_count=2)
    session.add(sb)
    session.flush()
    session.add_all([SurveyRoom(result_id=result.id, survey_building_id=sb.id, **r) for r in rooms])
    session.flush()
    return sb
