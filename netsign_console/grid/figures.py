"""A room's figures as people read them: the grid cell's tooltip and the room card's rows.

Areas with 4 places, unit prices and the total with thousands separators and 2 places; the
total is 建筑面积 × 销售单价 rounded once, to the fen (domain.pricing.room_total).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from models.enums import Designation, HouseNature, HouseStructure, HouseType, HouseUsage, RestrictionKind
from netsign_console.domain.money import format_area, format_money
from netsign_console.domain.pricing import room_total
from netsign_console.grid.layout import unit_label
from netsign_console.grid.palette import MARKERS, RELEASE_PENDING

NONE = "—"


def area_text(value: Decimal | None) -> str:
    return NONE if value is None else f"{format_area(value)} m²"


def price_text(value: Decimal | None) -> str:
    return NONE if value is None else f"{format_money(value)} 元/m²"


def total_text(gross_area: Decimal | None, sale_price: Decimal | None) -> str:
    """建筑面积 × 销售单价 to the fen; "—" while either is missing (or not positive)."""
    if gross_area is None or sale_price is None:
        return NONE
    try:
        return f"{format_money(room_total(gross_area, sale_price))} 元"
    except ValueError:
        return NONE


def floors_text(actual_floor: int, nominal_floor: str | None) -> str:
    return f"{actual_floor} / {nominal_floor or NONE}"


def restriction_labels(kinds: list[str] | tuple[str, ...]) -> str:
    """The exact kinds ("轮候查封", not the 查封 badge), each once, in the order given."""
    return "、".join(dict.fromkeys(RestrictionKind.label_of(k) for k in kinds))


def mark_labels(designation: str | None, release_pending: bool) -> str:
    labels = [Designation.label_of(designation)] if designation else []
    if release_pending:
        labels.append(MARKERS[RELEASE_PENDING].label)
    return "、".join(labels)


def tooltip(room: Mapping[str, Any], status_label: str, restriction_kinds: list[str]) -> str:
    """Seven short lines (it is sent for every room of the grid, so it is kept compact);
    `room` holds the Room columns the grid loads."""
    areas = "/".join(NONE if room[k] is None else format_area(room[k])
                     for k in ("gross_area", "inner_area", "shared_area"))
    lines = [
        f"室号 {room['room_number']}　单元 {unit_label(room['unit'] or '')}",
        f"实际层/名义层 {room['actual_floor']}/{room['nominal_floor'] or NONE}",
        f"建筑/套内/分摊面积 {areas} m²",
        f"户型 {room['layout'] or NONE}　用途 {HouseUsage.label_of(room['usage']) or NONE}",
        f"销售单价 {price_text(room['sale_price'])}",
        f"总价 {total_text(room['gross_area'], room['sale_price'])}",
        f"状态 {status_label}",
    ]
    if restriction_kinds:
        lines.append(f"限制 {restriction_labels(restriction_kinds)}")
    marks = mark_labels(room["designation"], room["release_pending"])
    if marks:
        lines.append(f"标记 {marks}")
    return "\n".join(lines)


def card_figures(room: Any, status_label: str) -> list[tuple[str, str]]:
    """The room card's rows (a Room object)."""
    return [
        ("室号", room.room_number),
        ("单元", unit_label(room.unit or "")),
        ("实际层/名义层", floors_text(room.actual_floor, room.nominal_floor)),
        ("建筑面积", area_text(room.gross_area)),
        ("套内面积", area_text(room.inner_area)),
        ("分摊面积", area_text(room.shared_area)),
        ("户型", room.layout or NONE),
        ("房屋用途", HouseUsage.label_of(room.usage) or NONE),
        ("房屋类型", HouseType.label_of(room.room_type) or NONE),
        ("房屋结构", HouseStructure.label_of(room.structure) or NONE),
        ("房屋性质", HouseNature.label_of(room.nature) or NONE),
        ("电梯", "是" if room.has_elevator else "否"),
        ("装修情况", room.decoration or NONE),
        ("毛坯单价", price_text(room.shell_price)),
        ("装修单价", price_text(room.decoration_price)),
        ("销售单价", price_text(room.sale_price)),
        ("总价", total_text(room.gross_area, room.sale_price)),
        ("交易状态", status_label),
    ]
