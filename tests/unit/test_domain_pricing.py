from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.pricing import (
    Change,
    Direction,
    SalePriceRule,
    floor_distance,
    floor_prices,
    floor_prices_for_rooms,
    price_check_label,
    room_total,
    sale_unit_price,
)

D = Decimal


class TestSaleUnitPrice:
    def test_default_rule_adds_shell_and_decoration(self):
        assert sale_unit_price(D("9000"), D("0")) == D("9000.00")
        assert sale_unit_price(D("8500.50"), D("1200")) == D("9700.50")
        assert sale_unit_price(D("8500"), None) == D("8500.00")

    def test_typed_rule_uses_the_typed_price(self):
        assert sale_unit_price(None, None, rule=SalePriceRule.TYPED, typed=D("12000")) == D("12000.00")
        assert sale_unit_price(D("1"), D("1"), rule="typed", typed=D("12000")) == D("12000.00")
        with pytest.raises(ValueError, match="请填写销售单价"):
            sale_unit_price(D("9000"), D("0"), rule="typed")

    @pytest.mark.parametrize(
        ("shell", "decoration", "message"),
        [
            (None, D("0"), "请填写毛坯单价"),
            (D("0"), D("0"), "毛坯单价必须大于0"),
            (D("-1"), D("0"), "毛坯单价必须大于0"),
            (D("9000"), D("-1"), "装修单价不能为负数"),
        ],
    )
    def test_refusals(self, shell, decoration, message):
        with pytest.raises(ValueError, match=message):
            sale_unit_price(shell, decoration)

    def test_unknown_rule_and_float(self):
        with pytest.raises(ValueError, match="销售单价规则“sum”无效"):
            sale_unit_price(D("1"), D("1"), rule="sum")
        with pytest.raises(TypeError):
            sale_unit_price(9000.0, D("0"))


class TestRoomTotal:
    def test_hand_computed(self):
        assert room_total(D("103.5000"), D("9000")) == D("931500.00")
        # 89 × 8888.88 = 791110.32; 0.1234 × 8888.88 = 1096.887792; sum 792207.207792
        assert room_total(D("89.1234"), D("8888.88")) == D("792207.21")

    def test_half_up(self):
        # 0.0005 × 10.00 = 0.005 -> 0.01 (banker's would give 0.00)
        assert room_total(D("0.0005"), D("10")) == D("0.01")
        assert room_total(D("1.0005"), D("10")) == D("10.01")

    def test_refusals(self):
        with pytest.raises(ValueError, match="建筑面积必须大于0"):
            room_total(D("0"), D("9000"))
        with pytest.raises(ValueError, match="单价必须大于0"):
            room_total(D("100"), D("0"))
        with pytest.raises(TypeError):
            room_total(D("100"), 9000.5)


class TestFloorDistance:
    @pytest.mark.parametrize(
        ("floor", "base", "distance"),
        [(5, 3, 2), (1, 3, -2), (1, -1, 1), (-1, 1, -1), (-3, 2, -4), (3, -2, 4), (-3, -1, -2), (7, 7, 0)],
    )
    def test_skips_floor_zero(self, floor, base, distance):
        assert floor_distance(floor, base) == distance


