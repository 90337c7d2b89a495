"""Money helpers: Chinese capital amounts (人民币大写) and display formatting.

The capital-amount rules follow the People's Bank 《支付结算办法》 annex
(正确填写票据和结算凭证的基本规定):

* 整 (or 正) is written after 元 when there is no 角/分; it may follow 角;
  it is never written after 分.
* Zeros between non-zero digits are written as a single 零.
* When the 万位 or 元位 digit is 0 but the next lower digit (千位 / 角位) is
  not, the 零 is optional.  The canonical generator omits it; the parser
  accepts both.  亿位 is treated like 万位 since it is the same kind of
  section boundary.
* When 角 is 0 and 分 is not, 零 must be written after 元.

Only ``Decimal`` arithmetic is used: floats cannot represent 分 exactly.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "MAX_AMOUNT",
    "amount_in_words",
    "format_area",
    "format_money",
    "parse_amount_in_words",
]

# 10^16 would need a unit above 万亿, which 人民币大写 does not use.
MAX_AMOUNT = Decimal(10) ** 16

_CENT = Decimal("0.01")
_DIGIT_CHARS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUES = {ch: value for value, ch in enumerate(_DIGIT_CHARS) if value}
_ZERO = "零"
_SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
_SMALL_UNIT_BY_POSITION = ("", "拾", "佰", "仟")
# Position (power of ten) of each section-boundary digit and its unit.  The
# group above 亿 is itself read with 万, so 10^12 is 壹万亿, never 兆.
_BIG_UNIT_BY_POSITION = {4: "万", 8: "亿", 12: "万"}
_YUAN = "元"
_ZHENG = "整"
_PREFIX = "人民币"
# Interchangeable spellings, folded before parsing.
_SYNONYMS = str.maketrans({"圆": _YUAN, "正": _ZHENG})
_ALLOWED_CHARS = frozenset(_DIGIT_CHARS + "拾佰仟万亿元圆角分整正")


# ---------------------------------------------------------------------------
# Input coercion
# ---------------------------------------------------------------------------


def _to_decimal(value: Decimal | int | str, label: str) -> Decimal:
    """Coerce ``value`` to a finite Decimal, refusing binary floats."""
    # bool is an int subclass; True as an amount is always a bug.
    if isinstance(value, (float, bool)):
        raise TypeError(f"{label}不能使用浮点数或布尔值，请传入Decimal、整数或数字字符串")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{label}格式不正确：“{value}”") from None
    else:
        raise TypeError(f"{label}类型不支持：{type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{label}必须是有限数值")
    return result


def _quantize_half_up(value: Decimal, exponent: Decimal) -> Decimal:
    # The default 28-digit context would raise for very large values.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 10)
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------

# Each rendering piece is (canonical text, regex for every legal spelling).
_Piece = tuple[str, str]
_OPTIONAL_ZERO: _Piece = ("", "(?:零)?")
_REQUIRED_ZERO: _Piece = (_ZERO, _ZERO)


def _literal(text: str) -> _Piece:
    return (text, re.escape(text))


def _big_unit_needed(digits: list[int], index: int, position: int) -> bool:
    """Whether the section ending at ``position`` prints its 万/亿 unit."""
    if position == 8:
        # 亿 closes everything above it, e.g. 壹万亿 for 10^12.
        return any(digits[: index + 1])
    section_start = max(0, index - 3)
    return any(digits[section_start : index + 1])


def _integer_pieces(number: int) -> list[_Piece]:
    """Pieces for the 元 part of a positive integer (without 元)."""
    digits = [int(ch) for ch in str(number)]
    pieces: list[_Piece] = []
    zero_pending = False
    for index, digit in enumerate(digits):
        position = len(digits) - 1 - index
        if digit:
            if zero_pending:
                pieces.append(_REQUIRED_ZERO)
                zero_pending = False
            word = _DIGIT_CHARS[digit] + _SMALL_UNIT_BY_POSITION[position % 4]
            bare_ten_allowed = word == "壹拾" and (not pieces or pieces[-1] == _REQUIRED_ZERO)
            pieces.append((word, "壹?拾") if bare_ten_allowed else _literal(word))
        else:
            zero_pending = True
        if position in _BIG_UNIT_BY_POSITION:
            if _big_unit_needed(digits, index, position):
                pieces.append(_literal(_BIG_UNIT_BY_POSITION[position]))
            if digit == 0 and digits[index + 1] != 0:
                # 万位/亿位 is 0 but 千位 is not: 零 is optional, canonical omits.
                pieces.append(_OPTIONAL_ZERO)
                zero_pending = False
    return pieces


def _fraction_pieces(integer: int, jiao: int, fen: int) -> list[_Piece]:
    """Pieces for 元 onwards (or for the whole text when below 1 元)."""
    if integer == 0 and jiao == 0 and fen == 0:
        return [_literal("零元整")]
    pieces: list[_Piece] = []
    if integer:
        pieces.append(_literal(_YUAN))
        if jiao == 0 and fen == 0:
            return pieces + [_literal(_ZHENG)]
        if jiao == 0:
            pieces.append(_REQUIRED_ZERO)
        elif integer % 10 == 0:
            pieces.append(_OPTIONAL_ZERO)
    else:
        # Below 1 元 the canonical form starts at 角/分; "零元" is tolerated.
        pieces.append(("", "(?:零元)?"))
    if jiao:
        pieces.append(_literal(_DIGIT_CHARS[jiao] + "角"))
    if fen:
        pieces.append(_literal(_DIGIT_CHARS[fen] + "分"))
    else:
        pieces.append(("", "(?:整)?"))
    return pieces


def _rendering_pieces(amount: Decimal) -> list[_Piece]:
    cents = int(amount * 100)
    integer, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)
    pieces = _integer_pieces(integer) if integer else []
    return pieces + _fraction_pieces(integer, jiao, fen)


def _checked_amount(amount: Decimal | int | str) -> Decimal:
    value = _to_decimal(amount, "金额")
    if value < 0:
        raise ValueError("金额不能为负数")
    # Checked before and after rounding: quantizing a huge value is costly,
    # and 9999999999999999.995 only crosses the limit once rounded.
    if value >= MAX_AMOUNT or _quantize_half_up(value, _CENT) >= MAX_AMOUNT:
        raise ValueError("金额超出上限：大写金额须小于1亿亿元（10的16次方）")
    return _quantize_half_up(value, _CENT)


def amount_in_words(amount: Decimal | int | str) -> str:
    """Canonical 人民币大写 for ``amount`` (without the "人民币" prefix).

    The amount is rounded to 分 with ROUND_HALF_UP first.
    """
    pieces = _rendering_pieces(_checked_amount(amount))
    return "".join(canonical for canonical, _ in pieces)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def _parse_integer_words(text: str) -> int:
    """Read the part before 元.  Structural errors raise; spelling
    conventions (where 零 goes, etc.) are checked later against the
    canonical renderings."""
    yi_value = 0  # everything already closed by 亿
    wan_value = 0  # the current 亿 group's part closed by 万
    section = 0  # the current four-digit section
    digit: int | None = None  # a digit still waiting for its unit
    last_unit = 10_000  # units inside a section must strictly descend
    seen_wan = seen_yi = False
    previous = ""
    for ch in text:
        if ch == _ZERO:
            if previous == _ZERO:
                raise ValueError("金额大写中不能连续写“零”")
            if digit is not None:
                raise ValueError(f"金额大写中“{previous}”与“零”之间缺少单位")
        elif ch in _DIGIT_VALUES:
            if digit is not None:
                raise ValueError(f"金额大写中“{previous}”与“{ch}”之间缺少单位")
            digit = _DIGIT_VALUES[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if digit is None:
                if previous == ch:
                    raise ValueError(f"金额大写中单位“{ch}”重复")
                if previous in _SMALL_UNITS and _SMALL_UNITS[previous] < unit:
                    raise ValueError(f"金额大写中单位顺序错误：“{previous}”之后不能写“{ch}”")
                # A leading 拾 conventionally means 壹拾 (拾元整 = 10).
                if ch == "拾" and previous in ("", _ZERO, "万", "亿"):
                    digit = 1
                else:
                    raise ValueError(f"金额大写中“{ch}”前缺少数字")
            if unit == last_unit:
                raise ValueError(f"金额大写中单位“{ch}”重复")
            if unit > last_unit:
                raise ValueError(f"金额大写中单位顺序错误：“{ch}”不能写在较小的单位之后")
            section += digit * unit
            digit, last_unit = None, unit
        else:  # 万 or 亿
            if digit is not None:
                section += digit
                digit = None
            if ch == "万":
                if seen_wan:
                    raise ValueError("金额大写中单位“万”重复")
                if section == 0:
                    raise ValueError("金额大写中“万”前缺少数字")
                wan_value, section, seen_wan = section * 10_000, 0, True
            else:
                if seen_yi:
                    raise ValueError("金额大写中单位“亿”重复")
                group = wan_value + section
                if group == 0:
                    raise ValueError("金额大写中“亿”前缺少数字")
                yi_value, wan_value, section = group * 10**8, 0, 0
                seen_yi, seen_wan = True, False
            last_unit = 10_000
        previous = ch
    if digit is not None:
        section += digit
    return yi_value + wan_value + section


def _parse_fraction_words(text: str, has_yuan: bool) -> tuple[int, int]:
    """Read the 角/分 part; returns (jiao, fen)."""
    jiao: int | None = None
    fen: int | None = None
    digit: int | None = None
    previous = ""
    for ch in text:
        if ch == _ZERO:
            if previous == _ZERO:
                raise ValueError("金额大写中不能连续写“零”")
            if digit is not None:
                raise ValueError(f"金额大写中“{previous}”与“零”之间缺少单位")
        elif ch in _DIGIT_VALUES:
            if digit is not None:
                raise ValueError(f"金额大写中“{previous}”与“{ch}”之间缺少单位")
            digit = _DIGIT_VALUES[ch]
        elif ch in ("角", "分"):
            if (jiao if ch == "角" else fen) is not None:
                raise ValueError(f"金额大写中单位“{ch}”重复")
            if ch == "角" and fen is not None:
                raise ValueError("金额大写中“角”应写在“分”之前")
            if digit is None:
                if previous != _ZERO:
                    raise ValueError(f"金额大写中“{ch}”前缺少数字")
                digit = 0  # "零角" is not canonical; rejected by the spelling check
            if ch == "角":
                jiao = digit
            else:
                fen = digit
            digit = None
        elif ch == _YUAN:
            raise ValueError("金额大写中“元”重复")
        else:
            if has_yuan:
                raise ValueError(f"金额大写中“元”之后只能写角、分，不能写“{ch}”")
            raise ValueError("金额大写缺少“元”")
        previous = ch
    if digit is not None:
        raise ValueError(f"金额大写中“{previous}”之后缺少单位“角”或“分”")
    return jiao or 0, fen or 0


def _check_zheng(body: str) -> str:
    """Validate 整 placement and return the text without it."""
    position = body.find(_ZHENG)
    if position == -1:
        return body
    if position != len(body) - 1:
        raise ValueError("金额大写中“整（正）”只能写在末尾")
    before = body[-2] if len(body) > 1 else ""
    if before == "分":
        raise ValueError("金额大写中“分”之后不应写“整（正）”")
    if before not in (_YUAN, "角"):
        raise ValueError("金额大写中“整（正）”只能写在“元”或“角”之后")
    return body[:-1]


def _normalize_words(text: str) -> str:
    """Drop whitespace and the 人民币 prefix, then fold 圆/正 to 元/整."""
    if not isinstance(text, str):
        raise TypeError("金额大写必须是字符串")
    compact = "".join(text.split())
    if not compact:
        raise ValueError("金额大写不能为空")
    if compact.startswith(_PREFIX):
        compact = compact[len(_PREFIX) :]
    for ch in compact:
        if ch not in _ALLOWED_CHARS:
            raise ValueError(f"金额大写含有非法字符“{ch}”")
    return compact.translate(_SYNONYMS)


def parse_amount_in_words(text: str) -> Decimal:
    """Parse any legal 人民币大写 spelling into a Decimal with 2 places.

    Accepts the "人民币" prefix, 圆/元, 正/整, 整 after 角, the optional 零
    variants, bare 拾 for 壹拾, and whitespace.  Anything else, including
    spellings the annex forbids (no 整 after 元, missing 零 when 角 is 0),
    raises ValueError naming the problem or the canonical spelling.
    """
    body = _normalize_words(text)
    if not any(ch in _DIGIT_VALUES or ch in (_ZERO, "拾") for ch in body):
        raise ValueError("金额大写中没有数字")
    if _ZHENG in body[:-1]:
        raise ValueError("金额大写中“整（正）”只能写在末尾")

    has_yuan = _YUAN in body
    without_zheng = body[:-1] if body.endswith(_ZHENG) else body
    if not has_yuan and (
        any(ch in "拾佰仟万亿" for ch in without_zheng) or without_zheng[-1:] in _DIGIT_VALUES
    ):
        raise ValueError("金额大写缺少“元”")
    words = _check_zheng(body)

    integer_text, _, fraction_text = words.partition(_YUAN) if has_yuan else ("", "", words)
    integer = _parse_integer_words(integer_text)
    jiao, fen = _parse_fraction_words(fraction_text, has_yuan)
    amount = Decimal(integer) + Decimal(jiao * 10 + fen) / 100
    amount = amount.quantize(_CENT)

    pieces = _rendering_pieces(amount)
    legal = "".join(pattern for _, pattern in pieces)
    if not re.fullmatch(legal, body):
        canonical = "".join(text for text, _ in pieces)
        raise ValueError(f"金额大写写法不规范，规范写法为：{canonical}")
    return amount


# ---------------------------------------------------------------------------
# Display formatting
# ---------------------------------------------------------------------------


def format_money(amount: Decimal | int | str) -> str:
    """Format as ``1,234,567.89``: thousands separators, 2 places, half-up."""
    value = _quantize_half_up(_to_decimal(amount, "金额"), _CENT)
    return f"{value:,.2f}"


def format_area(area: Decimal | int | str) -> str:
    """Format an area in square metres as ``1,130.1000`` (4 places, half-up)."""
    value = _quantize_half_up(_to_decimal(area, "面积"), Decimal("0.0001"))
    return f"{value:,.4f}"
