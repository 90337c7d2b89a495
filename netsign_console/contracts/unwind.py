"""退房 (RET-01 to RET-04) as plain services the unwind flow calls, each in the case's transaction:

    refusal = unwind_refusal(session, contract)             # 受理's check: filed, no open unwind
    row = open_unwind(session, contract, case_number=...)   # the application (one open per contract)
    cancel_unwind(session, row)                             # 取消受理
    archive_unwind(session, principal, row, at=...)         # 归档: everything below at once

The archive, all or nothing: the contract becomes 已退房 with its time and case (no longer the
room's live contract), the room returns to 可售 under its row lock and version check, the filed
PDF answers 已退房 on /verify, and the building's fund-supervision ledger knows a refund is due
for the contract (fund/refunds.py), so a later 退款流水补录 is accepted for it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from models.base import utcnow
from models.contract import Contract, ContractParty, ContractStatus
from models.contract_unwind import ContractUnwind, UnwindStatus
from netsign_console.auth.principal import Principal
from netsign_console.contracts.entry import move
from netsign_console.errors import UserError
from netsign_console.fund import refunds
from netsign_console.services import room_claim


def open_unwind_number(session: Session, contract_id: int) -> str | None:
    return session.exec(select(ContractUnwind.case_number).where(
        ContractUnwind.open_contract_id == contract_id)).first()


def unwind_refusal(session: Session, contract: Contract) -> str | None:
    """Why this contract cannot be unwound now (Chinese), or None."""
    if contract.status == ContractStatus.UNWOUND.value:
        return f"该合同已于{_local(contract.unwound_at)}退房，不能重复办理"
    if contract.status != ContractStatus.FILED.value:
        return f"该合同当前为{ContractStatus.label_of(contract.status)}，尚未备案，不能办理退房"
    number = open_unwind_number(session, contract.id)
    if number:
        return f"该合同已有正在办理的退房业务（{number}）"
    return None


def _local(value: datetime | None) -> str:
    from netsign_console.workflow.times import local_date

    return f"{local_date(value):%Y-%m-%d}" if value else ""


def _locked(session: Session, contract_id: int) -> Contract:
    return session.exec(select(Contract).where(Contract.id == contract_id).with_for_update()
                        .execution_options(populate_existing=True)).one()


def open_unwind(session: Session, contract: Contract, *, case_number: str) -> ContractUnwind:
    """The application, written at 受理 with the contract row locked; the unique
    open_contract_id refuses a second open one even if two acceptances passed the check."""
    contract = _locked(session, contract.id)
    refusal = unwind_refusal(session, contract)
    if refusal:
        raise UserError(refusal, "subject")
    row = ContractUnwind(contract_id=contract.id, open_contract_id=contract.id,
                         developer_org_id=contract.developer_org_id, case_number=case_number)
    session.add(row)
    session.flush()
    return row


def cancel_unwind(session: Session, row: ContractUnwind) -> None:
    row.status, row.open_contract_id = UnwindStatus.CANCELLED.value, None
    session.add(row)
    session.flush()


def applicant_error(session: Session, row: ContractUnwind, party_id: int | None) -> str | None:
    """申请注销人 must be one of this contract's buyers (RET-02)."""
    if party_id is None:
        return "请选择申请注销人"
    party = session.get(ContractParty, party_id)
    if party is None or party.contract_id != row.contract_id:
        return "申请注销人应为该合同的购房人"
    return None


def archive_unwind(session: Session, principal: Principal, row: ContractUnwind, *, applicant_party_id: int | None,
                   at: datetime | None = None) -> Contract:
    at = at or utcnow()
    problem = applicant_error(session, row, applicant_party_id)
    if problem:
        raise UserError(problem, "applicant_party_id")
    if not (row.reason or "").strip():
        raise UserError("请填写退房原因", "reason")
    contract = _locked(session, row.contract_id)
    if contract.status != ContractStatus.FILED.value:
        raise UserError(f"该合同当前为{ContractStatus.label_of(contract.status)}，不能退房")
    move(session, contract, ContractStatus.UNWOUND.value)
    # Not the room's live contract any more: the next signing of the room may begin.
    session.execute(update(Contract).where(Contract.id == contract.id).values(
        active_room_id=None, unwound_at=at, unwind_case_number=row.case_number)
        .execution_options(synchronize_session=False))
    session.refresh(contract)
    room_claim.release(session, contract.room_id)
    if contract.document_id is not None:
        from netsign_console.documents import issuing  # not at load: see admins/contract_search.py

        issuing.mark_unwound(session, principal, contract.document_id, f"退房（{row.case_number}）：{row.reason.strip()}")
    refunds.record_refund_due(session, contract, case_number=row.case_number)
    row.applicant_party_id = applicant_party_id
    row.status, row.open_contract_id, row.archived_at = UnwindStatus.ARCHIVED.value, None, at
    session.add(row)
    session.flush()
    return contract