class TestFloorPrices:
    def test_up_increase_from_the_base_floor(self):
        result = floor_prices(range(1, 7), base_price=D("9000"), base_floor=3, direction="up",
                              change="increase", step=D("100"))
        assert result == {3: D("9000.00"), 4: D("9100.00"), 5: D("9200.00"), 6: D("9300.00")}

    def test_down_decrease_reaches_the_basement_without_floor_zero(self):
        result = floor_prices([-2, -1, 1, 2, 3], base_price=D("9000"), base_floor=2,
                              direction=Direction.DOWN, change=Change.DECREASE, step=D("250.50"))
        assert result == {2: D("9000.00"), 1: D("8749.50"), -1: D("8499.00"), -2: D("8248.50")}

    def test_down_increase(self):
        # A building whose lower floors (shops) are dearer.
        result = floor_prices([1, 2, 3], base_price=D("9000"), base_floor=3, direction="down",
                              change="increase", step=D("500"))
        assert result == {3: D("9000.00"), 2: D("9500.00"), 1: D("10000.00")}

    def test_base_floor_need_not_be_among_the_floors(self):
        result = floor_prices([5, 6], base_price=D("9000"), base_floor=4, direction="up",
                              change="increase", step=D("10"))
        assert result == {5: D("9010.00"), 6: D("9020.00")}

    def test_zero_step_gives_one_price(self):
        result = floor_prices([1, 2], base_price=D("9000"), base_floor=1, direction="up",
                              change="decrease", step=D("0"))
        assert set(result.values()) == {D("9000.00")}

    def test_non_positive_price_names_the_floor(self):
        with pytest.raises(ValueError, match="第11层的价格为0.00元/m²，必须大于0"):
            floor_prices(range(1, 15), base_price=D("1000"), base_floor=1, direction="up",
                         change="decrease", step=D("100"))

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"base_floor": 0}, ValueError, "基准层数不能为0"),
            ({"base_price": D("0")}, ValueError, "基础价格必须大于0"),
            ({"step": D("-1")}, ValueError, "递增/递减金额不能为负数"),
            ({"direction": "left"}, ValueError, "方向“left”无效"),
            ({"change": "more"}, ValueError, "递增/递减“more”无效"),
            ({"step": 1.5}, TypeError, "浮点数"),
            ({"base_floor": 1.0}, TypeError, "基准层数应为整数"),
        ],
    )
    def test_refusals(self, kwargs, error, message):
        params = {"base_price": D("9000"), "base_floor": 1, "direction": "up", "change": "increase",
                  "step": D("100")} | kwargs
        with pytest.raises(error, match=message):
            floor_prices([1, 2], **params)

    def test_floor_zero_refused(self):
        with pytest.raises(ValueError, match="实际层不能为0"):
            floor_prices([0, 1], base_price=D("9000"), base_floor=1, direction="up",
                         change="increase", step=D("1"))

    @given(
        st.sets(st.integers(-5, 60).filter(bool), min_size=1, max_size=40),
        st.integers(-5, 60).filter(bool),
        st.sampled_from(["up", "down"]),
        st.decimals(min_value=D("0"), max_value=D("300"), places=2),
    )
    def test_increase_is_monotone_in_the_distance(self, floors, base, direction, step):
        result = floor_prices(floors, base_price=D("9000"), base_floor=base, direction=direction,
                              change="increase", step=step)
        side = [f for f in floors if (f >= base if direction == "up" else f <= base)]
        assert set(result) == set(side)
        for floor, price in result.items():
            assert price == D("9000") + step * abs(floor_distance(floor, base))


class TestFloorPricesForRooms:
    ROOMS = [
        ("r1", 1, "三室一厅"),
        ("r2", 2, "三室一厅"),
        ("r3", 2, "两室一厅"),
        ("r4", 3, "三室一厅"),
        ("r5", -1, None),
    ]

    def test_by_layout(self):
        result = floor_prices_for_rooms(self.ROOMS, layout="三室一厅", base_price=D("9000"), base_floor=2,
                                        direction="up", change="increase", step=D("100"))
        assert result == {"r2": D("9000.00"), "r4": D("9100.00")}

    def test_every_layout(self):
        result = floor_prices_for_rooms(self.ROOMS, base_price=D("9000"), base_floor=1,
                                        direction="down", change="decrease", step=D("1000"))
        assert result == {"r1": D("9000.00"), "r5": D("8000.00")}

    def test_only_selected_rooms_can_fail(self):
        # Floor 3 would be 0 for 三室一厅 starting at 200 down 100 per floor from 1 upwards,
        # but with the 两室一厅 filter only floor 2 is priced.
        result = floor_prices_for_rooms(self.ROOMS, layout="两室一厅", base_price=D("200"), base_floor=1,
                                        direction="up", change="decrease", step=D("100"))
        assert result == {"r3": D("100.00")}
        with pytest.raises(ValueError, match="第3层"):
            floor_prices_for_rooms(self.ROOMS, base_price=D("200"), base_floor=1,
                                   direction="up", change="decrease", step=D("100"))


class TestPriceCheckLabel:
    def test_manual_sample(self):
        assert price_check_label(D("9000"), D("0"), D("103.5"), D("9000")) == "毛 9000 装 0 面 103.5000 销 9000"

    def test_fen_shown_only_when_present(self):
        assert price_check_label(D("8999.5"), D("0.50"), D("88.12345"), D("9000.00")) == \
            "毛 8999.50 装 0.50 面 88.1235 销 9000"

    def test_missing_figures(self):
        assert price_check_label(None, None, None, None) == "毛 - 装 - 面 - 销 -"
