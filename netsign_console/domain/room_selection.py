"""Selecting rooms on the building grid (SURV-03): 全选, by 单元, by 实际层, and by room-number
pattern (匹配位置 向前/向后, 匹配数字, 长度).

Reading of the manual's pattern tool: the room number is compared as written (separators
included) at one end. 长度 is how many characters are taken from that end; 匹配数字 is
zero-padded on the left to that length and must equal them. A room number shorter than
长度 never matches.

With room numbers "1-0101" (unit 1, floor 01, room 01), "1-0102", "1-0201", "2-0101":

* 向后, 01, 2 → the last two characters are "01": every room 01 of each floor of every unit
  → "1-0101", "1-0201", "2-0101".
* 向后, 1, 2 → the same (the digits are padded to "01").
* 向前, 1, 1 → the first character is "1": every room of unit 1.
* 向后, 201, 3 → "201": room 01 on floor 2 of each unit → "1-0201".
* 向后, 0102, 4 → "1-0102" only.

Refused (ValueError, Chinese message): digits that are not 0-9, 长度 shorter than the digits,
长度 above 10, an unknown 匹配位置.

Rooms are RoomRef values or (id, room_number, unit, actual_floor) tuples. Every function
returns the selected ids in the order the rooms were given, each id once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from models.enums import LabeledEnum
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.room_ref import RoomRef, as_room_ref

__all__ = [
    "MAX_LENGTH",
    "MatchPosition",
    "select_all",
    "select_by_floor",
    "select_by_number",
    "select_by_unit",
]

MAX_LENGTH = 10
_DIGITS = frozenset("0123456789")


class MatchPosition(LabeledEnum):
    FRONT = ("front", "向前")
    BACK = ("back", "向后")


def _ids(rooms: Iterable[RoomRef | tuple], keep) -> list[Hashable]:
    seen: set[Hashable] = set()
    selected = []
    for room in map(as_room_ref, rooms):
        if room.id not in seen and keep(room):
            seen.add(room.id)
            selected.append(room.id)
    return selected


def select_all(rooms: Iterable[RoomRef | tuple]) -> list[Hashable]:
    return _ids(rooms, lambda room: True)


def select_by_unit(rooms: Iterable[RoomRef | tuple], unit: str) -> list[Hashable]:
    """Rooms of 单元 ``unit`` (compared without surrounding spaces)."""
    wanted = str(unit).strip()
    return _ids(rooms, lambda room: (room.unit or "").strip() == wanted)


def select_by_floor(rooms: Iterable[RoomRef | tuple], actual_floor: int) -> list[Hashable]:
    if isinstance(actual_floor, bool) or not isinstance(actual_floor, int):
        raise TypeError("实际层应为整数")
    return _ids(rooms, lambda room: room.actual_floor == actual_floor)


def _pattern(digits: str, length: int) -> str:
    if not isinstance(digits, str):
        raise TypeError("匹配数字应为字符串")
    digits = digits.strip()
    if not digits:
        raise ValueError("请填写匹配数字")
    if not all(ch in _DIGITS for ch in digits):
        raise ValueError(f"匹配数字“{digits}”只能包含数字0-9")
    if isinstance(length, bool) or not isinstance(length, int):
        raise ValueError("长度应为整数")
    if length > MAX_LENGTH:
        raise ValueError(f"长度不能超过{MAX_LENGTH}")
    if length < len(digits):
        raise ValueError(f"长度不能小于匹配数字的位数（{len(digits)}位）")
    return digits.zfill(length)


def select_by_number(
    rooms: Iterable[RoomRef | tuple], *, position: MatchPosition | str, digits: str, length: int
) -> list[Hashable]:
    """Rooms whose number starts (向前) or ends (向后) with ``digits`` padded to ``length``."""
    position = parse_choice(MatchPosition, position, "匹配位置")
    pattern = _pattern(digits, length)
    if position is MatchPosition.FRONT:
        return _ids(rooms, lambda room: room.room_number.strip()[:length] == pattern)
    return _ids(rooms, lambda room: room.room_number.strip()[-length:] == pattern)
