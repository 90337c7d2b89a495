"""商品房预售许可证 (PERMIT-01/02) and 商品房现售许可证 (PERMIT-04): the flows pass data of this shape:
    permit_number "2026-0001", developer_name, project_name, location, building_number,
    room_count (int), gross_area (Decimal, m²), land_use_certificate,
    land_planning_certificate, construction_planning_certificate, construction_certificate,
    property_manager, issue_date (date), issuing_authority,
    rooms (optional list of {unit, floor, room_number, usage, gross_area, inner_area}: the annex)

A 现售许可证 has the same data and its own template (the conditions it states differ).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from netsign_console.documents.kinds import DocumentKind, register_kind

ISSUING_AUTHORITY = "长沙市住房和城乡建设局"


def sample() -> dict:
    rooms = []
    for floor in range(2, 8):
        for unit, suffix in (("1单元", "01"), ("1单元", "02"), ("2单元", "01"), ("2单元", "02")):
            area = Decimal("89.1234") if suffix == "01" else Decimal("118.5600")
            rooms.append({"unit": unit, "floor": str(floor), "room_number": f"{floor}{suffix}", "usage": "住宅",
                          "gross_area": area, "inner_area": (area * Decimal("0.82")).quantize(Decimal("0.0001"))})
    return {
        "permit_number": "2026-0001",
        "developer_name": "湖南星城置业有限公司",
        "project_name": "星城·湘江府",
        "location": "长沙市天心区湘府中路288号",
        "building_number": "1栋",
        "room_count": len(rooms),
        "gross_area": sum((r["gross_area"] for r in rooms), Decimal("0")),
        "land_use_certificate": "湘(2023)长沙市不动产权第0123456号",
        "land_planning_certificate": "地字第430100202300087号",
        "construction_planning_certificate": "建字第430100202400031号",
        "construction_certificate": "430103202403180101",
        "property_manager": "长沙星城物业服务有限公司",
        "issue_date": date(2026, 12, 2),
        "issuing_authority": ISSUING_AUTHORITY,
        "rooms": rooms,
    }


PRESALE_PERMIT = register_kind(DocumentKind(
    code="presale_permit",
    title="商品房预售许可证",
    order=10,
    sample=sample,
    templates={"": "presale_permit.html"},
    description="预售许可初审、变更归档时生成；附预售房屋明细",
))


def spot_sale_sample() -> dict:
    return {**sample(), "permit_number": "2026-0002"}


SPOT_SALE_PERMIT = register_kind(DocumentKind(
    code="spot_sale_permit",
    title="商品房现售许可证",
    order=11,
    sample=spot_sale_sample,
    templates={"": "spot_sale_permit.html"},
    description="现售许可初审、变更归档时生成；附现售房屋明细",
))
