"""购房合同录入 (SIGN-05, SIGN-06) as plain services the signing flow's steps call, each in the
step's transaction:

    contract = open_contract(session, room_id, case_number=..., kind="presale")   # claims the room
    save_parties(session, contract, [Party(...), ...])     # validated; locks the buyer set
    save_terms(session, contract, Terms(...))              # price, payment method, loan, schedule
    assign_number(session, contract)                       # at 签订购房合同, just before the PDF
    withdraw(session, contract)                            # the case was cancelled: room back to 可售

A refusal is ValidationFailed({field: message}) (fields as the entry form names them) or a
UserError; nothing is written half-way because the caller's transaction rolls back with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, update
from sqlmodel import Session, select

from models.base import utcnow
from models.building import Building, Room
from models.contract import Contract, ContractInstalment, ContractParty, ContractStatus
from models.organization import Organization
from models.permit import Permit, PermitRoom, PermitStatus
from netsign_console.domain.contract import Party, check_parties, check_transition, price_of
from netsign_console.domain.loan import PaymentMethod, check_instalments, needs_mortgage, review_route
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.numbering import contract_number
from netsign_console.services import room_claim

STALE = "合同已被他人修改，请刷新后重试"


def open_contract(session: Session, room_id: int, *, case_number: str, kind: str = "presale",
                  variant: str = "electronic") -> Contract:
    """Claim the room (every signing check under its row lock) and write the draft contract with
    the room's areas and price. The number comes later (assign_number)."""
    room = room_claim.claim(session, room_id, case_number=case_number, sale_kind=kind)
    if room.sale_price is None:
        raise UserError("户室尚未备案销售单价，不能签约", "room")
    building = session.get(Building, room.building_id)
    permit_id = session.exec(
        select(Permit.id).join(PermitRoom, PermitRoom.permit_id == Permit.id)
        .where(PermitRoom.room_id == room.id, Permit.kind == kind, Permit.status == PermitStatus.VALID.value)
        .order_by(Permit.id.desc())
    ).first()
    price = price_of(room.gross_area, room.sale_price)
    contract = Contract(
        case_number=case_number,
        kind=kind, variant=variant, room_id=room.id, active_room_id=room.id, building_id=building.id,
        project_id=room.project_id, permit_id=permit_id, developer_org_id=room.developer_org_id,
        gross_area=room.gross_area, inner_area=room.inner_area, shared_area=room.shared_area,
        unit_price=room.sale_price, computed_total=price.computed, total_price=price.total,
    )
    session.add(contract)
    session.flush()
    return contract


def assign_number(session: Session, contract: Contract, *, year: int | None = None) -> str:
    """The contract's number, taken from the city's yearly counter the first time (the counter
    row stays locked until this transaction ends: call it in the step that generates the PDF)."""
    if contract.contract_number is None:
        contract.contract_number = contract_number(session, contract.kind, year or utcnow().year)
        session.add(contract)
        session.flush()
    return contract.contract_number


