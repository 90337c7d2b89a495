"""期房物管用房核定 (PMR-01)."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._pmr import DEVELOPER, PmrDetermination, not_determined, no_open_pmr_case, survey_filed, initial_data
from netsign_console.workflow.nodes import Start


class PmrOffplanDetermination(PmrDetermination):
    """期房物管用房核定"""

    code = "pmr_offplan_determination"
    prefix = "W"
    survey_kind = SurveyKind.FORECAST
    change = False

    start = Start(DEVELOPER, subject="building", checks=(survey_filed(SurveyKind.FORECAST), not_determined, no_open_pmr_case),
                  initial_data=initial_data, hint=PmrDetermination.start.hint)
