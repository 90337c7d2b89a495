"""A filed contract built through the contract services, the way the signing flow (F) leaves one
at 备案归档: the room claimed (every signing check), the buyers saved and locked, the terms, the
contract number, the contract PDF issued, signed and sealed, then filed with a filing number
(room 已签约 → 已备案). For the demo's buyer and for tests and browser tests of what comes after
filing (退房, 合同查询, 我的合同) until the signing flow itself writes such contracts. No demo
step lives here: importing this module from a test must not
register a step ahead of the steps that build the rooms.

Every call goes through the service the flow's stage calls, so nothing here can disagree with
the flow about what a filed contract is. What the flow adds on top (payment rows, SMS codes,
seal images, the PAdES signature) does not change the rows this module's readers look at.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from models.base import utcnow
from models.building import Building, Room
from models.contract import Contract, ContractStatus
from models.enums import Role
from models.user import User
from netsign_console.auth.service import principal_for_user
from netsign_console.contracts.document_data import contract_data, document_kind, masked_summary
from netsign_console.contracts.entry import Terms, assign_number, move, open_contract, save_parties, save_terms
from netsign_console.documents import issuing
from netsign_console.domain.contract import Party
from netsign_console.numbering import yearly_number
from netsign_console.services import room_claim
from netsign_console.workflow.numbers import next_case_number

DEMO_BUYER = Party(name="钱购房", id_type="resident_id", id_number="430104199001011230", phone="13900000012",
                   address="长沙市岳麓区麓山南路2号", share="100")
DEMO_ROOM = ("D001", "2-1602")


def room_id_of(session: Session, building_number: str, room_number: str) -> int:
    return session.exec(select(Room.id).join(Building, Building.id == Room.building_id).where(
        Building.building_number == building_number, Room.room_number == room_number)).one()


def user_where(session: Session, **where) -> User:
    stmt = select(User)
    for name, value in where.items():
        stmt = stmt.where(getattr(User, name) == value)
    return session.exec(stmt.order_by(User.id)).first()


def filing_number(session: Session, year: int) -> str:
    text, _ = yearly_number(session, "contract_filing", year, digits=6)
    return f"BA{text}"


def file_contract(session: Session, room_id: int, buyers: Sequence[Party], *, payment_method: str = "lump_sum",
                  case_number: str | None = None) -> Contract:
    """A filed 预售 contract of `room_id` for `buyers`, in the caller's transaction."""
    now = utcnow()
    room = session.get(Room, room_id)
    developer = user_where(session, organization_id=room.developer_org_id, role=Role.DEVELOPER_ADMIN.value)
    contract = open_contract(session, room_id, case_number=case_number or next_case_number(session, "F", now))
    save_parties(session, contract, buyers)
    save_terms(session, contract, Terms(payment_method=payment_method))
    assign_number(session, contract, year=now.year)
    doc = issuing.issue(session, principal_for_user(session, developer), kind=document_kind(contract),
                        number=contract.contract_number, data=contract_data(session, contract),
                        issuer_org_id=contract.developer_org_id, owner_org_id=contract.developer_org_id,
                        subject_type="contract", subject_id=contract.id, variant=contract.variant,
                        masked_summary=masked_summary(session, contract))
    contract.document_id = doc.id
    for status in (ContractStatus.AWAITING_SIGNATURE, ContractStatus.SIGNED, ContractStatus.SEALED):
        move(session, contract, status.value)
    contract.signed_at = contract.sealed_at = now
    room_claim.mark_signed(session, room_id)
    move(session, contract, ContractStatus.FILED.value)
    contract.filing_number, contract.filed_at = filing_number(session, now.year), now
    session.add(contract)
    session.flush()
    room_claim.mark_filed(session, room_id)
    return contract
