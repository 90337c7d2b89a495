"""项目信息 (SYS-06) and 项目证件 (SYS-08)."""

from __future__ import annotations

from typing import Any

from models.project import CertificateKind, Project, ProjectCertificate, ProjectStatus
from netsign_console.admin.admins.common import DEVELOPER_ORGS
from netsign_console.admin.base import ModelAdmin
from netsign_console.errors import ValidationFailed
from netsign_console.admin.options import DateRange


class ProjectAdmin(ModelAdmin, model=Project):
    slug = "projects"
    menu_order = 30
    title = "项目信息"
    verbose_name = "项目"
    list_columns = ("name", "developer_org_id", "district", "location", "planned_gross_area", "total_investment",
                    "status", "start_date")
    search_fields = ("^name", "location")
    search_placeholder = "项目名称或坐落"
    filters = ("status", "developer_org_id", DateRange("start_date"))
    sort_fields = ("name", "start_date", "planned_gross_area", "total_investment", "created_at")
    default_sort = "-created_at"
    form_fields = ("developer_org_id", "name", "location", "district", "land_area", "planned_gross_area",
                   "total_investment", "start_date", "planned_completion_date", "status", "remarks")
    fk_filters = {"developer_org_id": DEVELOPER_ORGS}
    can_import = True

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        if obj.start_date and obj.planned_completion_date and obj.planned_completion_date < obj.start_date:
            raise ValidationFailed({"planned_completion_date": "计划竣工日期不能早于开工日期"})


class ProjectCertificateAdmin(ModelAdmin, model=ProjectCertificate):
    slug = "project-certificates"
    menu_order = 31
    title = "项目证件"
    verbose_name = "项目证件"
    help_text = "“四证”：国有土地使用证、建设用地规划许可证、建设工程规划许可证、建筑工程施工许可证，用于生成预售许可证。"
    list_columns = ("project_id", "kind", "number", "issued_on", "area", "issuing_authority", "scan_file")
    search_fields = ("^number",)
    search_placeholder = "证件编号"
    filters = ("kind", "project_id", DateRange("issued_on"))
    sort_fields = ("number", "issued_on", "created_at")
    default_sort = "-created_at"
    form_fields = ("project_id", "kind", "number", "issued_on", "area", "issuing_authority", "scan_file", "remarks")
    file_fields = ("scan_file",)
