from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.fund import (
    AgreementFigures,
    LedgerKind,
    agreement_figures,
    balance,
    check_withdrawal,
    deposited,
    disbursable,
    disbursed,
    frozen,
    key_amount,
    refunded,
    total_supervised,
    withdrawal_start_error,
)

D = Decimal
ROOMS = [(D("89.1234"), True), (D("120.5000"), True), (D("60.0000"), False), (D("143.3766"), True)]


class TestKeyAmount:
    def test_area_rule(self):
        # 89.1234 + 120.5 + 143.3766 = 353.0000 m² supervised × 1500 = 529,500.00
        assert key_amount("area", ROOMS, standard_per_m2=D("1500")) == D("529500.00")

    def test_area_rule_rounds_once(self):
        # 0.0033 m² × 1.5 each, three rooms: 0.00495 each (0.00 rounded alone), 0.01485 -> 0.01 together
        rooms = [(D("0.0033"), True)] * 3
        assert key_amount("area", rooms, standard_per_m2=D("1.5")) == D("0.01")
        # 0.0050 m² × 1 = 0.005 -> 0.01 (half up)
        assert key_amount("area", [(D("0.0050"), True)], standard_per_m2=D("1")) == D("0.01")

    def test_area_rule_without_supervised_rooms(self):
        assert key_amount("area", [(D("100"), False)], standard_per_m2=D("1500")) == D("0.00")
        assert key_amount("area", [], standard_per_m2=D("1500")) == D("0.00")

    def test_ratio_rule(self):
        assert key_amount("ratio", [], ratio=D("0.10"), presale_total=D("123456789.05")) == D("12345678.91")
        assert key_amount("ratio", ROOMS, ratio=D("0"), presale_total=D("1000")) == D("0.00")
        assert key_amount("ratio", [], ratio=D("1"), presale_total=D("1000")) == D("1000.00")

    @pytest.mark.parametrize(
        ("args", "kwargs", "message"),
        [
            (("area", ROOMS), {}, "请设置重点监管资金标准"),
            (("area", ROOMS), {"standard_per_m2": D("-1")}, "重点监管资金标准不能为负数"),
            (("area", [(D("-1"), True)]), {"standard_per_m2": D("1")}, "建筑面积不能为负数"),
            (("ratio", []), {"presale_total": D("1")}, "请设置重点监管资金比例"),
            (("ratio", []), {"ratio": D("0.1")}, "请填写项目预售总额"),
            (("ratio", []), {"ratio": D("-0.1"), "presale_total": D("1")}, "重点监管资金比例不能为负数"),
            (("ratio", []), {"ratio": D("10"), "presale_total": D("1")}, "应为0到1之间的小数"),
            (("ratio", []), {"ratio": D("0.1"), "presale_total": D("-1")}, "项目预售总额不能为负数"),
            (("typed", []), {}, "重点监管资金计算规则“typed”无效"),
        ],
    )
    def test_refusals(self, args, kwargs, message):
        with pytest.raises(ValueError, match=message):
            key_amount(*args, **kwargs)

    def test_types(self):
        with pytest.raises(TypeError):
            key_amount("area", ROOMS, standard_per_m2=1500.0)
        with pytest.raises(TypeError):
            key_amount("area", [(D("1"), "是")], standard_per_m2=D("1"))

    @given(st.lists(st.tuples(st.decimals(min_value=D("0"), max_value=D("500"), places=4), st.booleans()), max_size=40),
           st.decimals(min_value=D("0"), max_value=D("5000"), places=2))
    def test_area_rule_property(self, rooms, standard):
        expected = sum((a for a, s in rooms if s), D(0)) * standard
        assert key_amount("area", rooms, standard_per_m2=standard) == expected.quantize(D("0.01"), "ROUND_HALF_UP")


LEDGER = [
    ("deposit", D("300000.00")),
    (LedgerKind.DEPOSIT, D("250000.50")),
    ("disbursement", D("100000.00")),
    ("refund", D("20000.25")),
    ("deposit", D("49999.50")),
]
CONTRACTS = [(D("1000000.00"), True), (None, True), (D("800000.00"), False), (D("650000.55"), True)]


