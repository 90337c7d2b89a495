"""The terms of a construction-in-progress mortgage (MORT-01): what an amount and a term must
be, and when the term ends. Plain values in, Chinese messages per field out."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

# A construction loan runs a few years; fifty years is beyond any, so more is a typing slip.
MAX_TERM_MONTHS = 600


def terms_errors(amount: Decimal | None, term_months: int | None) -> dict[str, str]:
    """field -> message for the values given (empty ones are the form's 必填 to report)."""
    errors: dict[str, str] = {}
    if amount is not None and amount <= 0:
        errors["amount"] = "抵押金额必须大于0元"
    if term_months is not None:
        if term_months <= 0:
            errors["term_months"] = "抵押期限必须大于0个月"
        elif term_months > MAX_TERM_MONTHS:
            errors["term_months"] = f"抵押期限不能超过{MAX_TERM_MONTHS}个月"
    return errors


def term_end(starts_on: date, months: int) -> date:
    """The last day of the term (民法典 第201、202条: the start day is not counted, the term ends
    on the corresponding day of the last month, or that month's last day when it has none):
    12 months from 2026-03-01 end on 2027-03-01, one month from 2026-01-31 on 2026-02-28."""
    index = starts_on.month - 1 + months
    year, month = starts_on.year + index // 12, index % 12 + 1
    return date(year, month, min(starts_on.day, calendar.monthrange(year, month)[1]))
