"""物业公司 (SYS-10): picked (or added) in 预售许可 项目信息补充."""

from __future__ import annotations

from models.property_manager import PropertyManager
from netsign_console.admin.admins.common import DEVELOPER_ORGS, normalize_phone
from netsign_console.admin.base import ModelAdmin
from netsign_console.domain.validators import normalize_credit_code


class PropertyManagerAdmin(ModelAdmin, model=PropertyManager):
    slug = "property-managers"
    menu_order = 60
    title = "物业公司"
    list_columns = ("name", "credit_code", "contact_person", "contact_phone", "address", "organization_id")
    search_fields = ("^name", "=credit_code")
    search_placeholder = "物业公司名称或统一社会信用代码"
    filters = ("organization_id",)
    sort_fields = ("name", "created_at")
    default_sort = "name"
    form_fields = ("organization_id", "name", "credit_code", "contact_person", "contact_phone", "address", "remarks")
    fk_filters = {"organization_id": DEVELOPER_ORGS}
    validators = {"credit_code": normalize_credit_code, "contact_phone": normalize_phone}
    masked_fields = ("contact_phone",)
    can_import = True
