"""Form fields inferred from column types, and parsing of submitted strings.

Every message is Chinese and names the field ("请填写企业名称", "注册资本应为金额，最多两位小数");
a validator's own ValueError message (e.g. the credit-code check) is shown as it is.
Read-only and unknown keys are ignored, so posting them changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from netsign_console.admin.columns import (
    BOOL, DATE, DATETIME, DECIMAL, ENUM, FILE, FK, INT, JSONV, TEXT, TEXTAREA, ColumnInfo,
)
from netsign_console.admin.formatting import local_zone

NONE_CHOICE = "__none__"  # select value meaning "empty" (Radix selects cannot hold "")
_TRUE = {"1", "true", "on", "yes", "y", "是", "√"}
_FALSE = {"0", "false", "off", "no", "n", "否", ""}
_INT = re.compile(r"^[+-]?[0-9]+$")
_DEC = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_DT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")


class FieldError(ValueError):
    pass


@dataclass
class FieldSpec:
    name: str
    label: str
    widget: str
    required: bool
    readonly: bool
    places: int | None = None
    max_length: int | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    placeholder: str = ""


def _placeholder(info: ColumnInfo) -> str:
    if info.kind == DECIMAL:
        return "金额，如 1234.56" if info.places == 2 else ("面积，如 120.5000" if info.places == 4 else "数字")
    if info.kind == DATE:
        return "如 2024-01-31"
    if info.kind == FK:
        return f"输入{info.label}关键字搜索"
    return ""


def field_specs(admin: Any, principal: Any, obj: Any = None) -> list[FieldSpec]:
    readonly = set(admin.get_readonly_fields(principal, obj))
    specs = []
    for name in admin.get_form_fields(principal, obj):
        info = admin.columns[name]
        specs.append(
            FieldSpec(
                name=name,
                label=info.label,
                widget=info.kind,
                required=admin.is_required(name) and info.kind != BOOL,
                readonly=name in readonly or info.primary_key,
                places=info.places,
                max_length=info.max_length,
                choices=info.enum.choices() if info.enum is not None else [],
                placeholder=_placeholder(info),
            )
        )
    return specs


def to_form_value(info: ColumnInfo, value: Any) -> str:
    """A stored value as the string an input holds (no separators, local time)."""
    if value is None:
        return ""
    if info.kind == DECIMAL:
        return f"{Decimal(value):.{info.places or 0}f}"
    if info.kind == BOOL:
        return "1" if value else ""
    if info.kind == DATETIME:
        return value.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")
    if info.kind == DATE:
        return value.isoformat()
    return str(value)


def _as_text(raw: Any) -> str:
    """Cells from spreadsheets arrive typed; everything is parsed from text."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        # Excel stores every number as a binary float; its shortest repr is what was typed
        # ("1234.5"), and it is parsed from that text into a Decimal like any other input.
        text = repr(raw)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def _decimal_message(info: ColumnInfo) -> str:
    name = info.short_label
    if info.places == 2:
        return f"{name}应为金额，最多两位小数"
    places = "两" if info.places == 2 else ("四" if info.places == 4 else str(info.places or 0))
    return f"{name}应为数字，最多{places}位小数"


def _parse_decimal(info: ColumnInfo, text: str) -> Decimal:
    compact = text.replace(",", "").replace("，", "").replace(" ", "")
    if compact.startswith("-"):
        raise FieldError(f"{info.short_label}不能为负数")
    if not _DEC.match(compact):
        raise FieldError(_decimal_message(info))
    places = info.places or 0
    _, _, frac = compact.partition(".")
    if len(frac.rstrip("0")) > places:
        raise FieldError(_decimal_message(info))
    try:
        value = Decimal(compact).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        raise FieldError(_decimal_message(info)) from None
    if info.precision and len(str(int(value))) > info.precision - places:
        raise FieldError(f"{info.short_label}数值过大")
    return value


def _parse_date(info: ColumnInfo, text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(f"{info.short_label}应为日期，格式如2024-01-31")


def _parse_datetime(info: ColumnInfo, text: str) -> datetime:
    for fmt in _DT_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=local_zone())
        except ValueError:
            continue
    try:
        return datetime.combine(_parse_date(info, text), time(), tzinfo=local_zone())
    except FieldError:
        raise FieldError(f"{info.short_label}应为日期时间，格式如2024-01-31 09:30") from None


def parse_value(admin: Any, info: ColumnInfo, raw: Any, *, required: bool, lenient: bool = False) -> Any:
    """One submitted value -> the typed value to store (FieldError with a Chinese message)."""
    text = _as_text(raw)
    if text == NONE_CHOICE:
        text = ""
    kind = info.kind
    if kind == BOOL:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise FieldError(f"{info.short_label}应为“是”或“否”")
    if text == "":
        if required:
            verb = "请选择" if kind in (ENUM, FK) else ("请上传" if kind == FILE else "请填写")
            raise FieldError(f"{verb}{info.short_label}")
        return None
    validator = admin.validators.get(info.name)
    if validator is not None:
        try:
            text = validator(text)
        except ValueError as exc:
            raise FieldError(str(exc)) from None
        if not isinstance(text, str):
            return text
    if kind in (TEXT, TEXTAREA, FILE, JSONV):
        if info.max_length and len(text) > info.max_length:
            raise FieldError(f"{info.short_label}最多{info.max_length}个字")
        return text
    if kind == INT:
        if not _INT.match(text):
            raise FieldError(f"{info.short_label}应为整数")
        return int(text)
    if kind == DECIMAL:
        return _parse_decimal(info, text)
    if kind == DATE:
        return _parse_date(info, text)
    if kind == DATETIME:
        return _parse_datetime(info, text)
    if kind == ENUM:
        codes = {code for code, _ in info.enum.choices()}
        if text in codes:
            return text
        if lenient:
            by_label = {label: code for code, label in info.enum.choices()}
            if text in by_label:
                return by_label[text]
        allowed = "、".join(label for _, label in info.enum.choices())
        raise FieldError(f"{info.short_label}的取值无效，可选：{allowed}")
    if kind == FK:
        if not info.fk_int:
            return text
        if not _INT.match(text) or int(text) <= 0:
            raise FieldError(f"所选{info.short_label}不存在或无权访问")
        return int(text)
    return text


def parse_submission(
    admin: Any, specs: list[FieldSpec], data: Mapping[str, Any], *, lenient: bool = False, partial: bool = True
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse the editable fields present in `data`. With partial=False, a missing field
    counts as empty (creation, import rows)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if spec.readonly:
            continue
        info = admin.columns[spec.name]
        if spec.name not in data and (partial or info.has_default):
            continue  # unchanged (update) or the column's default (creation)
        try:
            values[spec.name] = parse_value(admin, info, data.get(spec.name), required=spec.required, lenient=lenient)
        except FieldError as exc:
            errors[spec.name] = str(exc)
    return values, errors
