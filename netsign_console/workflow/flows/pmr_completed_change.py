"""现房物管用房变更 (PMR-06)."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._pmr import DEVELOPER, PmrDetermination, determined, no_open_pmr_case, survey_filed, initial_data
from netsign_console.workflow.nodes import Start


class PmrCompletedChange(PmrDetermination):
    """现房物管用房变更"""

    code = "pmr_completed_change"
    prefix = "W"
    survey_kind = SurveyKind.AS_BUILT
    change = True

    start = Start(DEVELOPER, subject="building", checks=(survey_filed(SurveyKind.AS_BUILT), determined, no_open_pmr_case),
                  initial_data=initial_data, hint=PmrDetermination.start.hint)
