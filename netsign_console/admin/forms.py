"""Form fields inferred from column types, and parsing of submitted strings.

Every message is Chinese and names the field ("请填写企业名称", "注册资本应为金额，最多两位小数");
a validator's own ValueError message (e.g. the credit-code check) is shown as it is.
Read-only and unknown keys are ignored, so posting them changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

from netsign_console.admin.columns import BOOL, FK, ColumnInfo
from netsign_console.admin.kinds import FieldError, parse_bool_text, parse_text

NONE_CHOICE = "__none__"  # select value meaning "empty" (Radix selects cannot hold "")


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
    group: str = ""  # the fieldset heading (ModelAdmin.fieldsets)


def _placeholder(info: ColumnInfo) -> str:
    if info.kind == FK:
        return f"输入{info.label}关键字搜索"
    return info.column_kind.placeholder


def field_specs(admin: Any, principal: Any, obj: Any = None, *, fields: Sequence[str] | None = None,
                readonly: Iterable[str] = (), editable: bool | None = None) -> list[FieldSpec]:
    """The form's fields for this user (or the given subset, e.g. a case's sub-task form),
    with `readonly` added to the admin's own read-only fields. `editable` replaces the admin's
    permission check where the caller decided it (a case's sub-task: holding the task)."""
    if editable is None:
        own = admin.get_readonly_fields(principal, obj)
    else:
        own = admin.readonly_fields if editable else (fields or admin.get_form_fields(principal, obj))
    readonly = set(own) | set(readonly)
    names = list(fields) if fields is not None else admin.get_form_fields(principal, obj)
    groups = admin.fieldset_of()
    specs = []
    for name in names:
        info = admin.columns[name]
        kind = info.column_kind
        specs.append(
            FieldSpec(
                name=name,
                label=info.label,
                widget=kind.widget,
                required=admin.is_required(name) and info.kind != BOOL and kind.editable,
                readonly=name in readonly or info.primary_key or not kind.editable,
                places=info.places,
                max_length=info.max_length,
                choices=info.enum.choices() if info.enum is not None else [],
                placeholder=_placeholder(info),
                group=groups.get(name, ""),
            )
        )
    return specs


def to_form_value(info: ColumnInfo, value: Any) -> str:
    """A stored value as the string an input holds (no separators, local time)."""
    if value is None:
        return ""
    return info.column_kind.to_input(info, value)


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
    if isinstance(raw, (list, tuple)):
        return ",".join(str(v) for v in raw)
    return str(raw).strip()


def parse_value(admin: Any, info: ColumnInfo, raw: Any, *, required: bool, lenient: bool = False) -> Any:
    """One submitted value -> the typed value to store (FieldError with a Chinese message).

    Empty and required values, and the admin's validators, are handled here once; the
    column's kind (admin/kinds.py) parses the rest."""
    text = _as_text(raw)
    if text == NONE_CHOICE:
        text = ""
    if info.kind == BOOL:
        return parse_bool_text(info, text)
    if text == "":
        if required:
            raise FieldError(f"{info.column_kind.missing_verb}{info.short_label}")
        return None
    validator = admin.validators.get(info.name)
    if validator is not None:
        try:
            text = validator(text)
        except ValueError as exc:
            raise FieldError(str(exc)) from None
        if not isinstance(text, str):
            return text
    return parse_text(info, text, lenient=lenient)


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
