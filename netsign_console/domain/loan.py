"""Payment methods, loan review routing, the loan base and the contract price
(SIGN-05, SIGN-15, FIN-01, FIN-02; FEATURES §3.5).

* SIGN-05: 一次性付款, 分期付款, 商业贷款, 公积金贷款, 组合贷; the three loan methods need a
  mortgagor and a mortgagee (抵押人 / 抵押权人).
* SIGN-15: 商业贷款 → the chosen bank reviews; 公积金贷款 → the provident-fund centre; 组合贷 →
  the centre first, then the bank; no loan → straight to filing.
* FIN-01/02: loan base = min(网签价, 评估价); without an appraisal, the contract price.
* Contract price: computed = 建筑面积 × 销售单价 to the fen; an agreed total may differ (a
  discount, a rounded figure) and the gap is reported so the page can show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

# The code list lives with the other code lists (the contract table's column uses it).
from models.enums import PaymentMethod
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.decimals import decimal_places, require_decimal, round_money
from netsign_console.domain.money import format_money

__all__ = [
    "BANK",
    "FUND_CENTER",
    "ContractTotal",
    "PaymentMethod",
    "check_instalments",
    "check_loan_amount",
    "contract_total",
    "loan_base",
    "needs_mortgage",
    "review_route",
]

BANK, FUND_CENTER = "bank", "fund_center"


_ROUTES: dict[PaymentMethod, tuple[str, ...]] = {
    PaymentMethod.LUMP_SUM: (),
    PaymentMethod.INSTALMENT: (),
    PaymentMethod.COMMERCIAL_LOAN: (BANK,),
    PaymentMethod.PROVIDENT_FUND_LOAN: (FUND_CENTER,),
    # The centre reviews first; the bank then adds the mortgage data and reviews (SIGN-15).
    PaymentMethod.COMBINED_LOAN: (FUND_CENTER, BANK),
}


def _method(method: PaymentMethod | str) -> PaymentMethod:
    return parse_choice(PaymentMethod, method, "付款方式")


def review_route(method: PaymentMethod | str) -> tuple[str, ...]:
    """The loan reviewers in order, before the regulator files the contract."""
    return _ROUTES[_method(method)]


def needs_mortgage(method: PaymentMethod | str) -> bool:
    """Whether 抵押人 and 抵押权人 must be entered (every loan method)."""
    return bool(review_route(method))


def _positive(value: object, label: str) -> Decimal:
    number = require_decimal(value, label)
    if number <= 0:
        raise ValueError(f"{label}必须大于0")
    return number


def _amount(value: object, label: str) -> Decimal:
    number = _positive(value, label)
    if decimal_places(number.normalize()) > 2:
        raise ValueError(f"{label}最多保留2位小数")
    return number


def loan_base(contract_price: Decimal, appraisal_price: Decimal | None = None) -> Decimal:
    """min(网签价, 评估价) to the fen; the contract price when there is no appraisal."""
    price = _positive(contract_price, "网签价")
    if appraisal_price is None:
        return round_money(price)
    return round_money(min(price, _positive(appraisal_price, "评估价")))


def check_loan_amount(loan: Decimal, base: Decimal, max_ratio: Decimal) -> str | None:
    """FIN-01: the loan may not exceed max_ratio (a fraction, e.g. 0.70) of the loan base."""
    value = require_decimal(loan, "贷款金额")
    ratio = require_decimal(max_ratio, "贷款比例")
    if not 0 < ratio <= 1:
        raise ValueError("贷款比例应为0到1之间的小数，如70%填写0.70")
    if value <= 0:
        return "贷款金额必须大于0"
    if decimal_places(value.normalize()) > 2:
        return "贷款金额最多保留2位小数"
    limit = round_money(_positive(base, "贷款基数") * ratio)
    if value > limit:
        percent = (ratio * 100).normalize()
        return f"贷款金额不能超过贷款基数{format_money(base)}元的{percent:f}%，即{format_money(limit)}元"
    return None


class ContractTotal(NamedTuple):
    total: Decimal  # the contract's total price: the agreed one if given, else the computed one
    computed: Decimal  # 建筑面积 × 单价, to the fen
    gap: Decimal  # agreed − computed (0.00 without an agreed total)


def contract_total(gross_area: Decimal, unit_price: Decimal, agreed_total: Decimal | None = None) -> ContractTotal:
    computed = round_money(_positive(gross_area, "建筑面积") * _positive(unit_price, "单价"))
    if agreed_total is None:
        return ContractTotal(computed, computed, round_money(Decimal(0)))
    agreed = round_money(_amount(agreed_total, "合同总价"))
    return ContractTotal(agreed, computed, agreed - computed)


def check_instalments(total: Decimal, instalments: Sequence[tuple[date, Decimal]]) -> list[str]:
    """Problems of an instalment schedule: positive 2-place amounts, strictly later dates,
    and (once every amount is valid) the amounts adding up to the contract total exactly;
    [] when it is right."""
    total = require_decimal(total, "合同总价")
    if not instalments:
        return ["请至少录入一期付款"]
    problems: list[str] = []
    amounts = Decimal(0)
    amounts_ok = True
    previous: date | None = None
    for number, (due, amount) in enumerate(instalments, start=1):
        if isinstance(due, datetime) or not isinstance(due, date):
            raise TypeError("付款日期应为date")
        value = require_decimal(amount, f"第{number}期金额")
        if value <= 0:
            problems.append(f"第{number}期金额必须大于0")
            amounts_ok = False
        elif decimal_places(value.normalize()) > 2:
            problems.append(f"第{number}期金额最多保留2位小数")
            amounts_ok = False
        if previous is not None and due <= previous:
            problems.append(f"第{number}期付款日期{due.isoformat()}应晚于第{number - 1}期的{previous.isoformat()}")
        amounts += value
        previous = due
    # A sum over amounts already refused would only mislead.
    if amounts_ok and amounts != total:
        problems.append(f"各期金额合计{format_money(amounts)}元与合同总价{format_money(total)}元不一致"
                        f"（相差{format_money(amounts - total)}元）")
    return problems
