"""期房物管用房变更 (PMR-03, PMR-04)."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._pmr import DEVELOPER, PmrDetermination, determined, no_open_pmr_case, survey_filed, initial_data
from netsign_console.workflow.nodes import Start


class PmrOffplanChange(PmrDetermination):
    """期房物管用房变更"""

    code = "pmr_offplan_change"
    prefix = "W"
    survey_kind = SurveyKind.FORECAST
    change = True

    start = Start(DEVELOPER, subject="building", checks=(survey_filed(SurveyKind.FORECAST), determined, no_open_pmr_case),
                  initial_data=initial_data, hint=PmrDetermination.start.hint)
