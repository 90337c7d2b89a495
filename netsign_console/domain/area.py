"""Area rules: the area-error settlement after the as-built survey (issue 8, N13) and the
area identity of a room (SURV-15).

Settlement follows 商品房销售管理办法 (建设部令第88号) 第二十条. With C the contract area,
R the registered (as-built) area and P the unit price:

* 面积误差比 = (R − C) / C × 100 %.
* |ratio| ≤ 3 %: the difference is settled at the unit price, (R − C) × P, either way.
  Exactly ±3 % is still within: no doubling, and the buyer may not cancel.
* R larger beyond +3 %: the buyer pays only for the part up to +3 % (0.03·C × P); the
  developer gives the rest, (R − 1.03·C) × P, for free.
* R smaller beyond −3 %: the part within −3 % is refunded once (0.03·C × P), the part beyond
  it twice (2 × (0.97·C − R) × P); the developer's extra, single refund (0.97·C − R) × P is
  what it "bears".
* The buyer may cancel (退房) when |ratio| > 3 %, judged on the exact ratio, not the rounded one.

Example: C = 100, P = 10 000. R = 104 → buyer pays 30 000.00, developer bears 10 000.00.
R = 95 → buyer is refunded 30 000 + 2 × 20 000 = 70 000.00 (buyer_pays −70 000.00), developer
bears 20 000.00.

Everything is computed exactly and rounded once, to the fen (ROUND_HALF_UP, i.e. half away
from zero, so a refund of 0.005 becomes 0.01).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from netsign_console.domain.decimals import CENT, require_decimal, round_money
from netsign_console.domain.money import format_area

__all__ = ["AreaSettlement", "LIMIT_PERCENT", "area_identity_error", "settle"]

LIMIT_PERCENT = Decimal(3)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class AreaSettlement:
    ratio_percent: Decimal  # 面积误差比 in %, 2 places; positive = registered area is larger
    buyer_may_cancel: bool  # |ratio| > 3 % (exact ratio)
    buyer_pays: Decimal  # yuan to the fen; negative = refunded to the buyer
    developer_bears: Decimal  # yuan to the fen, >= 0: given free (larger) or refunded on top (smaller)


def _positive(value: object, label: str) -> Decimal:
    number = require_decimal(value, label)
    if number <= 0:
        raise ValueError(f"{label}必须大于0")
    return number


def settle(contract_area: Decimal, registered_area: Decimal, unit_price: Decimal) -> AreaSettlement:
    """Settle the difference between the contract area and the registered area (N13)."""
    contract = _positive(contract_area, "合同约定面积")
    registered = _positive(registered_area, "产权登记面积")
    price = _positive(unit_price, "单价")
    with localcontext() as ctx:
        # Exact products of 4-place areas and 2-place prices; the ratio's division is the
        # only inexact step and 60 digits leave its 2-place rounding unaffected.
        ctx.prec = 60
        difference = registered - contract
        limit = contract * LIMIT_PERCENT / _HUNDRED
        ratio = difference * _HUNDRED / contract
        beyond = abs(difference) > limit
        if not beyond:
            pays, bears = difference * price, Decimal(0)
        elif difference > 0:
            excess = difference - limit  # = registered − 1.03·contract
            pays, bears = limit * price, excess * price
        else:
            excess = -difference - limit  # = 0.97·contract − registered
            pays, bears = -(limit * price + 2 * excess * price), excess * price
        return AreaSettlement(
            ratio_percent=ratio.quantize(CENT, rounding=ROUND_HALF_UP),
            buyer_may_cancel=beyond,
            buyer_pays=round_money(pays),
            developer_bears=round_money(bears),
        )


def area_identity_error(
    gross: Decimal, inner: Decimal, shared: Decimal, tolerance: Decimal = Decimal("0.01")
) -> str | None:
    """None when 建筑面积 = 套内面积 + 分摊面积 within ±tolerance (inclusive), else the message."""
    gross = require_decimal(gross, "建筑面积")
    inner = require_decimal(inner, "套内面积")
    shared = require_decimal(shared, "分摊面积")
    tolerance = require_decimal(tolerance, "允许误差")
    if tolerance < 0:
        raise ValueError("允许误差不能为负数")
    total = inner + shared
    if abs(gross - total) <= tolerance:
        return None
    return (
        f"建筑面积{format_area(gross)}m²与套内面积{format_area(inner)}m²加分摊面积"
        f"{format_area(shared)}m²之和{format_area(total)}m²不一致（允许误差±{tolerance}m²）"
    )