def _bump(session: Session, contract: Contract) -> None:
    """Optimistic check: the contract is still the version this save started from."""
    result = session.execute(
        update(Contract).where(Contract.id == contract.id, Contract.version == contract.version)
        .values(version=Contract.version + 1, updated_at=utcnow()).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise UserError(STALE)
    session.refresh(contract)


def _editable(contract: Contract) -> None:
    if contract.status not in (ContractStatus.DRAFT.value, ContractStatus.AWAITING_SIGNATURE.value):
        raise UserError(f"合同当前为{ContractStatus.label_of(contract.status)}，不能修改")


def parties_of(session: Session, contract_id: int) -> list[ContractParty]:
    return list(session.exec(select(ContractParty).where(ContractParty.contract_id == contract_id)
                             .order_by(ContractParty.ordinal)).all())


def save_parties(session: Session, contract: Contract, parties: Sequence[Party]) -> list[ContractParty]:
    """Write the buyers and co-owners; from then on they are locked (SIGN-06: only an unwind
    changes the buyer set)."""
    _editable(contract)
    if contract.buyers_locked:
        raise UserError("购房主体保存后不能变更，如需变更请办理退房")
    normalised, errors = check_parties(parties)
    if errors:
        raise ValidationFailed(errors)
    _bump(session, contract)
    rows = [ContractParty(contract_id=contract.id, ordinal=i, role=p.role, name=p.name, id_type=p.id_type,
                          id_number=p.id_number, phone=p.phone, address=p.address or None, share=p.share)
            for i, p in enumerate(normalised, start=1)]
    session.add_all(rows)
    contract.buyers_locked = True
    session.add(contract)
    session.flush()
    return rows


@dataclass(frozen=True)
class Terms:
    payment_method: str
    agreed_total: Decimal | None = None
    down_payment: Decimal | None = None
    commercial_loan_amount: Decimal | None = None
    fund_loan_amount: Decimal | None = None
    mortgage_bank_org_id: int | None = None
    fund_center_org_id: int | None = None
    delivery_date: date | None = None
    instalments: Sequence[tuple[date, Decimal]] = field(default_factory=tuple)


def _org_of_type(session: Session, org_id: int | None, org_type: str) -> bool:
    org = session.get(Organization, org_id) if org_id else None
    return org is not None and org.org_type == org_type


def terms_errors(session: Session, contract: Contract, terms: Terms) -> tuple[dict[str, str], Decimal | None]:
    """({field: message}, the total) — the total is None when the price itself was refused."""
    errors: dict[str, str] = {}
    try:
        method = PaymentMethod(terms.payment_method)
    except ValueError:
        return {"payment_method": "请选择付款方式"}, None
    try:
        total = price_of(contract.gross_area, contract.unit_price, terms.agreed_total).total
    except ValueError as exc:
        return {"agreed_total": str(exc)}, None
    route = review_route(method)
    if "bank" in route:
        if not _org_of_type(session, terms.mortgage_bank_org_id, "bank"):
            errors["mortgage_bank_org_id"] = "请选择按揭银行（抵押权人）"
        if not terms.commercial_loan_amount or terms.commercial_loan_amount <= 0:
            errors["commercial_loan_amount"] = "请填写商业贷款金额"
    if "fund_center" in route:
        if not _org_of_type(session, terms.fund_center_org_id, "provident_fund_center"):
            errors["fund_center_org_id"] = "请选择公积金中心（抵押权人）"
        if not terms.fund_loan_amount or terms.fund_loan_amount <= 0:
            errors["fund_loan_amount"] = "请填写公积金贷款金额"
    if needs_mortgage(method) and not errors:
        loans = (terms.commercial_loan_amount or 0) + (terms.fund_loan_amount or 0)
        if loans >= total:
            errors["commercial_loan_amount" if "bank" in route else "fund_loan_amount"] = "贷款金额应小于合同总价"
        elif terms.down_payment is not None and terms.down_payment + loans != total:
            errors["down_payment"] = "首付款与贷款金额之和应等于合同总价"
    if method == PaymentMethod.INSTALMENT:
        problems = check_instalments(total, list(terms.instalments))
        if problems:
            errors["instalments"] = "；".join(problems)
    elif terms.instalments:
        errors["instalments"] = "只有分期付款需要录入付款计划"
    return errors, total


def save_terms(session: Session, contract: Contract, terms: Terms) -> Contract:
    _editable(contract)
    errors, total = terms_errors(session, contract, terms)
    if errors:
        raise ValidationFailed(errors)
    _bump(session, contract)
    method = apply_terms(session, contract, terms, total)
    session.execute(delete(ContractInstalment).where(ContractInstalment.contract_id == contract.id))
    if method == PaymentMethod.INSTALMENT:
        session.add_all(ContractInstalment(contract_id=contract.id, ordinal=i, due_date=due, amount=amount)
                        for i, (due, amount) in enumerate(terms.instalments, start=1))
    session.add(contract)
    session.flush()
    return contract


def apply_terms(session: Session, contract: Contract, terms: Terms, total: Decimal) -> PaymentMethod:
    """Set the contract's price and payment columns from checked terms (terms_errors found
    none); the schedule rows are the caller's. Used by save_terms and by the entry form of the
    signing flow, which edits the schedule as a list of its own."""
    method = PaymentMethod(terms.payment_method)
    route = review_route(method)
    loan = needs_mortgage(method)
    buyers = parties_of(session, contract.id)
    contract.payment_method = method.value
    contract.agreed_total = terms.agreed_total
    contract.total_price = total
    contract.delivery_date = terms.delivery_date
    contract.down_payment = (total - (terms.commercial_loan_amount or 0) - (terms.fund_loan_amount or 0)) if loan else None
    contract.commercial_loan_amount = terms.commercial_loan_amount if "bank" in route else None
    contract.fund_loan_amount = terms.fund_loan_amount if "fund_center" in route else None
    contract.mortgage_bank_org_id = terms.mortgage_bank_org_id if "bank" in route else None
    contract.fund_center_org_id = terms.fund_center_org_id if "fund_center" in route else None
    # The buyers pledge the house: the mortgagor is the buyer set (SIGN-05).
    contract.mortgagor = "、".join(p.name for p in buyers) if loan else None
    return method


def move(session: Session, contract: Contract, target: str) -> Contract:
    refusal = check_transition(contract.status, target)
    if refusal:
        raise UserError(refusal)
    _bump(session, contract)
    contract.status = target
    session.add(contract)
    session.flush()
    return contract


def withdraw(session: Session, contract: Contract) -> Contract:
    """The signing case was cancelled before filing: the contract is void, the room 可售 again."""
    move(session, contract, ContractStatus.WITHDRAWN.value)
    contract.active_room_id = None
    session.add(contract)
    session.flush()
    room = session.get(Room, contract.room_id)
    room_claim.release(session, room.id)
    return contract


def lock_parties(session: Session, contract: Contract) -> list[ContractParty]:
    """The buyer rows entered one by one, checked as a set (the first a buyer, one ID once,
    shares adding up to 100 %) and then locked (SIGN-06). ValidationFailed with `parties.N.field`
    keys (N from 0 in entry order) or `parties`."""
    _editable(contract)
    if contract.buyers_locked:
        raise UserError("购房主体已保存并锁定，如需变更请办理退房")
    rows = parties_of(session, contract.id)
    normalised, errors = check_parties([Party(name=p.name, id_type=p.id_type, id_number=p.id_number, phone=p.phone,
                                              address=p.address or "", share=p.share, role=p.role) for p in rows])
    if errors:
        raise ValidationFailed(errors)
    _bump(session, contract)
    for row, p in zip(rows, normalised):
        row.id_number, row.phone, row.share = p.id_number, p.phone, p.share
        session.add(row)
    contract.buyers_locked = True
    session.add(contract)
    session.flush()
    return rows
