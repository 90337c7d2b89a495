"""Column types and mixins shared by every table.

Times are stored in UTC and always come back timezone-aware (SQLite forgets the zone,
so a TypeDecorator puts it back). Money and areas are Numeric, read as Decimal.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints, so SQLite batch migrations can later drop or alter them by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use timezone-aware UTC times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# Exact types: 2 places for yuan, 4 for square metres (FEATURES §5.7).
Money = Numeric(18, 2, asdecimal=True)
Area = Numeric(14, 4, asdecimal=True)
UnitPrice = Numeric(14, 2, asdecimal=True)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


def _with_info(kw: dict[str, Any], **info: Any) -> dict[str, Any]:
    """Put facts for the admin generator (the column kind, its code list) in the column's info."""
    column_kwargs = dict(kw.pop("sa_column_kwargs", None) or {})
    column_kwargs["info"] = {**column_kwargs.get("info", {}), **info}
    kw["sa_column_kwargs"] = column_kwargs
    return kw


def code_field(length: int = 32, *, enum: type | None = None, **kw: Any) -> Any:
    """An enum-like code stored as plain text, so adding a value needs no DDL. `enum` (a
    LabeledEnum) gives its Chinese labels wherever the column is shown, picked or filtered."""
    if enum is not None:
        kw = _with_info(kw, enum=enum)
    return Field(sa_type=String(length), max_length=length, **kw)


def money_field(**kw: Any) -> Any:
    """Yuan, 2 places."""
    return Field(sa_type=Money, **_with_info(kw, kind="money"))


def area_field(**kw: Any) -> Any:
    """Square metres, 4 places."""
    return Field(sa_type=Area, **_with_info(kw, kind="area"))


def unit_price_field(**kw: Any) -> Any:
    """Yuan per square metre, 2 places."""
    return Field(sa_type=UnitPrice, **_with_info(kw, kind="unit_price"))


__all__ = [
    "Decimal",
    "UTCDateTime",
    "utcnow",
    "created_at_field",
    "updated_at_field",
    "code_field",
    "money_field",
    "area_field",
    "unit_price_field",
    "Money",
    "Area",
    "UnitPrice",
]
