"""Values as people read them: money with separators, areas to 4 places, Shanghai times,
enums and booleans in Chinese, personal data masked (FEATURES §5.7-5.8)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable
from zoneinfo import ZoneInfo

from netsign_console.admin.columns import ColumnInfo
from netsign_console.domain.money import format_area, format_money
from netsign_console.domain.validators import (
    mask_id_number,
    mask_mobile,
    normalize_id_number,
    normalize_mobile,
)
from netsign_console.settings import settings


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    return _zone(settings.timezone)


def format_datetime(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def format_date(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def format_bool(value: Any) -> str:
    if value is None:
        return ""
    return "是" if value else "否"


def format_decimal(info: ColumnInfo, value: Any) -> str:
    if value is None or value == "":
        return ""
    if info.places == 2:
        return format_money(Decimal(value))
    if info.places == 4:
        return format_area(Decimal(value))
    places = info.places or 0
    return f"{Decimal(value):,.{places}f}"


def _generic_mask(text: str) -> str:
    if len(text) <= 2:
        return "*" * len(text)
    keep = max(1, len(text) // 4)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def mask_function(column: str, validator: Callable | None = None) -> Callable[[str], str]:
    """Pick the mask for a column: by its validator, else by its name."""
    if validator is normalize_id_number or "id_number" in column:
        return mask_id_number
    if validator is normalize_mobile or "phone" in column or "mobile" in column:
        return mask_mobile
    return _generic_mask


def mask_value(column: str, value: Any, validator: Callable | None = None) -> str:
    if value is None or value == "":
        return ""
    return mask_function(column, validator)(str(value))


def format_value(info: ColumnInfo, value: Any) -> str:
    """Display text of one stored value, by the column's kind (foreign keys are formatted by
    their label column, which the caller reads)."""
    if value is None:
        return ""
    return info.column_kind.format(info, value)


def json_safe(value: Any) -> Any:
    """A JSON-storable form of a column value (audit log, job metadata)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return value
    return str(value)
