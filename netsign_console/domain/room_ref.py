"""The few facts about a room that selection (SURV-03) and forecast → as-built mapping
(SURV-09, SURV-10) need, as one small value: id, 室号, 单元, 实际层 and optionally 栋号.

Callers may pass plain tuples in that order; ``as_room_ref`` turns them into RoomRef.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

__all__ = ["RoomRef", "as_room_ref"]


@dataclass(frozen=True)
class RoomRef:
    id: Hashable
    room_number: str
    unit: str | None
    actual_floor: int
    building: str | None = None  # 栋号; only needed when rooms of several buildings are mixed


def as_room_ref(room: RoomRef | tuple) -> RoomRef:
    if isinstance(room, RoomRef):
        return room
    if not isinstance(room, tuple) or not 4 <= len(room) <= 5:
        raise TypeError("户室应为RoomRef或(id, 室号, 单元, 实际层[, 栋号])元组")
    return RoomRef(*room)
