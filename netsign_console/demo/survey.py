"""Demo survey results (测绘成果库): one forecast survey for each developer, waiting to be filed,
so the survey-filing flows have something to pick by its 测绘宗号. Built as a survey file and
checked by the same rules as an import (domain/survey_file.py)."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.project import Project
from models.survey import SurveyResult
from netsign_console.demo.loader import seed_step
from netsign_console.domain.survey_columns import COLUMNS
from netsign_console.domain.survey_file import parse_survey
from netsign_console.survey.importing import store_survey

# survey number, project, building number, survey code, floors, units, rooms per floor
RESULTS = [
    ("YC20261201001", "星城·麓谷雅苑", "D101", "CL20261201001", 6, 2, 2),
    ("YC20261201002", "麓山·桃李苑", "A02", "CL20261201002", 6, 1, 2),
]
LAYOUTS = [("三室两厅", Decimal("89.3521"), Decimal("14.1479")), ("两室两厅", Decimal("72.4810"), Decimal("11.4690"))]


def survey_rows(number: str, building: str, code: str, floors: int, units: int, per_floor: int) -> list[dict]:
    rooms = []
    for unit in range(1, units + 1):
        for floor in range(1, floors + 1):
            for seq in range(1, per_floor + 1):
                layout, inner, shared = LAYOUTS[(seq - 1) % len(LAYOUTS)]
                rooms.append({"室号": f"{unit}-{floor:02d}{seq:02d}", "单元": str(unit), "实际层": str(floor),
                              "名义层": str(floor), "建筑面积": str(inner + shared), "套内面积": str(inner),
                              "分摊面积": str(shared), "房屋结构": "3", "房屋类型": "1", "房屋用途": "10",
                              "房屋性质": "0", "电梯": "是", "户型": layout, "装修情况": "毛坯"})
    total = sum((Decimal(r["建筑面积"]) for r in rooms), Decimal(0))
    first = {"测绘宗号": number, "测绘类型": "预测", "栋号": building, "测绘编码": code, "总套数": str(len(rooms)),
             "楼栋建筑面积": str(total), "建筑结构": "3", "建筑高度": str(Decimal("3.0") * floors),
             "地上层数": str(floors), "地下层数": "0", "单元数": str(units)}
    return [({**first} if i == 0 else {"栋号": building}) | room for i, room in enumerate(rooms)]


@seed_step("测绘成果")
def seed_survey_results(session: Session) -> int:
    added = 0
    header = [c.header for c in COLUMNS]
    for number, project_name, building, code, floors, units, per_floor in RESULTS:
        if session.exec(select(SurveyResult.id).where(SurveyResult.survey_number == number)).first():
            continue
        project = session.exec(select(Project).where(Project.name == project_name)).first()
        if project is None:
            continue
        survey = parse_survey(header, survey_rows(number, building, code, floors, units, per_floor))
        store_survey(session, survey, developer_org_id=project.developer_org_id, project_id=project.id,
                     file_name=f"{number}.xlsx", remarks="演示数据")
        added += 1
    return added
