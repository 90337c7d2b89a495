"""Local dates and display times: stored in UTC, shown and numbered in the city's time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from models.base import utcnow
from netsign_console.settings import settings


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.timezone)


def local_date(moment: datetime | None = None) -> date:
    """The calendar day in the city for a UTC moment (a case accepted at 01:00 local belongs to today)."""
    return (moment or utcnow()).astimezone(local_zone()).date()


def format_local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S")


def local_day_start_utc(day: date) -> datetime:
    """Midnight of a local day as a UTC moment, for date-range filters."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(timezone.utc)


def local_day_end_utc(day: date) -> datetime:
    """Midnight after a local day (exclusive upper bound)."""
    return local_day_start_utc(day + timedelta(days=1))
