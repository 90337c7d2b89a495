"""The demo buyer (钱购房, public user) and their filed contract on D001: 我的合同, 合同查询 and
退房 show something after `make run`."""

from __future__ import annotations

from sqlmodel import Session, select

from models.building import Room
from models.contract import Contract
from netsign_console.demo.filed_contract import DEMO_BUYER, DEMO_ROOM, user_where, file_contract, room_id_of
from netsign_console.demo.loader import seed_step


@seed_step("购房人的备案合同")
def seed_buyer_contract(session: Session) -> int:
    """The buyer's account gets the ID number of their real-name registration; one contract."""
    buyer = user_where(session, username="buyer")
    if buyer is None:
        return 0
    if buyer.id_number is None:
        buyer.id_number = DEMO_BUYER.id_number
        session.add(buyer)
    room_id = room_id_of(session, *DEMO_ROOM)
    if session.exec(select(Contract.id).where(Contract.room_id == room_id)).first() is not None:
        return 0
    room = session.get(Room, room_id)
    if room.trade_status != "saleable":
        return 0
    file_contract(session, room_id, [DEMO_BUYER])
    return 1
