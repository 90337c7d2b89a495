"""A room's figures as people read them: the grid cell's tooltip and the room card's rows.

Areas with 4 places, unit prices and the total with thousands separators and 2 places; the
total is 建筑面积 × 销售单价 rounded once, to the fen (domain.pricing.room_total).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
        total = room_total(gross_area, sale_price)
    except ValueError:
        return NONE
    return f"{total:,.2f} 元"  # room_total has rounded it to the fen already


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


class TooltipWriter:
    """Writes the tooltips of one grid. What rooms share is formatted once per grid: a stack's
    rooms have the same areas and layout on every floor, a floor its unit price, so a 960-room
    tower formats a few dozen areas and prices instead of 3,000 (the memos live for one call).

    Seven short lines per room (the text is sent for every cell, so it is kept compact)."""

    def __init__(self) -> None:
        self._areas: dict[tuple, str] = {}
        self._prices: dict[Decimal | None, str] = {}
        self._codes: dict[tuple[str | None, str | None, str | None], str] = {}

    def _area_line(self, gross: Decimal | None, inner: Decimal | None, shared: Decimal | None) -> str:
        key = (gross, inner, shared)
        line = self._areas.get(key)
        if line is None:
            parts = "/".join(NONE if v is None else format_area(v) for v in key)
            line = self._areas[key] = f"建筑/套内/分摊面积 {parts} m²"
        return line

    def _price_line(self, price: Decimal | None) -> str:
        line = self._prices.get(price)
        if line is None:
            line = self._prices[price] = f"销售单价 {price_text(price)}"
        return line

    def _kind_line(self, unit: str | None, layout: str | None, usage: str | None) -> tuple[str, str]:
        key = (unit, layout, usage)
        line = self._codes.get(key)
        if line is None:
            line = self._codes[key] = (
                f"单元 {unit_label(unit or '')}",
                f"户型 {layout or NONE}　用途 {HouseUsage.label_of(usage) or NONE}")
        return line

    def tooltip(self, number: str, unit: str | None, floor: int, nominal: str | None, gross: Decimal | None,
                inner: Decimal | None, shared: Decimal | None, layout: str | None, usage: str | None,
                price: Decimal | None, status_label: str, restriction_kinds: list[str], designation: str | None,
                release_pending: bool) -> str:
        unit_text, kind_text = self._kind_line(unit, layout, usage)
        text = (f"室号 {number}　{unit_text}\n实际层/名义层 {floor}/{nominal or NONE}\n"
                f"{self._area_line(gross, inner, shared)}\n{kind_text}\n{self._price_line(price)}\n"
                f"总价 {total_text(gross, price)}\n状态 {status_label}")
        if restriction_kinds:
            text += f"\n限制 {restriction_labels(restriction_kinds)}"
        if designation or release_pending:
            text += f"\n标记 {mark_labels(designation, release_pending)}"
        return text


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
