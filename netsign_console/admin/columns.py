"""What the generator knows about one column: its Chinese label, its kind and type facts.

Everything is read from the SQLModel table (column types, nullability, foreign keys, the
fields' `title=`, the kind and enum a field helper put in the column's `info`) plus a few
admin options (enum overrides, file fields, label overrides). The kinds themselves
(parsing, formatting, widget, filter) are declared in admin/kinds.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, String, Text
from sqlalchemy.sql.schema import Column

DEFAULT_LABELS = {"id": "编号", "created_at": "创建时间", "updated_at": "更新时间", "remarks": "备注"}
LABEL_CANDIDATES = ("name", "display_name", "title", "number", "code")
TEXTAREA_MIN_LENGTH = 500

# Storage families (ColumnInfo.kind): what queries reason about. The finer column kind
# (money, area, unit price ...) is ColumnInfo.column_kind.
TEXT, TEXTAREA, INT, DECIMAL, DATE, DATETIME, BOOL, ENUM, FK, FILE, JSONV = (
    "text", "textarea", "int", "decimal", "date", "datetime", "bool", "enum", "fk", "file", "json",
)


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    label: str
    kind: str
    nullable: bool
    has_default: bool
    primary_key: bool = False
    unique: bool = False
    max_length: int | None = None
    places: int | None = None  # decimals
    precision: int | None = None
    enum: Any = None  # a LabeledEnum class
    fk_model: Any = None  # the referenced SQLModel class
    fk_target: str | None = None  # referenced column name
    fk_label: str | None = None  # column of the referenced model shown instead of the id
    extra: dict = field(default_factory=dict)
    kind_code: str = ""  # the declared column kind (admin/kinds.py); "" = the family's default

    @property
    def column_kind(self):
        from netsign_console.admin.kinds import kind_for

        return kind_for(self.kind_code, self.kind)

    @property
    def short_label(self) -> str:
        """The label without a trailing unit, for messages: "总投资（元）" -> "总投资"."""
        return re.sub(r"\s*[（(][^（）()]*[）)]$", "", self.label) or self.label

    @property
    def fk_int(self) -> bool:
        return self.extra.get("fk_int", True)

    @property
    def is_string(self) -> bool:
        return self.kind in (TEXT, TEXTAREA, ENUM, FILE)


def model_for_table(any_model: type, table) -> type | None:
    """The mapped class of `table` in the same registry as `any_model`."""
    for mapper in any_model._sa_registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def field_title(model: type, name: str) -> str | None:
    info = getattr(model, "model_fields", {}).get(name)
    return getattr(info, "title", None) if info is not None else None


def _base_kind(col: Column) -> str:
    t = col.type
    impl = getattr(t, "impl", None)
    if isinstance(t, Boolean):
        return BOOL
    if isinstance(t, Numeric):
        return DECIMAL
    if isinstance(t, Integer):
        return INT
    if isinstance(t, DateTime) or isinstance(impl, DateTime):
        return DATETIME
    if isinstance(t, Date):
        return DATE
    if isinstance(t, JSON):
        return JSONV
    if isinstance(t, Text):
        return TEXTAREA
    if isinstance(t, String):
        length = getattr(t, "length", None)
        return TEXTAREA if length is None or length >= TEXTAREA_MIN_LENGTH else TEXT
    return TEXT


def describe_column(
    model: type,
    col: Column,
    *,
    labels: dict[str, str],
    enums: dict[str, Any],
    file_fields: set[str],
    textarea_fields: set[str],
    fk_labels: dict[str, str],
    kinds: dict[str, str] | None = None,
) -> ColumnInfo:
    name = col.key
    label = labels.get(name) or field_title(model, name) or DEFAULT_LABELS.get(name) or ""
    kind = _base_kind(col)
    declared = dict(col.info or {})
    kind_code = (kinds or {}).get(name) or declared.get("kind", "")
    enum = enums.get(name) or declared.get("enum")
    extra: dict = {}
    fk_model = fk_target = fk_label = None
    if col.foreign_keys:
        fk = next(iter(col.foreign_keys))
        fk_model = model_for_table(model, fk.column.table)
        fk_target = fk.column.key
        if fk_model is not None:
            kind = FK
            target_cols = fk_model.__table__.c
            fk_label = fk_labels.get(name) or next((c for c in LABEL_CANDIDATES if c in target_cols), fk_target)
            extra["fk_int"] = isinstance(fk.column.type, Integer)
    if enum is not None:
        kind, kind_code = ENUM, ""
    elif name in file_fields:
        kind, kind_code = FILE, ""
    elif name in textarea_fields:
        kind, kind_code = TEXTAREA, ""
    elif kind_code:
        from netsign_console.admin.kinds import KINDS

        kind = KINDS[kind_code].family if kind_code in KINDS else kind
    t = col.type
    has_default = col.default is not None or col.server_default is not None
    if not has_default:
        finfo = getattr(model, "model_fields", {}).get(name)
        if finfo is not None and not finfo.is_required():
            has_default = finfo.default is not None or finfo.default_factory is not None
    return ColumnInfo(
        name=name,
        label=label,
        kind=kind,
        nullable=bool(col.nullable),
        has_default=has_default,
        primary_key=bool(col.primary_key),
        unique=bool(col.unique),
        max_length=getattr(t, "length", None) if isinstance(t, String) else None,
        places=getattr(t, "scale", None) if isinstance(t, Numeric) else None,
        precision=getattr(t, "precision", None) if isinstance(t, Numeric) else None,
        enum=enum,
        fk_model=fk_model,
        fk_target=fk_target,
        fk_label=fk_label,
        extra=extra,
        kind_code=kind_code,
    )
