"""Typed case data: each flow declares a pydantic model of what its case carries.

    class RoomBackfillData(CaseData):
        building_id: int = Field(title="楼栋")

Branches, switches and routing read typed fields (`data.building_id`), never dictionary
keys, and a value of the wrong shape is refused when it is saved (with a Chinese message
per field), not when the case is dispatched. Case.data keeps the JSON form.
"""

from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError

from netsign_console.errors import ValidationFailed


class CaseData(BaseModel):
    """Base of every flow's data model; unknown keys are refused (a typo is a bug, not data)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class NoData(CaseData):
    """For flows whose case needs nothing beyond its subject."""


_MESSAGES = {
    "missing": "请填写{title}",
    "int_parsing": "{title}应为整数",
    "int_type": "{title}应为整数",
    "decimal_parsing": "{title}应为数字",
    "decimal_type": "{title}应为数字",
    "decimal_max_places": "{title}最多{decimal_places}位小数",
    "greater_than": "{title}应大于{gt}",
    "greater_than_equal": "{title}不能小于{ge}",
    "less_than": "{title}应小于{lt}",
    "less_than_equal": "{title}不能大于{le}",
    "string_too_long": "{title}最多{max_length}个字",
    "string_too_short": "请填写{title}",
    "too_short": "请至少选择{min_length}项{title}",
    "too_long": "{title}最多{max_length}项",
    "list_type": "{title}格式不正确",
    "bool_parsing": "{title}应为“是”或“否”",
    "date_from_datetime_parsing": "{title}应为日期，格式如2024-01-31",
    "date_parsing": "{title}应为日期，格式如2024-01-31",
    "enum": "{title}的取值无效",
    "literal_error": "{title}的取值无效",
    "extra_forbidden": "不能填写{title}",
}


def _title(model: type[BaseModel], loc: tuple) -> tuple[str, str]:
    name = str(loc[0]) if loc else ""
    info = model.model_fields.get(name)
    return name, (info.title if info is not None and info.title else name)


def chinese_errors(model: type[BaseModel], error: ValidationError) -> dict[str, str]:
    """field -> one Chinese message (the first problem of each field)."""
    out: dict[str, str] = {}
    for item in error.errors():
        name, title = _title(model, item.get("loc", ()))
        if name in out:
            continue
        template = _MESSAGES.get(item["type"])
        if template is None:
            # A custom validator's ValueError carries its own (Chinese) message.
            message = str(item.get("ctx", {}).get("error") or "") or f"{title}填写有误"
        else:
            message = template.format(title=title, **{k: v for k, v in (item.get("ctx") or {}).items()})
        out[name or "form"] = message
    return out


def validate_data(model: type[CaseData], values: Mapping[str, Any]) -> CaseData:
    """The typed data, or ValidationFailed with Chinese messages per field."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise ValidationFailed(chinese_errors(model, exc)) from None


def dump_data(data: CaseData) -> dict[str, Any]:
    """The JSON form stored in Case.data (Decimals as strings, dates ISO)."""
    return data.model_dump(mode="json")
