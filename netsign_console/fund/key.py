"""重点监管资金 of an agreement's rooms under the city's rule: the one place the console turns
rooms and a pre-sale total into the amount, so the pick screen, the form, the agreement PDF and
the archive all show the same figure.

The rule is the city's (NETSIGN_FUND_KEY_RULE); its figures, the standard per m² and the ratio,
are the regulator's (重点监管资金标准, `FundStandard`, edited in the console)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from sqlmodel import Session, select

from models.building import Room
from models.enums import Designation
from models.fund import FundStandard
from netsign_console import settings as config
from netsign_console.domain.fund import KeyAmountRule, key_amount


@dataclass(frozen=True)
class KeyParameters:
    rule: str
    standard_per_m2: Decimal
    ratio: Decimal


STANDARD_ID = 1  # the city's one row, written by the migration
# The migration's starting standard: what a computation without the database (a preview in a test) uses.
STARTING = (Decimal("1500.00"), Decimal("0.10"))


def configured() -> KeyParameters:
    return KeyParameters(config.settings.fund_key_rule, *STARTING)


def parameters(session: Session) -> KeyParameters:
    """The city's rule (settings) with the regulator's figures (重点监管资金标准). A schema made
    without the migration (create_all in a test) has no row yet: the starting figures then."""
    row = session.get(FundStandard, STANDARD_ID)
    if row is None:
        return configured()
    return KeyParameters(config.settings.fund_key_rule, row.standard_per_m2, row.key_ratio)


@dataclass(frozen=True)
class KeyFigure:
    rule: str
    standard_per_m2: Decimal | None
    ratio: Decimal | None
    amount: Decimal | None  # None: the rule lacks a figure (the ratio rule before 项目预售总额)
    supervised_area: Decimal
    supervised_count: int
    room_count: int
    missing: str = ""  # why the amount cannot be computed yet


def building_rooms(session: Session, building_id: int) -> list[tuple[int, Decimal, str | None, str]]:
    """(id, gross area, designation, trade status) of the building's rooms (every agreement covers them all)."""
    return list(session.exec(select(Room.id, Room.gross_area, Room.designation, Room.trade_status)
                             .where(Room.building_id == building_id, Room.retired.is_(False))
                             .order_by(Room.id)).all())


def supervisable(designation: str | None) -> bool:
    # 物管用房 is never sold, so no buyer's money can come in for it.
    return designation != Designation.PROPERTY_MGMT.value


def compute(rooms: Iterable[tuple[int, Decimal, str | None, str]], supervised_ids: Iterable[int],
            presale_total: Decimal | None, *, params: KeyParameters | None = None) -> KeyFigure:
    p = params or configured()
    rule = p.rule
    picked = set(supervised_ids)
    pairs = [(area, rid in picked) for rid, area, _d, _t in rooms]
    area = sum((a for a, sup in pairs if sup), Decimal("0"))
    count = sum(1 for _a, sup in pairs if sup)
    standard = p.standard_per_m2 if rule == KeyAmountRule.AREA.value else None
    ratio = p.ratio if rule == KeyAmountRule.RATIO.value else None
    if rule == KeyAmountRule.RATIO.value and presale_total is None:
        return KeyFigure(rule, None, ratio, None, area, count, len(pairs), "请先填写项目预售总额")
    amount = key_amount(rule, pairs, standard_per_m2=standard, ratio=ratio, presale_total=presale_total)
    return KeyFigure(rule, standard, ratio, amount, area, count, len(pairs))


def rule_text(figure: KeyFigure) -> str:
    if figure.rule == KeyAmountRule.AREA.value:
        return f"监管户室建筑面积×{figure.standard_per_m2}元/m²"
    return f"项目预售总额×{(figure.ratio or Decimal(0)) * 100:.2f}%"
