"""预测变更成果备案 (SURV-08): a changed forecast survey of a building whose forecast is filed."""

from models.enums import SurveyKind
from netsign_console.workflow.flows._survey import ChangedSurveyFiling


class ForecastChange(ChangedSurveyFiling):
    """预测变更成果备案"""

    code = "survey_forecast_change"
    prefix = "C"
    survey_kind = SurveyKind.FORECAST
    filed_kind = SurveyKind.FORECAST
