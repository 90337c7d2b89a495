"""Where each room sits on the grid: unit order, floor order, and its position in the unit.

* Units in natural order ("1单元" < "2单元" < "10单元"); rooms without a unit form the last one.
* Floors top-down, basements (negative floors) last; a floor without rooms between two that
  have some is drawn as an empty row (a refuge floor), floor 0 does not exist.
* Within a unit, a room's position is its *stack*: the digits after the floor in its number
  ("2-1503" on floor 15 is stack "03"), so 1-0102 stays above 1-0202 even where 1-0101 is
  missing, and the gap is an empty cell. A unit whose numbers do not follow that pattern (or
  where two rooms of one floor would share a stack) falls back to room-number order per floor.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Hashable, Iterable, Sequence

NO_UNIT = ""
NO_UNIT_LABEL = "未分单元"
_CHUNKS = re.compile(r"(\d+)")
_DIGITS = "0123456789"


def natural_key(text: str | None) -> tuple:
    """Sort key that orders digit runs by value: "2单元" < "10单元", "1-0902" < "1-1001"."""
    if not text:
        return ((2, 0, ""),)  # empty sorts last
    return tuple((0, int(part), "") if part.isdecimal() else (1, 0, part) for part in _CHUNKS.split(text) if part)


def stack_of(room_number: str, floor: int) -> str | None:
    """The stack part of a room number: what follows the floor's digits at its end, or None."""
    number = room_number or ""
    digits = number[len(number.rstrip(_DIGITS)):]
    if not digits:
        return None
    level = str(abs(floor))
    for prefix in (level.zfill(2), level):
        if len(digits) > len(prefix) and digits.startswith(prefix):
            return digits[len(prefix):]
    return None


def floor_order(floors: Iterable[int]) -> list[int]:
    """Highest first, basements last; the gaps between the lowest and highest floor included."""
    present = set(floors)
    if not present:
        return []
    return [f for f in range(max(present), min(present) - 1, -1) if f != 0]


def floor_label(floor: int) -> str:
    return f"{floor}层"


def unit_label(unit: str) -> str:
    return unit or NO_UNIT_LABEL


class Placement:
    """Positions of the rooms of one building: `columns[unit]` slots per unit, `slot[key]` the
    (unit, floor, position) of every room key."""

    def __init__(self, units: list[str], columns: dict[str, int], slot: dict[Hashable, tuple[str, int, int]]):
        self.units = units
        self.columns = columns
        self.slot = slot


def place(rooms: Sequence[tuple[Hashable, str | None, int, str]]) -> Placement:
    """`rooms` are (key, unit, floor, room_number); returns where each goes."""
    by_unit: dict[str, list[tuple[Hashable, int, str]]] = defaultdict(list)
    for key, unit, floor, number in rooms:
        by_unit[(unit or NO_UNIT).strip()].append((key, floor, number))
    units = sorted(by_unit, key=lambda u: (u == NO_UNIT, natural_key(u)))
    columns: dict[str, int] = {}
    slot: dict[Hashable, tuple[str, int, int]] = {}
    for unit in units:
        members = by_unit[unit]
        stacks = [stack_of(number, floor) for _key, floor, number in members]
        pairs = {(floor, s) for (_key, floor, _n), s in zip(members, stacks)}
        if None not in stacks and len(pairs) == len(members):
            order = {s: n for n, s in enumerate(sorted(set(stacks), key=natural_key))}
            columns[unit] = len(order)
            for (key, floor, _n), s in zip(members, stacks):
                slot[key] = (unit, floor, order[s])
            continue
        per_floor: dict[int, list[tuple[Hashable, str]]] = defaultdict(list)
        for key, floor, number in members:
            per_floor[floor].append((key, number))
        columns[unit] = max(len(v) for v in per_floor.values())
        for floor, items in per_floor.items():
            for position, (key, _n) in enumerate(sorted(items, key=lambda item: natural_key(item[1]))):
                slot[key] = (unit, floor, position)
    return Placement(units, columns, slot)
