"""楼栋信息 and 户室信息 (SURV-13, SURV-14): read-mostly lists over the building grid's data.

Rooms are the console's biggest table (a million in a city): the list counts by estimate
and searches room numbers by any part ("0101" finds 3-0101), which a trigger-kept table of
suffixes serves on both databases (models/search.py, docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any

from models.building import Building, Room
from models.enums import HouseNature, HouseStructure, HouseType, HouseUsage, TradeStatus
from netsign_console.admin.admins.common import DEVELOPER_ORGS
from netsign_console.admin.base import ModelAdmin


class BuildingAdmin(ModelAdmin, model=Building):
    slug = "buildings"
    menu_order = 40
    title = "楼栋信息"
    verbose_name = "楼栋"
    list_columns = ("building_number", "survey_code", "project_id", "developer_org_id", "address", "total_units",
                    "gross_area", "floors_above")
    search_fields = ("^building_number", "^survey_code")
    search_placeholder = "栋号或测绘编码"
    filters = ("project_id", "developer_org_id")
    sort_fields = ("building_number", "total_units", "gross_area", "created_at")
    default_sort = "building_number"
    form_fields = ("project_id", "developer_org_id", "building_number", "survey_code", "name", "address",
                   "total_units", "gross_area", "structure", "height", "floors_above", "floors_below", "unit_count")
    fk_filters = {"developer_org_id": DEVELOPER_ORGS}
    count_mode = "estimate"
    row_links = (("楼盘表", "/buildings/{id}/grid"),)


class RoomAdmin(ModelAdmin, model=Room):
    """户室信息. A room's areas must add up (SURV-15: gross = inner + shared within the city's tolerance)."""

    slug = "rooms"
    menu_order = 41
    title = "户室信息"
    verbose_name = "户室"
    list_columns = ("room_number", "building_id", "unit", "actual_floor", "nominal_floor", "gross_area",
                    "inner_area", "shared_area", "usage", "layout", "sale_price", "trade_status")
    search_fields = ("~room_number",)
    search_placeholder = "室号或其中3位以上（如 1-01、0101）"
    filters = ("trade_status", "usage", "building_id")
    sort_fields = ("room_number", "actual_floor", "gross_area", "sale_price")
    default_sort = "room_number"
    form_fields = ("building_id", "project_id", "developer_org_id", "room_number", "unit", "actual_floor",
                   "nominal_floor", "gross_area", "inner_area", "shared_area", "structure", "room_type", "usage",
                   "nature", "has_elevator", "layout", "decoration", "shell_price", "decoration_price", "sale_price",
                   "trade_status")
    # The trade status moves only through cases (signing, unwinding), never by hand.
    readonly_fields = ("trade_status",)
    fieldsets = (
        ("位置", ("building_id", "project_id", "developer_org_id", "room_number", "unit", "actual_floor",
                 "nominal_floor")),
        ("面积", ("gross_area", "inner_area", "shared_area")),
        ("房屋属性", ("structure", "room_type", "usage", "nature", "has_elevator", "layout", "decoration")),
        ("价格与状态", ("shell_price", "decoration_price", "sale_price", "trade_status")),
    )
    fk_filters = {"developer_org_id": DEVELOPER_ORGS}
    count_mode = "estimate"
    page_size = 20

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        from netsign_console.domain.area import area_identity_error
        from netsign_console.errors import ValidationFailed
        from netsign_console.settings import settings

        if None in (obj.gross_area, obj.inner_area, obj.shared_area):
            return
        problem = area_identity_error(obj.gross_area, obj.inner_area, obj.shared_area, settings.area_tolerance)
        if problem:
            raise ValidationFailed({"gross_area": problem})
