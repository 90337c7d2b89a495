"""Gap-free numbers from named counters: 许可证号 `YYYY-NNNN` per year (PERMIT-05), and the
agreement and contract numbers that follow the same pattern.

One upsert inside the caller's transaction: the counter row stays locked until that
transaction ends, so parallel callers queue instead of colliding, and a rollback hands
the number back (no gaps). Callers take the number as late as they can, for that reason.
Case numbers (业务编号) have their own daily counter: workflow/numbers.py.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from netsign_console.errors import UserError

# PostgreSQL and SQLite >= 3.35 both understand this statement.
_NEXT = text(
    "INSERT INTO number_sequence (name, last_value) VALUES (:n, 1) "
    "ON CONFLICT (name) DO UPDATE SET last_value = number_sequence.last_value + 1 "
    "RETURNING last_value"
)


def next_value(session: Session, name: str) -> int:
    return int(session.exec(_NEXT, params={"n": name}).scalar_one())


def yearly_number(session: Session, series: str, year: int, *, digits: int = 4) -> tuple[str, int]:
    """("2026-0007", 7): the next number of `series` in `year`."""
    value = next_value(session, f"{series}:{year}")
    if value >= 10 ** digits:
        raise UserError(f"{year}年度编号已用尽，请联系系统管理员")
    return f"{year}-{value:0{digits}d}", value


def contract_number(session: Session, kind: str, year: int, *, city_code: str | None = None) -> str:
    """The next 合同编号 of the city in `year` (one counter for 预售 and 现售 alike), e.g.
    YS430100-2026-000017 (domain/contract.py gives the form)."""
    from netsign_console.domain.contract import contract_number as form
    from netsign_console.settings import settings

    city = city_code or settings.city_code
    value = next_value(session, f"contract:{city}:{year}")
    if value >= 10 ** 6:
        raise UserError(f"{year}年度合同编号已用尽，请联系系统管理员")
    return form(kind, city, year, value)


def filing_number(session: Session, year: int, *, city_code: str | None = None) -> str:
    """The next 合同备案号 of the city in `year`, e.g. BA430100-2026-000003: one gap-free counter
    per city and year, taken in the filing's transaction."""
    from netsign_console.settings import settings

    city = city_code or settings.city_code
    value = next_value(session, f"contract_filing:{city}:{year}")
    if value >= 10 ** 6:
        raise UserError(f"{year}年度备案号已用尽，请联系系统管理员")
    return f"BA{city}-{year}-{value:06d}"
