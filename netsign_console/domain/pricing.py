"""Room prices: the sale-price rule, room totals, the floor-by-floor price generator and the
price-check cell (SURV-04 批量设置, SURV-05 快捷设置价格, SURV-06 价格核对; FEATURES §3.5).

* 销售单价 = 毛坯单价 + 装修单价 is inferred from the manual's sample (9000 + 0 = 9000); a city
  that has the sale price typed directly picks ``SalePriceRule.TYPED``.
* The generator (SURV-05) reads the manual's "基础价格, 基准层数, 向上/向下, 递增/递减金额" as: the
  base floor gets the base price; every floor on the chosen side gets base ± step × distance,
  where the distance counts storeys and skips the floor 0 that does not exist (from 1 down to
  −1 is one storey). Floors on the other side are left alone (not in the result), so a
  building priced from the middle is done in two passes (up, then down).
  Example: base 9000 at floor 3, up, increase 100 → {3: 9000, 4: 9100, 5: 9200}.
* Unit prices are yuan/m² with 2 places; room totals yuan to the fen; ROUND_HALF_UP, once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal

from models.enums import LabeledEnum
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.decimals import require_decimal, round_area, round_money, round_price

__all__ = [
    "Change",
    "Direction",
    "PriceKind",
    "SalePriceRule",
    "floor_distance",
    "floor_prices",
    "floor_prices_for_rooms",
    "price_check_label",
    "room_total",
    "sale_unit_price",
]


class SalePriceRule(LabeledEnum):
    SHELL_PLUS_DECORATION = ("shell_plus_decoration", "销售单价=毛坯单价+装修单价")
    TYPED = ("typed", "直接录入销售单价")


class PriceKind(LabeledEnum):
    """Which unit price the generator sets (SURV-05 "选择价格类型")."""

    SHELL = ("shell_price", "毛坯单价")
    DECORATION = ("decoration_price", "装修单价")
    SALE = ("sale_price", "销售单价")


class Direction(LabeledEnum):
    UP = ("up", "向上")
    DOWN = ("down", "向下")


class Change(LabeledEnum):
    INCREASE = ("increase", "递增")
    DECREASE = ("decrease", "递减")


def _price(value: object, label: str, *, allow_zero: bool) -> Decimal:
    number = require_decimal(value, label)
    if number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{label}必须大于0" if not allow_zero else f"{label}不能为负数")
    return number


def sale_unit_price(
    shell: Decimal | None,
    decoration: Decimal | None,
    *,
    rule: SalePriceRule | str = SalePriceRule.SHELL_PLUS_DECORATION,
    typed: Decimal | None = None,
) -> Decimal:
    """The room's 销售单价 (yuan/m², 2 places) under the city's ``rule``.

    SHELL_PLUS_DECORATION: shell + decoration (a missing decoration price counts as 0).
    TYPED: the typed sale price; shell and decoration are not used.
    """
    rule = parse_choice(SalePriceRule, rule, "销售单价规则")
    if rule is SalePriceRule.TYPED:
        if typed is None:
            raise ValueError("请填写销售单价")
        return round_price(_price(typed, "销售单价", allow_zero=False))
    if shell is None:
        raise ValueError("请填写毛坯单价")
    total = _price(shell, "毛坯单价", allow_zero=False)
    if decoration is not None:
        total += _price(decoration, "装修单价", allow_zero=True)
    return round_price(total)


def room_total(gross_area: Decimal, unit_price: Decimal) -> Decimal:
    """建筑面积 × 单价, to the fen (ROUND_HALF_UP)."""
    area = require_decimal(gross_area, "建筑面积")
    if area <= 0:
        raise ValueError("建筑面积必须大于0")
    return round_money(area * _price(unit_price, "单价", allow_zero=False))


def floor_distance(floor: int, base_floor: int) -> int:
    """Storeys from ``base_floor`` to ``floor`` (signed), skipping the nonexistent floor 0."""
    distance = floor - base_floor
    if floor > 0 > base_floor:
        distance -= 1
    elif floor < 0 < base_floor:
        distance += 1
    return distance


def _floor(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{label}应为整数")
    if value == 0:
        raise ValueError(f"{label}不能为0（没有第0层）")
    return value


def floor_prices(
    floors: Iterable[int],
    *,
    base_price: Decimal,
    base_floor: int,
    direction: Direction | str,
    change: Change | str,
    step: Decimal,
) -> dict[int, Decimal]:
    """floor -> unit price for the floors on the chosen side of ``base_floor`` (inclusive)."""
    direction = parse_choice(Direction, direction, "方向")
    change = parse_choice(Change, change, "递增/递减")
    base = _price(base_price, "基础价格", allow_zero=False)
    step = _price(step, "递增/递减金额", allow_zero=True)
    base_floor = _floor(base_floor, "基准层数")
    signed_step = step if change is Change.INCREASE else -step
    result: dict[int, Decimal] = {}
    for floor in sorted({_floor(f, "实际层") for f in floors}):
        distance = floor_distance(floor, base_floor)
        if (distance < 0) if direction is Direction.UP else (distance > 0):
            continue
        price = round_price(base + signed_step * abs(distance))
        if price <= 0:
            raise ValueError(f"第{floor}层的价格为{price}元/m²，必须大于0，请调整基础价格或递减金额")
        result[floor] = price
    return result


def floor_prices_for_rooms(
    rooms: Iterable[tuple[Hashable, int, str | None]],
    *,
    layout: str | None = None,
    base_price: Decimal,
    base_floor: int,
    direction: Direction | str,
    change: Change | str,
    step: Decimal,
) -> dict[Hashable, Decimal]:
    """room_id -> unit price for rooms given as (room_id, actual_floor, layout).

    ``layout`` (户型) keeps only rooms of that layout; None prices every layout. Rooms on the
    other side of the base floor are not in the result.
    """
    wanted = layout.strip() if layout is not None else None
    chosen = [(rid, floor) for rid, floor, room_layout in rooms
              if wanted is None or (room_layout or "").strip() == wanted]
    prices = floor_prices((floor for _, floor in chosen), base_price=base_price, base_floor=base_floor,
                          direction=direction, change=change, step=step)
    return {rid: prices[floor] for rid, floor in chosen if floor in prices}


def _price_text(value: Decimal | None) -> str:
    if value is None:
        return "-"
    price = round_price(require_decimal(value, "单价"))
    # Whole yuan are the rule in price lists; the fen appear only when there are some.
    return f"{price:.0f}" if price == price.to_integral_value() else f"{price:.2f}"


def price_check_label(
    shell: Decimal | None, decoration: Decimal | None, area: Decimal | None, sale: Decimal | None
) -> str:
    """The SURV-06 cell: "毛 9000 装 0 面 103.5000 销 9000".

    Prices (yuan/m²) without thousands separators (the cell is narrow), whole yuan without
    decimals, otherwise 2 places ("9000.50"); the area (m²) always with 4 places; a missing
    figure is "-".
    """
    area_text = "-" if area is None else f"{round_area(require_decimal(area, '建筑面积')):.4f}"
    return f"毛 {_price_text(shell)} 装 {_price_text(decoration)} 面 {area_text} 销 {_price_text(sale)}"
