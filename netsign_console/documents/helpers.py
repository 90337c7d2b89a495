"""The helper filters every template may use, and the check that a document's data is plain.

    {{ price | money }}          1,234,567.89
    {{ price | money_words }}    壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分
    {{ room.gross_area | area }} 89.1234
    {{ issue_date | cn_date }}   2026年12月2日
    {{ buyer.id_number | mask_id }} / {{ buyer.phone | mask_phone }}

Templates see plain data only (dict, list, str, int, bool, Decimal, date, datetime, None):
no ORM rows, no objects with methods to reach through. Floats are refused because money
and areas are Decimal everywhere (FEATURES §5.7).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from netsign_console.domain.money import amount_in_words, format_area, format_money
from netsign_console.domain.validators import mask_id_number, mask_mobile
from netsign_console import settings as config  # read at call time: tests swap config.settings

_PLAIN_SCALARS = (str, int, bool, Decimal, date, type(None))  # datetime is a date


class DataNotPlain(TypeError):
    """The caller passed something a template must not see; a programming error, not a user's."""


def plain_data(value: Any, path: str = "data") -> Any:
    """A deep copy of `value` made of plain types only (tuples become lists)."""
    if isinstance(value, float):
        raise DataNotPlain(f"{path}: float is not allowed in document data, use Decimal")
    if isinstance(value, _PLAIN_SCALARS):
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DataNotPlain(f"{path}: keys must be str, got {type(key).__name__}")
            out[key] = plain_data(item, f"{path}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [plain_data(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise DataNotPlain(f"{path}: {type(value).__name__} is not plain data (dict/list/str/int/Decimal/date)")


def _blank(value: Any) -> bool:
    return value is None or value == ""


def money(value: Any) -> str:
    return "" if _blank(value) else format_money(value)


def money_words(value: Any) -> str:
    return "" if _blank(value) else amount_in_words(value)


def area(value: Any) -> str:
    return "" if _blank(value) else format_area(value)


def cn_date(value: Any) -> str:
    """2026年12月2日; a datetime is shown on its Asia/Shanghai date; an ISO string is read."""
    if _blank(value):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value.strip()[:10])
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(config.settings.timezone))
        value = value.date()
    if not isinstance(value, date):
        raise TypeError(f"cn_date 需要日期，得到 {type(value).__name__}")
    return f"{value.year}年{value.month}月{value.day}日"


def mask_id(value: Any) -> str:
    return "" if _blank(value) else mask_id_number(str(value))


def mask_phone(value: Any) -> str:
    return "" if _blank(value) else mask_mobile(str(value))


FILTERS = {
    "money": money,
    "money_words": money_words,
    "area": area,
    "cn_date": cn_date,
    "mask_id": mask_id,
    "mask_phone": mask_phone,
}
