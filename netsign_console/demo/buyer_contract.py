"""The demo buyer (钱购房, public user) carries the ID number of their real-name registration, so
我的合同 lists the contracts that name it. No contract is seeded here: a filed contract in the demo
would take the city's first contract number and a D001 room, which the contract tests and the
signing flow's own demo expect free; `demo/filed_contract.file_contract` builds one on demand."""

from __future__ import annotations

from sqlmodel import Session

from netsign_console.demo.filed_contract import DEMO_BUYER, user_where
from netsign_console.demo.loader import seed_step


@seed_step("购房人实名信息")
def seed_buyer_id_number(session: Session) -> int:
    buyer = user_where(session, username="buyer")
    if buyer is None or buyer.id_number is not None:
        return 0
    buyer.id_number = DEMO_BUYER.id_number
    session.add(buyer)
    return 1
