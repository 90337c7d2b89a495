"""预售许可证 / 现售许可证 lists (PERMIT-01 to PERMIT-05): the permits as they stand, written
only by the permit flows on archive (no create, edit or delete here). A developer sees its
own; the regulator all. Each row links to the permit's PDF and its building grid."""

from __future__ import annotations

from models.permit import Permit, PermitKind
from netsign_console.admin.base import ModelAdmin


class PresalePermitAdmin(ModelAdmin, model=Permit):
    slug = "presale-permits"
    menu_group = "业务办理"
    menu_order = 60
    title = "预售许可证"
    verbose_name = "预售许可证"
    fixed_values = {"kind": PermitKind.PRESALE.value}
    list_columns = ("number", "project_id", "building_id", "developer_org_id", "room_count", "gross_area",
                    "issue_date", "status", "version", "case_number")
    search_fields = ("^number", "^case_number")
    search_placeholder = "许可证号或业务编号"
    filters = ("status", "project_id")
    sort_fields = ("number", "issue_date", "room_count", "gross_area")
    default_sort = "-number"
    form_fields = ("number", "kind", "project_id", "building_id", "developer_org_id", "property_manager_id",
                   "issue_date", "room_count", "gross_area", "status", "version", "case_number")
    readonly_fields = form_fields
    row_links = (("许可证详情", "/permits/{id}"),)
    can_create = False
    can_edit = False
    can_delete = False


class SpotSalePermitAdmin(PresalePermitAdmin, model=Permit):
    slug = "spot-sale-permits"
    menu_order = 61
    title = "现售许可证"
    verbose_name = "现售许可证"
    fixed_values = {"kind": PermitKind.SPOT_SALE.value}
