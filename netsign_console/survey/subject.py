"""Survey results as the subject of a survey-filing case (SURV-01, SURV-08, SURV-09, SURV-12).

A filing flow's start form picks a result of the library by its 测绘宗号 (查询导入):

    from netsign_console.survey.subject import FORECAST_RESULT
    start = Start(DEVELOPER, subject=FORECAST_RESULT, ...)      # or subject="forecast_survey_result"

Searched by survey-number prefix (the unique index serves it) or project name, inside the row
scope (a developer sees only its own results), and only results still 待备案. The string codes
resolve once this module is imported; passing the object needs no import order.
No Reflex here: the workflow imports it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import select

from models.enums import SurveyKind, SurveyResultStatus
from models.project import Project
from models.survey import SurveyResult
from netsign_console.survey.library import describe_result
from netsign_console.workflow.subjects import SubjectKind, subject_kind


def _title(result: SurveyResult) -> str:
    return (f"{result.survey_number}（{SurveyKind.label_of(result.kind)}，"
            f"{result.building_count}栋{result.room_count}户）")


def survey_result_kind(code: str, label: str = "测绘成果", *, kinds: Sequence[SurveyKind] = (),
                       statuses: Sequence[SurveyResultStatus] = (SurveyResultStatus.AVAILABLE,)) -> SubjectKind:
    """A subject kind over the library: results of `kinds` (all when empty) in `statuses`."""
    kind_codes = tuple(k.value for k in kinds)
    status_codes = tuple(s.value for s in statuses)

    def where(principal) -> list:
        conditions = []
        if kind_codes:
            conditions.append(SurveyResult.kind.in_(kind_codes))
        if status_codes:
            conditions.append(SurveyResult.status.in_(status_codes))
        return conditions

    return SubjectKind(
        code=code,
        label=label,
        model=SurveyResult,
        prefix_columns=("survey_number",),
        search_also=lambda term: [SurveyResult.project_id.in_(
            select(Project.id).where(Project.name.contains(term, autoescape=True)))],
        title_of=_title,
        key_of=lambda r: r.survey_number,
        describe_rows=describe_result,
        where=where,
        order_by=("survey_number", "id"),
        placeholder="输入测绘宗号（测量号）或项目名称",
    )


# Any result still to be filed; the forecast ones (预测成果备案, 预测变更成果备案); the as-built
# ones (预测转实测, 实测成果备案, 实测变更成果备案).
SURVEY_RESULT = subject_kind(survey_result_kind("survey_result"))
FORECAST_RESULT = subject_kind(survey_result_kind("forecast_survey_result", "预测测绘成果",
                                                  kinds=(SurveyKind.FORECAST,)))
AS_BUILT_RESULT = subject_kind(survey_result_kind("as_built_survey_result", "实测测绘成果",
                                                  kinds=(SurveyKind.AS_BUILT,)))
