"""Pre-sale fund supervision figures (issue 10; FUND-02, FUND-06, FUND-07, FUND-11; N11, N12;
FEATURES §5 decision 3, §3.5).

* 重点监管资金 (key supervised amount) is never typed in: a rule chosen per city computes it.
  "area" (the default): Σ 建筑面积 of the supervised rooms × the regulator's standard amount
  per m² (N12c 托管面积 × 标准金额). "ratio": 项目预售总额 × a ratio (N12a Tongguan: 10 %).
* Per agreement:
  - 监管资金总额 (total supervised) = Σ 合同总价 of the supervised rooms that are under
    contract now (signed or filed; an unwound contract is no longer passed in): what the
    buyers owe into the supervision account.
  - 入账 (deposited), 拨付 (disbursed), 退款 (refunded) = Σ of the ledger entries of that kind.
  - 协议余额 (balance) = deposited − disbursed − refunded.
  - 冻结 (frozen) = Σ amounts of withdrawals in progress.
  - 可拨付 (disbursable) = max(0, balance − key amount − frozen) (N12c).
* Amounts are Decimal yuan; every figure is rounded once, to the fen, ROUND_HALF_UP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from models.enums import KeyAmountRule, LedgerKind  # noqa: F401  (both re-exported: the code lists)
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.decimals import decimal_places, require_decimal, round_money
from netsign_console.domain.money import format_money

__all__ = [
    "AgreementFigures",
    "KeyAmountRule",
    "LedgerKind",
    "agreement_figures",
    "balance",
    "check_withdrawal",
    "deposited",
    "disbursable",
    "disbursed",
    "frozen",
    "key_amount",
    "refunded",
    "total_supervised",
    "withdrawal_start_error",
]

_ZERO = Decimal(0)


def _non_negative(value: object, label: str) -> Decimal:
    number = require_decimal(value, label)
    if number < 0:
        raise ValueError(f"{label}不能为负数")
    return number


def _supervised(flag: object) -> bool:
    # "否" or 0 from a form would be truthy or ambiguous; only a real bool is accepted.
    if not isinstance(flag, bool):
        raise TypeError("是否监管应为布尔值")
    return flag


def key_amount(
    rule: KeyAmountRule | str,
    rooms: Iterable[tuple[Decimal, bool]],
    *,
    standard_per_m2: Decimal | None = None,
    ratio: Decimal | None = None,
    presale_total: Decimal | None = None,
) -> Decimal:
    """重点监管资金 to the fen. rooms: (gross_area, supervised) pairs (used by "area" only)."""
    rule = parse_choice(KeyAmountRule, rule, "重点监管资金计算规则")
    if rule is KeyAmountRule.AREA:
        if standard_per_m2 is None:
            raise ValueError("请设置重点监管资金标准（元/m²）")
        standard = _non_negative(standard_per_m2, "重点监管资金标准")
        area = _ZERO
        for gross_area, supervised in rooms:
            gross = _non_negative(gross_area, "建筑面积")
            if _supervised(supervised):
                area += gross
        return round_money(area * standard)
    if ratio is None:
        raise ValueError("请设置重点监管资金比例")
    if presale_total is None:
        raise ValueError("请填写项目预售总额")
    fraction = _non_negative(ratio, "重点监管资金比例")
    if fraction > 1:
        raise ValueError("重点监管资金比例应为0到1之间的小数，如10%填写0.10")
    return round_money(_non_negative(presale_total, "项目预售总额") * fraction)


def total_supervised(rooms: Iterable[tuple[Decimal | None, bool]]) -> Decimal:
    """监管资金总额: Σ contract totals of supervised rooms under contract (contract_total, supervised)."""
    total = _ZERO
    for contract_total, supervised in rooms:
        if _supervised(supervised) and contract_total is not None:
            total += _non_negative(contract_total, "合同总价")
    return round_money(total)


def _ledger_sum(entries: Iterable[tuple[LedgerKind | str, Decimal]], kind: LedgerKind) -> Decimal:
    total = _ZERO
    for entry_kind, amount in entries:
        value = _non_negative(amount, "流水金额")
        if parse_choice(LedgerKind, entry_kind, "流水类型") is kind:
            total += value
    return total


def deposited(entries: Iterable[tuple[LedgerKind | str, Decimal]]) -> Decimal:
    """Σ 入账."""
    return round_money(_ledger_sum(entries, LedgerKind.DEPOSIT))


def disbursed(entries: Iterable[tuple[LedgerKind | str, Decimal]]) -> Decimal:
    """Σ 拨付."""
    return round_money(_ledger_sum(entries, LedgerKind.DISBURSEMENT))


def refunded(entries: Iterable[tuple[LedgerKind | str, Decimal]]) -> Decimal:
    """Σ 退款."""
    return round_money(_ledger_sum(entries, LedgerKind.REFUND))


def balance(deposited: Decimal, disbursed: Decimal, refunded: Decimal) -> Decimal:
    """协议余额 = 入账 − 拨付 − 退款 (negative only when the ledger itself is wrong)."""
    return round_money(require_decimal(deposited, "入账金额") - require_decimal(disbursed, "拨付金额")
                       - require_decimal(refunded, "退款金额"))


def frozen(withdrawals_in_progress: Iterable[Decimal]) -> Decimal:
    """Σ amounts of withdrawals in progress."""
    return round_money(sum((_non_negative(a, "支取金额") for a in withdrawals_in_progress), _ZERO))


def disbursable(balance: Decimal, key_amount: Decimal, frozen: Decimal) -> Decimal:
    """可拨付 = max(0, 余额 − 重点监管资金 − 冻结)."""
    rest = (require_decimal(balance, "协议余额") - require_decimal(key_amount, "重点监管资金")
            - require_decimal(frozen, "冻结金额"))
    return round_money(max(_ZERO, rest))


@dataclass(frozen=True)
class AgreementFigures:
    total_supervised: Decimal  # 监管资金总额
    deposited: Decimal  # 入账
    disbursed: Decimal  # 拨付
    refunded: Decimal  # 退款
    balance: Decimal  # 协议余额
    key_amount: Decimal  # 重点监管资金
    frozen: Decimal  # 在途支取
    disbursable: Decimal  # 可拨付


def agreement_figures(
    *,
    rooms: Iterable[tuple[Decimal | None, bool]],
    ledger: Iterable[tuple[LedgerKind | str, Decimal]],
    key_amount: Decimal,
    withdrawals_in_progress: Iterable[Decimal] = (),
) -> AgreementFigures:
    """Every figure of one agreement. rooms: (contract_total or None, supervised);
    ledger: (kind, amount) entries; key_amount: the agreement's 重点监管资金."""
    entries = list(ledger)
    key = _non_negative(key_amount, "重点监管资金")
    money_in, money_out, money_back = (_ledger_sum(entries, kind) for kind in LedgerKind)
    held = sum((_non_negative(a, "支取金额") for a in withdrawals_in_progress), _ZERO)
    rest = money_in - money_out - money_back
    return AgreementFigures(
        total_supervised=total_supervised(rooms),
        deposited=round_money(money_in),
        disbursed=round_money(money_out),
        refunded=round_money(money_back),
        balance=round_money(rest),
        key_amount=round_money(key),
        frozen=round_money(held),
        disbursable=round_money(max(_ZERO, rest - key - held)),
    )


def check_withdrawal(amount: Decimal, figures: AgreementFigures) -> str | None:
    """None when ``amount`` may be withdrawn now, else the Chinese reason."""
    value = require_decimal(amount, "支取金额")
    if value <= 0:
        return "支取金额必须大于0"
    if decimal_places(value.normalize()) > 2:
        return "支取金额最多保留2位小数"
    if value > figures.disbursable:
        return f"支取金额不能超过可拨付金额 {format_money(figures.disbursable)} 元"
    return None


def withdrawal_start_error(withdrawals_in_progress: int) -> str | None:
    """FUND-06: one withdrawal at a time per agreement."""
    if withdrawals_in_progress > 0:
        return "该监管协议已有正在办理的资金支取业务，办结或取消后才能发起新的支取"
    return None
