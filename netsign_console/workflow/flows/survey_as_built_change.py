"""实测变更成果备案 (SURV-12): a changed as-built survey of a building whose as-built survey is filed."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._survey import ChangedSurveyFiling


class AsBuiltChange(ChangedSurveyFiling):
    """实测变更成果备案"""

    code = "survey_as_built_change"
    prefix = "C"
    survey_kind = SurveyKind.AS_BUILT
    filed_kind = SurveyKind.AS_BUILT
