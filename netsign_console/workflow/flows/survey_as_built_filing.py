"""实测成果备案 (SURV-12): an as-built survey of a building with no forecast filing enters the grid."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._survey import InitialSurveyFiling


class AsBuiltFiling(InitialSurveyFiling):
    """实测成果备案"""

    code = "survey_as_built_filing"
    prefix = "C"
    survey_kind = SurveyKind.AS_BUILT
