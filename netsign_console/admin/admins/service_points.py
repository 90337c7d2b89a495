"""服务网点 (STOCK-06): the centre's windows, bank outlets and brokerage signing points."""

from __future__ import annotations

from models.service_point import ServiceChannel, ServicePoint
from netsign_console.admin.admins.common import normalize_phone
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm


class ServicePointAdmin(ModelAdmin, model=ServicePoint):
    slug = "service-points"
    menu_order = 70
    title = "服务网点"
    verbose_name = "网点"
    view_perm = Perm.SERVICE_POINT_VIEW
    edit_perm = Perm.SERVICE_POINT_MANAGE
    list_columns = ("name", "channel", "district", "address", "windows", "phone", "business_hours", "is_active")
    search_fields = ("^name", "address")
    search_placeholder = "网点名称或地址"
    filters = ("channel", "is_active")
    sort_fields = ("sort_order", "name", "district")
    default_sort = "sort_order"
    form_fields = ("name", "channel", "organization_id", "district", "address", "windows", "phone",
                   "business_hours", "sort_order", "is_active", "remarks")
    validators = {"phone": normalize_phone}
    can_import = True
