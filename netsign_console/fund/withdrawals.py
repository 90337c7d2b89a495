"""一般资金支取 (FUND-06 to FUND-09) and the room ledgers' write path (FUND-10): the rules the
withdrawal flow, the admins and the ledger backfill call, each in the caller's transaction with
the agreement row locked, so figures and the one-open-withdrawal rule never race."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from models.fund import (
    AgreementStatus, FundAgreement, FundContract, FundLedgerEntry, FundWithdrawal, LedgerKind, LedgerType,
    WithdrawalStatus,
)
from netsign_console.domain.fund import check_withdrawal, withdrawal_start_error
from netsign_console.domain.money import format_money
from netsign_console.errors import UserError
from netsign_console.fund import figures as fund_figures

OPEN = WithdrawalStatus.APPLYING.value


def open_count(session: Session, agreement_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(FundWithdrawal).where(
        FundWithdrawal.agreement_id == agreement_id, FundWithdrawal.status == OPEN)).one())


def start_refusal(session: Session, agreement: FundAgreement) -> str | None:
    """受理's check. Locks the agreement first: two acceptances at once queue here, and the
    second sees the first's withdrawal once it commits."""
    locked = fund_figures.locked(session, agreement.id)
    if locked.status != AgreementStatus.FILED.value:
        return "该监管协议不在已备案状态，不能申请资金支取"
    return withdrawal_start_error(open_count(session, agreement.id))


def open_withdrawal(session: Session, agreement_id: int, case_number: str) -> FundWithdrawal:
    a = fund_figures.locked(session, agreement_id)
    refusal = withdrawal_start_error(open_count(session, a.id))
    if refusal:
        raise UserError(refusal, "subject")
    w = FundWithdrawal(agreement_id=a.id, open_agreement_id=a.id, developer_org_id=a.developer_org_id,
                       bank_org_id=a.bank_org_id, case_number=case_number)
    session.add(w)
    session.flush()
    return w


def amount_error(session: Session, w: FundWithdrawal, amount: Decimal | None) -> str | None:
    """申请信息录入: the amount against what this agreement may pay out now (its own frozen amount
    is left out: it is the one being changed)."""
    if amount is None:
        return None
    a = fund_figures.locked(session, w.agreement_id)
    figures = fund_figures.compute(session, a, exclude_withdrawal=w.id)
    return check_withdrawal(amount, figures)


def amount_saved(session: Session, w: FundWithdrawal) -> None:
    """From now on the amount is frozen: the agreement's figures say so at once."""
    fund_figures.refresh(session, fund_figures.locked(session, w.agreement_id))


def payment_errors(w: FundWithdrawal) -> dict[str, str]:
    errors = {}
    if w.paid_amount is not None:
        if w.paid_amount <= 0:
            errors["paid_amount"] = "打款金额必须大于0"
        elif w.amount is not None and w.paid_amount > w.amount:
            errors["paid_amount"] = f"打款金额不能超过申请支取金额 {format_money(w.amount)} 元"
    if w.paid_on is not None and w.paid_on > date.today():
        errors["paid_on"] = "打款日期不能晚于今天"
    return errors


def close(session: Session, w: FundWithdrawal, *, paid: bool, on: date) -> None:
    """Archive (the payment becomes a 拨付 entry) or cancel; either way the freeze ends."""
    a = fund_figures.locked(session, w.agreement_id)
    w.open_agreement_id = None
    if paid:
        if w.paid_amount is None:
            raise UserError("监管银行尚未录入打款信息，不能归档")
        w.status = WithdrawalStatus.PAID.value
        session.add(FundLedgerEntry(agreement_id=a.id, kind=LedgerKind.DISBURSEMENT.value,
                                    entry_type=LedgerType.WITHDRAWAL.value, amount=w.paid_amount,
                                    entry_date=w.paid_on or on, voucher_number=w.voucher_number, withdrawal_id=w.id,
                                    case_number=w.case_number, active=True))
    else:
        w.status = WithdrawalStatus.CANCELLED.value
    session.add(w)
    session.flush()
    fund_figures.refresh(session, a)


# ----- 户室流水 (FUND-10) -------------------------------------------------------------------------


def refund_error(session: Session, entry: FundLedgerEntry) -> str | None:
    """A refund entry only where the contract has a refund due (退房)."""
    if entry.kind != LedgerKind.REFUND.value or entry.amount is None:
        return None
    contract = session.get(FundContract, entry.contract_id) if entry.contract_id else None
    if contract is None:
        return "该合同没有退款项，不能录入退款流水"
    if contract.refund_due or _known_refund_due(session, contract):
        return None
    return "该合同没有退款项，不能录入退款流水"


def _known_refund_due(session: Session, contract: FundContract) -> bool:
    """The backfill names a contract the ledger already knows with a refund due (an archived
    退房 marks it so: fund/refunds.py)."""
    if not contract.contract_number:
        return False
    return session.exec(select(FundContract.id).where(
        FundContract.agreement_id == contract.agreement_id, FundContract.active.is_(True),
        FundContract.contract_number == contract.contract_number, FundContract.refund_due.is_(True),
        FundContract.id != contract.id).limit(1)).first() is not None


def activate_backfill(session: Session, case_number: str, agreement_id: int, contract_id: int) -> None:
    """The ledger backfill is archived: its contract and entries count from now on."""
    a = fund_figures.locked(session, agreement_id)
    contract = session.get(FundContract, contract_id)
    known = session.exec(select(FundContract).where(
        FundContract.agreement_id == agreement_id, FundContract.active.is_(True),
        FundContract.contract_number == contract.contract_number, FundContract.id != contract.id)).first()
    if known is not None:
        # A later payment of a contract backfilled before: the entries join it, and what this
        # backfill says of the contract (a refund now due, say) updates it.
        for name in ("buyer_name", "total_price", "payment_method", "down_payment"):
            setattr(known, name, getattr(contract, name))
        # A refund once due stays due (an archived 退房 set it): a later backfill cannot clear it.
        known.refund_due = known.refund_due or contract.refund_due
        session.add(known)
    else:
        contract.active = True
        session.add(contract)
    for entry in session.exec(select(FundLedgerEntry).where(FundLedgerEntry.case_number == case_number)).all():
        if entry.amount is None:
            session.delete(entry)  # the optional refund left empty
            continue
        entry.active, entry.room_id = True, contract.room_id
        if known is not None:
            entry.contract_id = known.id
        session.add(entry)
    session.flush()
    if known is not None:
        session.delete(contract)
        session.flush()
    fund_figures.refresh(session, a)
