"""Decimal inputs and the three roundings of the business rules (FEATURES §5 decision 7).

Money is yuan with 2 places, areas m² with 4 places, unit prices yuan/m² with 2 places,
always ROUND_HALF_UP. The rule modules compute with their inputs exactly as given and
round once, at the end, with one of the helpers below.

Binary floats are refused with TypeError: 0.1 has no exact binary value, so a float on a
money path is a bug to fix where it came from, not a value to round here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "AREA",
    "CENT",
    "decimal_places",
    "require_decimal",
    "round_area",
    "round_money",
    "round_price",
]

CENT = Decimal("0.01")
AREA = Decimal("0.0001")


def require_decimal(value: object, label: str) -> Decimal:
    """``value`` as a finite Decimal; ints are exact and accepted, anything else is refused."""
    # bool is an int subclass; True as an area is always a bug.
    if isinstance(value, (float, bool)):
        raise TypeError(f"{label}不能使用浮点数或布尔值，请传入Decimal")
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise TypeError(f"{label}应为Decimal，收到{type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{label}必须是有限数值")
    return value


def decimal_places(value: Decimal) -> int:
    """How many places after the point ``value`` is written with (Decimal("1.50") -> 2)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _quantize(value: Decimal, exponent: Decimal) -> Decimal:
    # The default 28-digit context raises InvalidOperation for very large values.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 10)
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """To the fen, half up (half away from zero: -0.005 -> -0.01)."""
    return _quantize(value, CENT)


def round_price(value: Decimal) -> Decimal:
    """A unit price in yuan/m², to the fen, half up."""
    return _quantize(value, CENT)


def round_area(value: Decimal) -> Decimal:
    """An area in m², to 4 places, half up."""
    return _quantize(value, AREA)
