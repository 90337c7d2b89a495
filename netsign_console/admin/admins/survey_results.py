"""测绘成果库 (issue 8): the survey office's library of imported survey results, read-only.

A result changes only by import (/survey/import, netsign_console/survey/importing.py) and by
the filing case that uses it (netsign_console/survey/library.py): nobody edits or deletes one
here. The survey office and the regulator's side see every result; a developer's staff see
their own organisation's (the model's __org_scope__). The detail page links to the
result's buildings and rooms (/survey/results/<id>).
"""

from __future__ import annotations

from models.survey import SurveyResult
from netsign_console.admin.admins.common import DEVELOPER_ORGS
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import DateRange


class SurveyResultAdmin(ModelAdmin, model=SurveyResult):
    slug = "survey-results"
    menu_order = 38  # before 楼栋信息 (40): the grid's buildings are filed from these
    title = "测绘成果库"
    verbose_name = "测绘成果"
    help_text = "测绘成果由测绘科导入（测绘成果导入），经测绘成果备案业务备案；此处只可查看。"
    list_columns = ("survey_number", "kind", "project_id", "developer_org_id", "building_count", "room_count",
                    "status", "case_number", "created_at")
    search_fields = ("^survey_number",)
    search_placeholder = "测绘宗号（前几位即可）"
    filters = ("kind", "status", "developer_org_id", DateRange("created_at"))
    sort_fields = ("survey_number", "room_count", "created_at")
    default_sort = "-created_at"
    form_fields = ("survey_number", "kind", "developer_org_id", "project_id", "status", "building_count",
                   "room_count", "case_number", "file_name", "imported_by_id", "created_at", "remarks")
    readonly_fields = form_fields
    labels = {"created_at": "导入时间"}
    fk_labels = {"imported_by_id": "display_name"}
    fk_filters = {"developer_org_id": DEVELOPER_ORGS}
    can_create = can_edit = can_delete = can_import = False
    detail_links = (("查看楼栋与户室", "/survey/results/{id}"),)
