import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.room_ref import RoomRef
from netsign_console.domain.room_selection import (
    MatchPosition,
    select_all,
    select_by_floor,
    select_by_number,
    select_by_unit,
)

# Two units, three floors, two rooms per floor: "U-FFRR".
ROOMS = [
    (unit * 100 + floor * 10 + room, f"{unit}-{floor:02d}{room:02d}", str(unit), floor)
    for unit in (1, 2)
    for floor in (1, 2, 3)
    for room in (1, 2)
]
NUMBER = {rid: number for rid, number, _, _ in ROOMS}


def numbers(ids):
    return [NUMBER[i] for i in ids]


class TestSelectByNumber:
    def test_back_01_length_2_selects_room_01_of_every_floor(self):
        ids = select_by_number(ROOMS, position="back", digits="01", length=2)
        assert numbers(ids) == ["1-0101", "1-0201", "1-0301", "2-0101", "2-0201", "2-0301"]

    def test_digits_are_zero_padded_to_the_length(self):
        assert select_by_number(ROOMS, position="back", digits="1", length=2) == \
            select_by_number(ROOMS, position="back", digits="01", length=2)

    def test_front_selects_a_unit(self):
        ids = select_by_number(ROOMS, position=MatchPosition.FRONT, digits="2", length=1)
        assert numbers(ids) == ["2-0101", "2-0102", "2-0201", "2-0202", "2-0301", "2-0302"]

    def test_back_three_characters_select_floor_and_room(self):
        assert numbers(select_by_number(ROOMS, position="back", digits="202", length=3)) == ["1-0202", "2-0202"]

    def test_whole_tail_selects_one_room_per_unit_or_one_room(self):
        assert numbers(select_by_number(ROOMS, position="back", digits="0302", length=4)) == ["1-0302", "2-0302"]

    def test_separators_are_compared_as_written(self):
        # The front two characters are "1-", never two digits.
        assert select_by_number(ROOMS, position="front", digits="10", length=2) == []

    def test_room_number_shorter_than_length_never_matches(self):
        rooms = [("a", "101", "1", 1), ("b", "1", "1", 1)]
        assert select_by_number(rooms, position="back", digits="1", length=3) == []
        assert select_by_number(rooms, position="back", digits="01", length=2) == ["a"]

    @pytest.mark.parametrize(
        ("digits", "length", "message"),
        [
            ("0a", 2, "匹配数字“0a”只能包含数字0-9"),
            ("１", 1, "只能包含数字0-9"),  # a full-width digit
            ("", 2, "请填写匹配数字"),
            ("123", 2, "长度不能小于匹配数字的位数（3位）"),
            ("1", 11, "长度不能超过10"),
            ("1", 0, "长度不能小于匹配数字的位数"),
        ],
    )
    def test_bad_input(self, digits, length, message):
        with pytest.raises(ValueError, match=message):
            select_by_number(ROOMS, position="back", digits=digits, length=length)

    def test_unknown_position(self):
        with pytest.raises(ValueError, match="匹配位置“middle”无效"):
            select_by_number(ROOMS, position="middle", digits="1", length=1)

    def test_length_ten_is_allowed(self):
        rooms = [("x", "0000000042", None, 1)]
        assert select_by_number(rooms, position="back", digits="42", length=10) == ["x"]


class TestOtherSelections:
    def test_all_in_the_given_order_without_duplicates(self):
        rooms = [ROOMS[3], ROOMS[0], ROOMS[3]]
        assert select_all(rooms) == [ROOMS[3][0], ROOMS[0][0]]

    def test_by_unit(self):
        assert numbers(select_by_unit(ROOMS, " 1 ")) == [n for n in NUMBER.values() if n.startswith("1-")]
        assert select_by_unit([("a", "101", None, 1)], "1") == []

    def test_by_floor(self):
        assert numbers(select_by_floor(ROOMS, 3)) == ["1-0301", "1-0302", "2-0301", "2-0302"]
        with pytest.raises(TypeError):
            select_by_floor(ROOMS, "3")

    def test_room_refs_are_accepted(self):
        refs = [RoomRef(1, "101", "1", 1), RoomRef(2, "102", "1", 1, building="D004")]
        assert select_by_number(refs, position="back", digits="2", length=1) == [2]


room_numbers = st.text(alphabet="0123456789-AB", min_size=1, max_size=8)


@given(
    st.lists(room_numbers, min_size=1, max_size=30),
    st.sampled_from(["front", "back"]),
    st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.integers(0, 4),
)
def test_selection_is_exactly_the_rooms_whose_end_matches(room_list, position, digits, extra):
    length = len(digits) + extra
    rooms = [(i, number, None, 1) for i, number in enumerate(room_list)]
    selected = set(select_by_number(rooms, position=position, digits=digits, length=length))
    padded = "0" * (length - len(digits)) + digits
    for i, number in enumerate(room_list):
        end = number[:length] if position == "front" else number[len(number) - length:] if len(number) >= length else None
        assert (i in selected) == (end == padded)