class TestBalances:
    def test_each_figure(self):
        assert total_supervised(CONTRACTS) == D("1650000.55")
        assert deposited(LEDGER) == D("600000.00")
        assert disbursed(LEDGER) == D("100000.00")
        assert refunded(LEDGER) == D("20000.25")
        assert balance(D("600000.00"), D("100000.00"), D("20000.25")) == D("479999.75")
        assert frozen([D("50000"), D("29999.75")]) == D("79999.75")
        assert disbursable(D("479999.75"), D("300000"), D("79999.75")) == D("100000.00")
        assert disbursable(D("479999.75"), D("400000"), D("79999.75")) == D("0.00")  # 0, not negative

    def test_agreement_figures(self):
        figures = agreement_figures(rooms=CONTRACTS, ledger=LEDGER, key_amount=D("300000"),
                                    withdrawals_in_progress=[D("50000"), D("29999.75")])
        assert figures == AgreementFigures(
            total_supervised=D("1650000.55"), deposited=D("600000.00"), disbursed=D("100000.00"),
            refunded=D("20000.25"), balance=D("479999.75"), key_amount=D("300000.00"), frozen=D("79999.75"),
            disbursable=D("100000.00"))

    def test_ledger_takes_a_generator(self):
        figures = agreement_figures(rooms=[], ledger=iter(LEDGER), key_amount=D("0"))
        assert (figures.deposited, figures.disbursed, figures.refunded) == (D("600000.00"), D("100000.00"), D("20000.25"))

    def test_empty_agreement(self):
        figures = agreement_figures(rooms=[], ledger=[], key_amount=D("0"))
        assert figures.balance == figures.disbursable == D("0.00")

    def test_refusals(self):
        with pytest.raises(ValueError, match="流水金额不能为负数"):
            deposited([("deposit", D("-1"))])
        with pytest.raises(ValueError, match="流水类型“interest”无效"):
            deposited([("interest", D("1"))])
        with pytest.raises(TypeError):
            refunded([("refund", 1.5)])
        with pytest.raises(ValueError, match="重点监管资金不能为负数"):
            agreement_figures(rooms=[], ledger=[], key_amount=D("-1"))

    @given(st.lists(st.tuples(st.sampled_from(list(LedgerKind)),
                              st.decimals(min_value=D("0"), max_value=D("1000000"), places=2)), max_size=30),
           st.decimals(min_value=D("0"), max_value=D("2000000"), places=2),
           st.lists(st.decimals(min_value=D("0"), max_value=D("100000"), places=2), max_size=3))
    def test_figures_agree_with_each_other(self, ledger, key, holds):
        f = agreement_figures(rooms=[], ledger=ledger, key_amount=key, withdrawals_in_progress=holds)
        assert f.balance == f.deposited - f.disbursed - f.refunded
        assert f.disbursable == max(D("0"), f.balance - f.key_amount - f.frozen)
        assert f.disbursable >= 0


class TestWithdrawal:
    FIGURES = agreement_figures(rooms=[], ledger=[("deposit", D("1534.56"))], key_amount=D("300"))

    def test_within_and_beyond(self):
        assert self.FIGURES.disbursable == D("1234.56")
        assert check_withdrawal(D("1234.56"), self.FIGURES) is None
        assert check_withdrawal(D("0.01"), self.FIGURES) is None
        assert check_withdrawal(D("1234.57"), self.FIGURES) == "支取金额不能超过可拨付金额 1,234.56 元"

    @pytest.mark.parametrize(("amount", "message"), [
        (D("0"), "支取金额必须大于0"), (D("-5"), "支取金额必须大于0"), (D("1.001"), "支取金额最多保留2位小数")])
    def test_bad_amounts(self, amount, message):
        assert check_withdrawal(amount, self.FIGURES) == message

    def test_trailing_zeros_and_types(self):
        assert check_withdrawal(D("1.100"), self.FIGURES) is None
        with pytest.raises(TypeError):
            check_withdrawal(100.0, self.FIGURES)

    def test_one_withdrawal_at_a_time(self):
        assert withdrawal_start_error(0) is None
        assert "已有正在办理的资金支取业务" in withdrawal_start_error(1)
