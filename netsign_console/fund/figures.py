"""An agreement's figures from the database: sums in SQL (one grouped query over its ledger,
one over its open withdrawals, one over the contracts of its supervised rooms), then the rules
of domain/fund.py. `refresh` writes them onto the agreement row in the caller's transaction;
every ledger entry and withdrawal change calls it, so the lists read columns."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from models.fund import (
    FundAgreement, FundAgreementRoom, FundContract, FundLedgerEntry, FundWithdrawal, WithdrawalStatus,
)
from netsign_console.domain.fund import AgreementFigures, agreement_figures

_ZERO = Decimal("0")


def compute(session: Session, agreement: FundAgreement, *, exclude_withdrawal: int | None = None) -> AgreementFigures:
    """Every figure of the agreement; `exclude_withdrawal` leaves that withdrawal's own frozen
    amount out (the withdrawal being edited is checked against what the others leave)."""
    sums = session.exec(
        select(FundLedgerEntry.kind, func.coalesce(func.sum(FundLedgerEntry.amount), 0))
        .where(FundLedgerEntry.agreement_id == agreement.id, FundLedgerEntry.active.is_(True))
        .group_by(FundLedgerEntry.kind)).all()
    open_amounts = select(FundWithdrawal.amount).where(
        FundWithdrawal.agreement_id == agreement.id, FundWithdrawal.status == WithdrawalStatus.APPLYING.value,
        FundWithdrawal.amount.is_not(None))
    if exclude_withdrawal is not None:
        open_amounts = open_amounts.where(FundWithdrawal.id != exclude_withdrawal)
    held = [Decimal(a) for a in session.exec(open_amounts).all()]
    contract_total = session.exec(
        select(func.coalesce(func.sum(FundContract.total_price), 0))
        .join(FundAgreementRoom, (FundAgreementRoom.room_id == FundContract.room_id)
              & (FundAgreementRoom.agreement_id == FundContract.agreement_id))
        .where(FundContract.agreement_id == agreement.id, FundContract.active.is_(True),
               FundAgreementRoom.supervised.is_(True))).one()
    # Contracts signed in the console count like backfilled ones (the room's live contract, once signed).
    from models.contract import Contract, ContractStatus

    signed_total = session.exec(
        select(func.coalesce(func.sum(Contract.total_price), 0))
        .join(FundAgreementRoom, FundAgreementRoom.room_id == Contract.active_room_id)
        .where(FundAgreementRoom.agreement_id == agreement.id, FundAgreementRoom.supervised.is_(True),
               Contract.status.in_((ContractStatus.SIGNED.value, ContractStatus.SEALED.value,
                                    ContractStatus.FILED.value)))).one()
    return agreement_figures(
        rooms=[(Decimal(contract_total) + Decimal(signed_total), True)],
        ledger=[(kind, Decimal(total)) for kind, total in sums],
        key_amount=agreement.key_amount or _ZERO,
        withdrawals_in_progress=held,
    )


def refresh(session: Session, agreement: FundAgreement) -> AgreementFigures:
    figures = compute(session, agreement)
    for name in ("total_supervised", "deposited", "disbursed", "refunded", "frozen", "balance", "disbursable"):
        setattr(agreement, name, getattr(figures, name))
    session.add(agreement)
    session.flush()
    return figures


def locked(session: Session, agreement_id: int) -> FundAgreement:
    """The agreement row, locked until the transaction ends: figures and withdrawals of one
    agreement change one transaction at a time."""
    return session.exec(select(FundAgreement).where(FundAgreement.id == agreement_id).with_for_update()).one()
