"""Case numbers (业务编号, WF-06): prefix letter + yyyyMMdd + 7-digit sequence.

The sequence is shared by every prefix and restarts each local day (FEATURES §5.1). One
upsert per number inside the caller's transaction makes it atomic and gap-free: the day's
row stays locked until the accepting transaction ends, and a rollback gives the number
back. That lock serialises acceptance per day, so callers take the number last.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

from netsign_console.errors import UserError
from netsign_console.workflow.times import local_date

_PREFIX = re.compile(r"^[A-Z]$")
NUMBER_PATTERN = re.compile(r"^[A-Z]\d{8}\d{7}$")
MAX_PER_DAY = 9_999_999

# PostgreSQL and SQLite >= 3.35 both understand this statement.
_NEXT = text(
    "INSERT INTO case_number_sequence (day, last_value) VALUES (:d, 1) "
    "ON CONFLICT (day) DO UPDATE SET last_value = case_number_sequence.last_value + 1 "
    "RETURNING last_value"
).bindparams(bindparam("d", type_=Date))  # Date type: SQLite stores it as the ORM does


def next_case_number(session: Session, prefix: str, now: datetime | None = None) -> str:
    if not _PREFIX.match(prefix or ""):
        raise ValueError(f"case number prefix must be one upper-case letter, got {prefix!r}")
    day = local_date(now)
    value = session.exec(_NEXT, params={"d": day}).scalar_one()
    if value > MAX_PER_DAY:
        raise UserError("当日业务编号已用尽，请明日再受理")
    return f"{prefix}{day:%Y%m%d}{value:07d}"


def split_case_number(number: str) -> tuple[str, str, int]:
    """(prefix, yyyyMMdd, sequence) of a well-formed number; ValueError otherwise."""
    if not NUMBER_PATTERN.match(number or ""):
        raise ValueError(f"not a case number: {number!r}")
    return number[0], number[1:9], int(number[9:])
