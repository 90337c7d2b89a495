import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.area import AreaSettlement, area_identity_error, settle

D = Decimal


class TestSettleHandComputed:
    """C = 100 m², P = 10 000 元/m² unless stated; 3 % of C is 3 m² = 30 000 元."""

    @pytest.mark.parametrize(
        ("registered", "ratio", "may_cancel", "pays", "bears"),
        [
            ("100", "0.00", False, "0.00", "0.00"),  # equal areas
            ("102", "2.00", False, "20000.00", "0.00"),
            ("98", "-2.00", False, "-20000.00", "0.00"),
            ("103", "3.00", False, "30000.00", "0.00"),  # exactly +3 %: within
            ("97", "-3.00", False, "-30000.00", "0.00"),  # exactly −3 %: within, no doubling
            # Just beyond: the rounded ratio still reads 3.00, the exact one decides.
            ("103.0001", "3.00", True, "30000.00", "1.00"),
            ("96.9999", "-3.00", True, "-30002.00", "1.00"),
            ("104", "4.00", True, "30000.00", "10000.00"),
            ("110", "10.00", True, "30000.00", "70000.00"),
            # 3 m² refunded once + 2 m² refunded twice = 7 m².
            ("95", "-5.00", True, "-70000.00", "20000.00"),
        ],
    )
    def test_cases(self, registered, ratio, may_cancel, pays, bears):
        result = settle(D("100"), D(registered), D("10000"))
        assert result == AreaSettlement(D(ratio), may_cancel, D(pays), D(bears))

    def test_odd_fen_round_half_up(self):
        # 0.005 m² × 8001 = 40.005 -> 40.01 (banker's rounding would give 40.00); ratio 0.005 -> 0.01.
        up = settle(D("100"), D("100.0050"), D("8001"))
        assert (up.ratio_percent, up.buyer_pays) == (D("0.01"), D("40.01"))
        down = settle(D("100"), D("99.9950"), D("8001"))
        assert (down.ratio_percent, down.buyer_pays) == (D("-0.01"), D("-40.01"))

    def test_rounded_once_at_the_end(self):
        # C = 100.0034, R = 96.0003, P = 2.50: refunded once 0.03·C·P = 7.500255, twice
        # 2·(0.97·C − R)·P = 5.01499; the sum 12.515245 rounds to 12.52, while rounding each
        # part first would give 7.50 + 5.01 = 12.51.
        result = settle(D("100.0034"), D("96.0003"), D("2.50"))
        assert result.buyer_pays == D("-12.52")
        assert result.developer_bears == D("2.51")  # 1.002998 × 2.50 = 2.507495

    def test_ratio_is_rounded_half_up_to_two_places(self):
        # (101.2345 − 100) / 100 × 100 = 1.2345 -> 1.23; 1.2355 -> 1.24
        assert settle(D("100"), D("101.2345"), D("1")).ratio_percent == D("1.23")
        assert settle(D("100"), D("101.2355"), D("1")).ratio_percent == D("1.24")
        # A repeating ratio: 1 / 3 × 100 = 33.333...
        assert settle(D("3"), D("4"), D("1")).ratio_percent == D("33.33")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((D("0"), D("100"), D("1")), "合同约定面积必须大于0"),
            ((D("-1"), D("100"), D("1")), "合同约定面积必须大于0"),
            ((D("100"), D("0"), D("1")), "产权登记面积必须大于0"),
            ((D("100"), D("100"), D("0")), "单价必须大于0"),
            ((D("100"), D("100"), D("-5")), "单价必须大于0"),
        ],
    )
    def test_non_positive_inputs_raise(self, args, message):
        with pytest.raises(ValueError, match=message):
            settle(*args)

    def test_float_and_nan_are_refused(self):
        with pytest.raises(TypeError):
            settle(100.0, D("100"), D("1"))
        with pytest.raises(TypeError):
            settle(D("100"), D("100"), "9000")
        with pytest.raises(ValueError):
            settle(D("NaN"), D("100"), D("1"))

    def test_ints_are_exact_and_accepted(self):
        assert settle(100, 104, 10000).buyer_pays == D("30000.00")


# ---------------------------------------------------------------------------
# Properties against an independent reference written from 第二十条 with Fractions
# ---------------------------------------------------------------------------


def _round(value: Fraction) -> Decimal:
    """Half away from zero to the fen, in exact integer arithmetic."""
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    return (D(cents) / 100 * (1 if value >= 0 else -1)).quantize(D("0.01"))


def reference(c: Decimal, r: Decimal, p: Decimal) -> tuple[bool, Decimal, Decimal]:
    c, r, p = Fraction(c), Fraction(r), Fraction(p)
    upper, lower = c * Fraction(103, 100), c * Fraction(97, 100)
    if r > upper:
        return True, _round((upper - c) * p), _round((r - upper) * p)
    if r < lower:
        once = (c - lower) * p
        twice = 2 * (lower - r) * p
        return True, -_round(once + twice), _round((lower - r) * p)
    return False, _round((r - c) * p), D("0.00")


areas = st.decimals(min_value=D("1"), max_value=D("2000"), places=4)
prices = st.decimals(min_value=D("0.01"), max_value=D("200000"), places=2)


@given(areas, st.decimals(min_value=D("0.5"), max_value=D("1.5"), places=6), prices)
def test_matches_reference(contract, factor, price):
    registered = (contract * factor).quantize(D("0.0001"))
    if registered <= 0:
        return
    result = settle(contract, registered, price)
    assert (result.buyer_may_cancel, result.buyer_pays, result.developer_bears) == reference(
        contract, registered, price
    )
    assert result.developer_bears >= 0


@given(areas, areas, areas, prices)
def test_buyer_pays_never_falls_when_the_area_grows(contract, a, b, price):
    small, large = sorted((a, b))
    assert settle(contract, small, price).buyer_pays <= settle(contract, large, price).buyer_pays


@given(areas, prices, st.decimals(min_value=D("0.0001"), max_value=D("500"), places=4))
def test_beyond_plus_three_percent_the_buyer_pays_a_fixed_amount(contract, price, extra):
    registered = contract * D("1.03") + extra
    result = settle(contract, registered, price)
    assert result.buyer_pays == settle(contract, contract * D("1.03"), price).buyer_pays
    assert result.buyer_may_cancel


class TestAreaIdentity:
    def test_identity_holds(self):
        assert area_identity_error(D("130.1"), D("128.5"), D("1.6")) is None

    def test_demo_data_is_refused_with_the_three_figures(self):
        message = area_identity_error(D("130.1"), D("128.5"), D("111.1"))
        assert message is not None
        for figure in ("130.1000", "128.5000", "111.1000", "239.6000"):
            assert figure in message
        assert "±0.01" in message

    @pytest.mark.parametrize(
        ("gross", "ok"),
        [("100.0100", True), ("99.9900", True), ("100.0101", False), ("99.9899", False)],
    )
    def test_tolerance_is_inclusive(self, gross, ok):
        assert (area_identity_error(D(gross), D("80"), D("20")) is None) is ok

    def test_tolerance_is_a_parameter(self):
        assert area_identity_error(D("100.05"), D("80"), D("20"), tolerance=D("0.05")) is None
        assert area_identity_error(D("100.05"), D("80"), D("20"), tolerance=D("0")) is not None
        with pytest.raises(ValueError):
            area_identity_error(D("100"), D("80"), D("20"), tolerance=D("-0.01"))

    def test_float_refused(self):
        with pytest.raises(TypeError):
            area_identity_error(130.1, D("128.5"), D("1.6"))
