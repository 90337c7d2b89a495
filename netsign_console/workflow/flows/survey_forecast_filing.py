"""预测成果备案 (SURV-01): a forecast survey of a building enters the building grid."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._survey import InitialSurveyFiling


class ForecastFiling(InitialSurveyFiling):
    """预测成果备案"""

    code = "survey_forecast_filing"
    prefix = "C"
    survey_kind = SurveyKind.FORECAST
