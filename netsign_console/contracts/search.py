"""Finding a contract by where its room is: "D001 1-1001" (or "D001栋1-1001") is a building
number then a room number, each matched as a prefix (an index serves both); a single word is
either. Used by the 退房 start form and by 合同查询."""

from __future__ import annotations

from sqlalchemy import and_
from sqlmodel import select

from models.building import Building, Room
from models.contract import Contract
from netsign_console.admin.prefix import prefix_match


def by_building_and_room(term: str) -> list:
    parts = term.replace("栋", " ").split()
    if not parts:
        return []
    rooms = select(Room.id)
    if len(parts) >= 2:
        buildings = select(Building.id).where(prefix_match(Building.building_number, parts[0]))
        return [Contract.room_id.in_(rooms.where(and_(Room.building_id.in_(buildings),
                                                      prefix_match(Room.room_number, parts[1]))))]
    buildings = select(Building.id).where(prefix_match(Building.building_number, parts[0]))
    return [Contract.room_id.in_(rooms.where(prefix_match(Room.room_number, parts[0]))),
            Contract.building_id.in_(buildings)]
