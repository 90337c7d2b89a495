from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.loan import (
    ContractTotal,
    PaymentMethod,
    check_instalments,
    check_loan_amount,
    contract_total,
    loan_base,
    needs_mortgage,
    review_route,
)

D = Decimal


class TestMethods:
    @pytest.mark.parametrize(
        ("method", "route", "mortgage"),
        [
            (PaymentMethod.LUMP_SUM, (), False),
            ("instalment", (), False),
            ("commercial_loan", ("bank",), True),
            (PaymentMethod.PROVIDENT_FUND_LOAN, ("fund_center",), True),
            ("combined_loan", ("fund_center", "bank"), True),
        ],
    )
    def test_route_and_mortgage(self, method, route, mortgage):
        assert review_route(method) == route
        assert needs_mortgage(method) is mortgage

    def test_labels(self):
        assert [m.label for m in PaymentMethod] == ["一次性付款", "分期付款", "商业贷款", "公积金贷款", "组合贷"]

    def test_unknown_method(self):
        with pytest.raises(ValueError, match="付款方式“cash”无效"):
            review_route("cash")


class TestLoanBase:
    def test_min_of_contract_and_appraisal(self):
        assert loan_base(D("1000000"), D("950000.50")) == D("950000.50")
        assert loan_base(D("1000000"), D("1200000")) == D("1000000.00")
        assert loan_base(D("1000000")) == D("1000000.00")

    def test_refusals(self):
        with pytest.raises(ValueError, match="评估价必须大于0"):
            loan_base(D("1000000"), D("0"))
        with pytest.raises(ValueError, match="网签价必须大于0"):
            loan_base(D("-1"))
        with pytest.raises(TypeError):
            loan_base(1000000.0)

    def test_loan_amount_limit(self):
        assert check_loan_amount(D("700000"), D("1000000"), D("0.70")) is None
        assert check_loan_amount(D("700000.01"), D("1000000"), D("0.70")) == \
            "贷款金额不能超过贷款基数1,000,000.00元的70%，即700,000.00元"
        assert check_loan_amount(D("0"), D("1000000"), D("0.70")) == "贷款金额必须大于0"
        assert check_loan_amount(D("1.234"), D("1000000"), D("0.70")) == "贷款金额最多保留2位小数"
        with pytest.raises(ValueError, match="贷款比例应为0到1之间"):
            check_loan_amount(D("1"), D("1000000"), D("70"))


class TestContractTotal:
    def test_computed_only(self):
        assert contract_total(D("103.5000"), D("9000")) == ContractTotal(D("931500.00"), D("931500.00"), D("0.00"))

    def test_agreed_total_and_gap(self):
        total, computed, gap = contract_total(D("89.1234"), D("8888.88"), D("790000"))
        assert (total, computed, gap) == (D("790000.00"), D("792207.21"), D("-2207.21"))

    def test_half_up(self):
        assert contract_total(D("0.0005"), D("10")).computed == D("0.01")

    def test_refusals(self):
        with pytest.raises(ValueError, match="合同总价最多保留2位小数"):
            contract_total(D("100"), D("1"), D("100.001"))
        with pytest.raises(ValueError, match="合同总价必须大于0"):
            contract_total(D("100"), D("1"), D("0"))
        with pytest.raises(ValueError, match="建筑面积必须大于0"):
            contract_total(D("0"), D("1"))

    @given(st.decimals(min_value=D("1"), max_value=D("1000"), places=4),
           st.decimals(min_value=D("1"), max_value=D("200000"), places=2),
           st.decimals(min_value=D("1"), max_value=D("10000000"), places=2))
    def test_total_is_computed_plus_gap(self, area, price, agreed):
        total, computed, gap = contract_total(area, price, agreed)
        assert total == agreed == computed + gap


class TestInstalments:
    def test_a_good_schedule(self):
        schedule = [(date(2026, 1, 10), D("300000")), (date(2026, 6, 30), D("400000.50")),
                    (date(2027, 1, 1), D("231499.50"))]
        assert check_instalments(D("931500.00"), schedule) == []

    def test_every_problem_is_listed(self):
        schedule = [(date(2026, 6, 1), D("500000")), (date(2026, 6, 1), D("0")),
                    (date(2026, 5, 1), D("100.001"))]
        assert check_instalments(D("931500"), schedule) == [
            "第2期金额必须大于0",
            "第2期付款日期2026-06-01应晚于第1期的2026-06-01",
            "第3期金额最多保留2位小数",
            "第3期付款日期2026-05-01应晚于第2期的2026-06-01",
        ]

    def test_dates_and_sum_together(self):
        schedule = [(date(2026, 6, 1), D("500000")), (date(2026, 5, 1), D("100"))]
        assert check_instalments(D("931500"), schedule) == [
            "第2期付款日期2026-05-01应晚于第1期的2026-06-01",
            "各期金额合计500,100.00元与合同总价931,500.00元不一致（相差-431,400.00元）",
        ]

    def test_sum_must_match_to_the_fen(self):
        schedule = [(date(2026, 1, 1), D("931499.99"))]
        assert check_instalments(D("931500.00"), schedule) == [
            "各期金额合计931,499.99元与合同总价931,500.00元不一致（相差-0.01元）"]

    def test_empty_and_types(self):
        assert check_instalments(D("1"), []) == ["请至少录入一期付款"]
        with pytest.raises(TypeError):
            check_instalments(D("1"), [(datetime(2026, 1, 1), D("1"))])
        with pytest.raises(TypeError):
            check_instalments(D("1"), [(date(2026, 1, 1), 1.0)])
