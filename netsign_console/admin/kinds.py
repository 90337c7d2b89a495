"""Column kinds: each declared once with its parsing, formatting, input value, widget and filter.

A column's kind comes from its model field (money_field, area_field, unit_price_field,
code_field(enum=...) put it in the SQLAlchemy column's `info`), from an admin option
(file_fields, textarea_fields, computed) or from its SQL type. Every form, list, export,
import and filter asks the kind, so adding a kind is one declaration here plus, if it needs a
new control, one widget builder in admin/ui/widgets.py (WIDGETS).

    kind        family     widget      filter       example
    text        text       text        text         项目名称
    textarea    textarea   textarea    -            备注
    int         int        int         text         地上层数
    money       decimal    money       -            总投资（元）, 2 places
    area        decimal    area        -            建筑面积（㎡）, 4 places
    unit_price  decimal    unit_price  -            销售单价（元/㎡）, 2 places
    decimal     decimal    decimal     -            other numbers
    date        date       date        date_range   开工日期
    datetime    datetime   datetime    date_range   创建时间
    bool        bool       bool        choice       是否启用
    enum        enum       enum            choice       房屋用途 (LabeledEnum attached to the column)
    fk          fk         fk          fk           所属项目 (search-as-you-type picker, never a table)
    file        file       file        -            证件扫描件 (private file, authorised route)
    rooms       json       rooms       -            户室 (multi-picker over a building's rooms)
    computed    decimal    computed    -            重点监管金额 (read-only, computed on save)
    json        json       readonly    -            anything else structured
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from netsign_console.admin.columns import (
    BOOL, DATE, DATETIME, DECIMAL, ENUM, FILE, FK, INT, JSONV, TEXT, TEXTAREA, ColumnInfo,
)
from netsign_console.admin.formatting import (
    format_bool, format_date, format_datetime, format_decimal, local_zone,
)
from netsign_console.admin.options import CHOICE, DATE_RANGE, FK_PICK, TEXT_EQ

_INT = re.compile(r"^[+-]?[0-9]+$")
_DEC = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_TRUE = {"1", "true", "on", "yes", "y", "是", "√"}
_FALSE = {"0", "false", "off", "no", "n", "否", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_DT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")


class FieldError(ValueError):
    """One value refused; the message is Chinese and names the field."""


# ---------------------------------------------------------------- parsing (text -> value)
def _text(info: ColumnInfo, text: str) -> str:
    if info.max_length and len(text) > info.max_length:
        raise FieldError(f"{info.short_label}最多{info.max_length}个字")
    return text


def _int(info: ColumnInfo, text: str) -> int:
    if not _INT.match(text):
        raise FieldError(f"{info.short_label}应为整数")
    return int(text)


def _decimal_message(info: ColumnInfo, what: str) -> str:
    places = {2: "两", 4: "四"}.get(info.places or 0, str(info.places or 0))
    return f"{info.short_label}应为{what}，最多{places}位小数"


def _decimal_parser(what: str) -> Callable[[ColumnInfo, str], Decimal]:
    def parse(info: ColumnInfo, text: str) -> Decimal:
        compact = text.replace(",", "").replace("，", "").replace(" ", "")
        if compact.startswith("-"):
            raise FieldError(f"{info.short_label}不能为负数")
        if not _DEC.match(compact):
            raise FieldError(_decimal_message(info, what))
        places = info.places or 0
        _, _, frac = compact.partition(".")
        if len(frac.rstrip("0")) > places:
            raise FieldError(_decimal_message(info, what))
        try:
            value = Decimal(compact).quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            raise FieldError(_decimal_message(info, what)) from None
        if info.precision and len(str(int(value))) > info.precision - places:
            raise FieldError(f"{info.short_label}数值过大")
        return value

    return parse


def parse_date_text(info: ColumnInfo, text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(f"{info.short_label}应为日期，格式如2024-01-31")


def _datetime(info: ColumnInfo, text: str) -> datetime:
    for fmt in _DT_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=local_zone())
        except ValueError:
            continue
    try:
        return datetime.combine(parse_date_text(info, text), time(), tzinfo=local_zone())
    except FieldError:
        raise FieldError(f"{info.short_label}应为日期时间，格式如2024-01-31 09:30") from None


def parse_bool_text(info: ColumnInfo, text: str) -> bool:
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise FieldError(f"{info.short_label}应为“是”或“否”")


def _enum(info: ColumnInfo, text: str, lenient: bool = False) -> str:
    choices = info.enum.choices()
    if text in {code for code, _ in choices}:
        return text
    if lenient:  # spreadsheets: the Chinese label is accepted too
        by_label = {label: code for code, label in choices}
        if text in by_label:
            return by_label[text]
    raise FieldError(f"{info.short_label}的取值无效，可选：{'、'.join(label for _, label in choices)}")


def _fk(info: ColumnInfo, text: str) -> Any:
    if not info.fk_int:
        return text
    if not _INT.match(text) or int(text) <= 0:
        raise FieldError(f"所选{info.short_label}不存在或无权访问")
    return int(text)


def _rooms(info: ColumnInfo, text: str) -> list[int]:
    """Room ids as "1,2,3" (what the picker submits); order kept, repeats dropped."""
    parts = [p for p in re.split(r"[,，\s]+", text) if p]
    if not all(_INT.match(p) and int(p) > 0 for p in parts):
        raise FieldError(f"所选{info.short_label}不存在或无权访问")
    return list(dict.fromkeys(int(p) for p in parts))


def _not_editable(info: ColumnInfo, text: str) -> Any:
    raise FieldError(f"{info.short_label}由系统计算，不能填写")


# ---------------------------------------------------------------- formatting (value -> display)
def _plain(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else str(value)


def _fmt_decimal(info: ColumnInfo, value: Any) -> str:
    return format_decimal(info, value)


def _fmt_enum(info: ColumnInfo, value: Any) -> str:
    return info.enum.label_of(value) if info.enum is not None else _plain(info, value)


def _fmt_json(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _fmt_rooms(info: ColumnInfo, value: Any) -> str:
    return f"{len(value)}户" if value else ""


# ---------------------------------------------------------------- input values (value -> <input>)
def _input_plain(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else str(value)


def _input_decimal(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else f"{Decimal(value):.{info.places or 0}f}"


def _input_bool(info: ColumnInfo, value: Any) -> str:
    return "1" if value else ""


def _input_datetime(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else value.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")


def _input_date(info: ColumnInfo, value: Any) -> str:
    return "" if value is None else value.isoformat()


def _input_rooms(info: ColumnInfo, value: Any) -> str:
    return ",".join(str(v) for v in value or [])


@dataclass(frozen=True)
class ColumnKind:
    code: str
    family: str  # the storage family the queries reason about (admin.columns ColumnInfo.kind)
    widget: str  # the control admin/ui/widgets.py builds
    parse: Callable[[ColumnInfo, str], Any]
    format: Callable[[ColumnInfo, Any], str]
    to_input: Callable[[ColumnInfo, Any], str] = _input_plain
    filter: str = ""  # "" = not offered as a list filter
    align: str = "left"
    placeholder: str = ""
    editable: bool = True  # False: shown read-only in every form (computed values)
    # "请选择…" (pick) / "请上传…" / "请填写…" when a required value is missing
    missing_verb: str = "请填写"


KINDS: dict[str, ColumnKind] = {}


def declare(kind: ColumnKind) -> ColumnKind:
    KINDS[kind.code] = kind
    return kind


TEXT_KIND = declare(ColumnKind("text", TEXT, "text", _text, _plain, filter=TEXT_EQ))
TEXTAREA_KIND = declare(ColumnKind("textarea", TEXTAREA, "textarea", _text, _plain))
INT_KIND = declare(ColumnKind("int", INT, "int", _int, _plain, filter=TEXT_EQ, align="right"))
MONEY = declare(ColumnKind("money", DECIMAL, "money", _decimal_parser("金额"), _fmt_decimal, _input_decimal,
                           align="right", placeholder="金额（元），如 1234.56"))
AREA = declare(ColumnKind("area", DECIMAL, "area", _decimal_parser("数字"), _fmt_decimal, _input_decimal,
                          align="right", placeholder="面积（㎡），最多四位小数"))
UNIT_PRICE = declare(ColumnKind("unit_price", DECIMAL, "unit_price", _decimal_parser("单价"), _fmt_decimal,
                                _input_decimal, align="right", placeholder="单价（元/㎡），最多两位小数"))
DECIMAL_KIND = declare(ColumnKind("decimal", DECIMAL, "decimal", _decimal_parser("数字"), _fmt_decimal,
                                  _input_decimal, align="right", placeholder="数字"))
DATE_KIND = declare(ColumnKind("date", DATE, "date", parse_date_text, lambda i, v: format_date(v), _input_date,
                               filter=DATE_RANGE, placeholder="如 2024-01-31"))
DATETIME_KIND = declare(ColumnKind("datetime", DATETIME, "datetime", _datetime, lambda i, v: format_datetime(v),
                                   _input_datetime, filter=DATE_RANGE))
BOOL_KIND = declare(ColumnKind("bool", BOOL, "bool", parse_bool_text, lambda i, v: format_bool(v), _input_bool,
                               filter=CHOICE))
ENUM_KIND = declare(ColumnKind("enum", ENUM, "enum", _enum, _fmt_enum, filter=CHOICE, missing_verb="请选择"))
FK_KIND = declare(ColumnKind("fk", FK, "fk", _fk, _plain, filter=FK_PICK, missing_verb="请选择"))
FILE_KIND = declare(ColumnKind("file", FILE, "file", _text, lambda i, v: "已上传" if v else "", missing_verb="请上传"))
ROOMS = declare(ColumnKind("rooms", JSONV, "rooms", _rooms, _fmt_rooms, _input_rooms, missing_verb="请选择"))
COMPUTED = declare(ColumnKind("computed", DECIMAL, "computed", _not_editable, _fmt_decimal, _input_decimal,
                              align="right", editable=False))
JSON_KIND = declare(ColumnKind("json", JSONV, "readonly", _text, _fmt_json))

# The kind a family gets when nothing more specific is declared.
_BY_FAMILY = {TEXT: TEXT_KIND, TEXTAREA: TEXTAREA_KIND, INT: INT_KIND, DECIMAL: DECIMAL_KIND, DATE: DATE_KIND,
              DATETIME: DATETIME_KIND, BOOL: BOOL_KIND, ENUM: ENUM_KIND, FK: FK_KIND, FILE: FILE_KIND,
              JSONV: JSON_KIND}


def kind_for(code: str | None, family: str) -> ColumnKind:
    """The declared kind `code`, else the family's default (unknown codes are a config error)."""
    if code:
        return KINDS[code]
    return _BY_FAMILY[family]


def parse_text(info: ColumnInfo, text: str, *, lenient: bool = False) -> Any:
    """A non-empty, validator-normalised text -> the typed value of the column's kind."""
    kind = info.column_kind
    if kind is ENUM_KIND:
        return _enum(info, text, lenient)
    return kind.parse(info, text)
