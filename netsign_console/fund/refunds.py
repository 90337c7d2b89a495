"""The refund an unwind (退房) leaves due on the building's fund-supervision ledger (RET-03, FUND-10).

The ledger knows a room's contract as a FundContract named by its contract number on the
agreement (a 户室流水补录 writes it; a later backfill with the same number joins it). An
unwind marks that contract `refund_due`, or, when no deposit of it was recorded yet, writes it
(active, with no total: the contract is unwound, so it adds nothing to 监管资金总额). The
money itself moves when the refund is paid and recorded: a 户室流水补录 of the same contract
number may then enter its 退款 entry (withdrawals.refund_error), and only then do the
agreement's figures change.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.contract import Contract, ContractParty
from models.fund import FundAgreement, FundContract
from netsign_console.fund import figures as fund_figures
from netsign_console.fund.signing_check import SUPERVISING


def supervising_agreement(session: Session, building_id: int) -> FundAgreement | None:
    return session.exec(select(FundAgreement).where(
        FundAgreement.building_id == building_id, FundAgreement.status.in_(SUPERVISING))
        .order_by(FundAgreement.id.desc())).first()


def known_contracts(session: Session, agreement_id: int, contract_number: str) -> list[FundContract]:
    return list(session.exec(select(FundContract).where(
        FundContract.agreement_id == agreement_id, FundContract.active.is_(True),
        FundContract.contract_number == contract_number)).all())


def record_refund_due(session: Session, contract: Contract, *, case_number: str) -> FundContract | None:
    """Mark the contract's ledger record refund-due (None: the building is not supervised, so
    there is no supervised money to give back)."""
    found = supervising_agreement(session, contract.building_id)
    if found is None or not contract.contract_number:
        return None
    agreement = fund_figures.locked(session, found.id)
    known = known_contracts(session, agreement.id, contract.contract_number)
    for row in known:
        row.refund_due = True
        session.add(row)
    if known:
        session.flush()
        return known[0]
    buyer = session.exec(select(ContractParty.name).where(ContractParty.contract_id == contract.id)
                         .order_by(ContractParty.ordinal)).first()
    row = FundContract(agreement_id=agreement.id, developer_org_id=contract.developer_org_id, room_id=contract.room_id,
                       contract_number=contract.contract_number, buyer_name=buyer,
                       payment_method=contract.payment_method, refund_due=True, case_number=case_number, active=True)
    session.add(row)
    session.flush()
    return row
