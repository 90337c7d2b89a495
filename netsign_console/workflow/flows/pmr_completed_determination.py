"""现房物管用房核定 (PMR-06)."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._pmr import DEVELOPER, PmrDetermination, not_determined, no_open_pmr_case, survey_filed, initial_data
from netsign_console.workflow.nodes import Start


class PmrCompletedDetermination(PmrDetermination):
    """现房物管用房核定"""

    code = "pmr_completed_determination"
    prefix = "W"
    survey_kind = SurveyKind.AS_BUILT
    change = False

    start = Start(DEVELOPER, subject="building", checks=(survey_filed(SurveyKind.AS_BUILT), not_determined, no_open_pmr_case),
                  initial_data=initial_data, hint=PmrDetermination.start.hint)
