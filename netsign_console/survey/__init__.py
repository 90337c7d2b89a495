"""The survey results library (测绘成果库, issue 8): import with a per-row report, search,
display, and the status a filing case moves a result through. No Reflex in this package.

    importing.py  check_upload / commit_import / error_report_csv (survey office), check_survey and
                  store_survey (the building blocks, also for a filing flow's own file step)
    library.py    find_result / lookup_result / get_result / load_survey / result_tables /
                  describe_result, and reserve_for_filing / release_from_filing / mark_filed /
                  mark_superseded
    pickers.py    the import page's developer and project search
    subject.py    the subject kinds of the filing flows' start forms (imports the workflow)

The file format and its checks are netsign_console/domain/survey_file.py.
"""

from netsign_console.survey.importing import (
    BuildingSummary,
    SurveyCheck,
    check_survey,
    check_upload,
    commit_import,
    error_report_csv,
    store_survey,
)
from netsign_console.survey.library import (
    ResultTables,
    SurveyData,
    describe_result,
    find_result,
    get_result,
    load_survey,
    lookup_result,
    mark_filed,
    mark_superseded,
    release_from_filing,
    reserve_for_filing,
    result_tables,
    visible_results,
)

__all__ = [
    "BuildingSummary",
    "ResultTables",
    "SurveyCheck",
    "SurveyData",
    "check_survey",
    "check_upload",
    "commit_import",
    "describe_result",
    "error_report_csv",
    "find_result",
    "get_result",
    "load_survey",
    "lookup_result",
    "mark_filed",
    "mark_superseded",
    "release_from_filing",
    "reserve_for_filing",
    "result_tables",
    "store_survey",
    "visible_results",
]
