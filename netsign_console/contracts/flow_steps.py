"""What the signing flow's sub-tasks do with the contract (预售签约 F / 现房签约 H,
workflow/flows/_contract.py declares them): the buyer set, the terms, the schedule, the payment
notice and its payments (fund-ledger deposits), the contract document, the buyers' codes, the
seals, and the filing. Each runs in the transaction of the step that calls it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from models.base import utcnow
from models.bank import SupervisionAccount
from models.contract import Contract, ContractInstalment, ContractPayment, ContractStatus, ContractVariant
from models.enums import LedgerKind, PaymentMethod
from models.fund import FundAgreement, FundLedgerEntry, LedgerType
from models.organization import Organization
from models.seal import Seal, SealKind
from models.user import User
from netsign_console import documents, numbering, settings as config
from netsign_console.contracts import entry
from netsign_console.contracts.document_data import contract_data, masked_summary
from netsign_console.contracts.seals import seal_image
from netsign_console.contracts.signing import seal_pdf
from netsign_console.domain.contract import amount_due, payment_complete
from netsign_console.domain.loan import check_instalments
from netsign_console.domain.money import format_money
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.fund import figures as fund_figures
from netsign_console.fund.signing_check import SUPERVISING
from netsign_console.services import room_claim
from netsign_console.workflow.subtasks import Signer, SubtaskContext
from netsign_console.workflow.times import local_date

PAYMENT_NOTICE = "fund_payment_notice"


def contract_of(ctx: SubtaskContext) -> Contract:
    return ctx.session.get(Contract, ctx.data.contract_id)


def contract_id(ctx: SubtaskContext) -> int:
    return ctx.data.contract_id


def of_contract(ctx: SubtaskContext) -> dict:
    return {"contract_id": ctx.data.contract_id}


# ----- 购房合同录入 -------------------------------------------------------------------------------


def buyers_locked(ctx: SubtaskContext) -> str | None:
    return "购房主体已保存并锁定，如需变更请办理退房" if contract_of(ctx).buyers_locked else None


def lock_buyers(ctx: SubtaskContext, rows: list) -> None:
    try:
        entry.lock_parties(ctx.session, contract_of(ctx))
    except ValidationFailed as exc:
        # parties.N.field -> the row's words: the list shows them above the rows.
        words = {"name": "姓名", "id_number": "证件号码", "id_type": "证件类型", "phone": "手机号", "share": "共有份额",
                 "role": "身份", "address": "通讯地址"}
        out = {}
        for key, message in exc.errors.items():
            parts = key.split(".")
            if len(parts) == 3:
                out[f"list.{parts[1]}"] = f"第{int(parts[1]) + 1}行{words.get(parts[2], '')}：{message}"
            else:
                out["list"] = message
        raise ValidationFailed(out) from None


def terms_data(ctx: SubtaskContext, contract: Contract) -> dict:
    """What the routing reads later (SIGN-15): the method and the two mortgagees."""
    return {"payment_method": contract.payment_method, "bank_org_id": contract.mortgage_bank_org_id,
            "fund_center_org_id": contract.fund_center_org_id}


def instalments_needed(ctx: SubtaskContext) -> int:
    return 1 if contract_of(ctx).payment_method == PaymentMethod.INSTALMENT.value else 0


def check_schedule(ctx: SubtaskContext, rows: list) -> None:
    c = contract_of(ctx)
    if c.payment_method is None:
        raise UserError("请先填写合同价款与付款方式")
    if c.payment_method != PaymentMethod.INSTALMENT.value:
        if rows:
            raise ValidationFailed({"list": "只有分期付款需要录入付款计划，请删除这些付款期"})
        return
    problems = check_instalments(c.total_price, [(r.due_date, r.amount) for r in rows])
    if problems:
        raise ValidationFailed({"list": "；".join(problems)})


# ----- 资金缴款通知单 (SIGN-07) --------------------------------------------------------------------


def agreement_of(session: Session, building_id: int) -> FundAgreement | None:
    return session.exec(select(FundAgreement).where(FundAgreement.building_id == building_id,
                                                    FundAgreement.status.in_(SUPERVISING))
                        .order_by(FundAgreement.id.desc())).first()


def due_of(session: Session, contract: Contract) -> Decimal:
    """The amount the payment notice asks for (ValueError before the terms are entered)."""
    if contract.payment_method is None:
        raise ValueError("请先填写合同价款与付款方式")
    first = session.exec(select(ContractInstalment.amount).where(ContractInstalment.contract_id == contract.id)
                         .order_by(ContractInstalment.ordinal)).first()
    return amount_due(contract.payment_method, contract.total_price, contract.down_payment, first)


def paid_of(session: Session, contract_id: int) -> Decimal:
    return Decimal(session.exec(select(func.coalesce(func.sum(ContractPayment.amount), 0))
                                .where(ContractPayment.contract_id == contract_id)).one())


def _payee(session: Session, contract: Contract) -> tuple[FundAgreement, SupervisionAccount]:
    agreement = agreement_of(session, contract.building_id)
    account = session.get(SupervisionAccount, agreement.account_id) if agreement and agreement.account_id else None
    if account is None:
        raise UserError("当前楼栋没有已备案的资金监管协议及监管账户，不能开具资金缴款通知单")
    return agreement, account


def notice_data(ctx: SubtaskContext) -> dict:
    c = contract_of(ctx)
    s = ctx.session
    agreement, account = _payee(s, c)
    try:
        due = due_of(s, c)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    data = contract_data(s, c)
    bank = s.get(Organization, account.bank_org_id)
    return {
        "case_number": ctx.case.number, "agreement_number": agreement.agreement_number or "",
        "payer": "、".join(b["name"] for b in data["buyers"]), "seller": data["seller"]["name"],
        "project_name": data["project_name"], "house_address": data["house_address"],
        "building_number": data["building_number"], "room_number": data["room_number"],
        "total_price": c.total_price, "payment_method": data["payment_method"], "amount_due": due,
        "account_name": account.account_name, "account_number": account.account_number,
        "opening_branch": account.opening_branch, "bank_name": bank.name if bank else "",
        "notice_date": local_date(),
    }


def notice_number(ctx: SubtaskContext) -> str:
    return f"JK{ctx.case.number[1:]}"


def notice_summary(ctx: SubtaskContext) -> dict:
    c = contract_of(ctx)
    return {"签约业务编号": ctx.case.number, "应缴金额(元)": format_money(due_of(ctx.session, c))}


def deposit(ctx: SubtaskContext, payment: ContractPayment) -> None:
    """The payment is an 入账 of the building's agreement at once (it went into its account)."""
    s = ctx.session
    c = contract_of(ctx)
    agreement, _account = _payee(s, c)
    agreement = fund_figures.locked(s, agreement.id)
    kind = {PaymentMethod.LUMP_SUM.value: LedgerType.LUMP_SUM, PaymentMethod.INSTALMENT.value: LedgerType.INSTALMENT}
    s.add(FundLedgerEntry(agreement_id=agreement.id, sale_contract_id=c.id, room_id=c.room_id,
                          kind=LedgerKind.DEPOSIT.value,
                          entry_type=kind.get(c.payment_method, LedgerType.DOWN_PAYMENT).value,
                          amount=payment.amount, entry_date=payment.paid_on, voucher_number=payment.voucher_number,
                          case_number=ctx.case.number, active=True))
    s.flush()
    fund_figures.refresh(s, agreement)


def payments_complete(ctx: SubtaskContext, rows: list) -> bool:
    try:
        due = due_of(ctx.session, contract_of(ctx))
    except ValueError:
        return False
    return payment_complete(due, [r.amount for r in rows])


def payment_figures(ctx: SubtaskContext, rows: list) -> list[tuple[str, str]]:
    try:
        due = due_of(ctx.session, contract_of(ctx))
    except ValueError as exc:
        return [("应缴金额", str(exc))]
    paid = sum((r.amount for r in rows), Decimal("0"))
    return [("应缴金额", f"{format_money(due)}元"), ("已缴金额", f"{format_money(paid)}元"),
            ("尚需缴纳", f"{format_money(due - paid)}元")]


# ----- 签订购房合同 -------------------------------------------------------------------------------


def document_data(ctx: SubtaskContext) -> dict:
    c = contract_of(ctx)
    extra = {}
    agreement = agreement_of(ctx.session, c.building_id)
    account = ctx.session.get(SupervisionAccount, agreement.account_id) if agreement and agreement.account_id else None
    if account is not None:
        bank = ctx.session.get(Organization, account.bank_org_id)
        extra["supervision_account"] = {"name": account.account_name, "number": account.account_number,
                                        "bank": bank.name if bank else ""}
    return contract_data(ctx.session, c, extra=extra)


def take_number(ctx: SubtaskContext) -> str:
    c = contract_of(ctx)
    if not c.buyers_locked or c.payment_method is None:
        raise UserError("请先完成购房人与合同价款录入")
    return entry.assign_number(ctx.session, c)


def document_summary(ctx: SubtaskContext) -> dict:
    return masked_summary(ctx.session, contract_of(ctx))


def issued(ctx: SubtaskContext, doc, variant: str) -> None:
    """The generated PDF is the contract's document; its layout decides how it is signed."""
    c = contract_of(ctx)
    c.document_id, c.variant = doc.id, variant
    ctx.session.add(c)
    ctx.session.flush()
    if c.status == ContractStatus.DRAFT.value:
        entry.move(ctx.session, c, ContractStatus.AWAITING_SIGNATURE.value)
    from netsign_console.workflow.rules import flow_for_case

    flow_for_case(ctx.case).set_data(ctx.case, variant=variant)
    ctx.session.add(ctx.case)


# ----- 签约 / 合同盖章 -----------------------------------------------------------------------------


def buyer_signers(ctx: SubtaskContext) -> list[Signer]:
    return [Signer(f"party-{p.id}", f"{'买受人' if p.role == 'buyer' else '共有人'} {p.name}", p.phone)
            for p in entry.parties_of(ctx.session, ctx.data.contract_id)]


def about_signing(ctx: SubtaskContext) -> str:
    return f"合同{contract_of(ctx).contract_number}的签署"


def on_contract(ctx: SubtaskContext) -> tuple[str, int]:
    return "contract", ctx.data.contract_id


def buyers_signed(ctx: SubtaskContext) -> None:
    c = contract_of(ctx)
    entry.move(ctx.session, c, ContractStatus.SIGNED.value)
    c.signed_at = utcnow()
    ctx.session.add(c)


def _seals(session: Session, org_id: int) -> dict[str, Seal]:
    found = {}
    for seal in session.exec(select(Seal).where(Seal.developer_org_id == org_id, Seal.active.is_(True))
                             .order_by(Seal.id)).all():
        found.setdefault(seal.kind, seal)
    return found


def _seal_phone(session: Session, seal: Seal) -> str:
    user = session.get(User, seal.authorised_user_id) if seal.authorised_user_id else None
    return (user.phone if user is not None and user.phone else None) or seal.authorised_phone or ""


def seal_signers(ctx: SubtaskContext) -> list[Signer]:
    """One code per 印章授权人 phone (one person may hold both seals: one code then)."""
    seals = _seals(ctx.session, ctx.case.org_id)
    by_phone: dict[str, list[str]] = {}
    for kind in (SealKind.COMPANY.value, SealKind.LEGAL_REP.value):
        seal = seals.get(kind)
        if seal is None:
            continue
        by_phone.setdefault(_seal_phone(ctx.session, seal), []).append(f"{SealKind.label_of(kind)}（{seal.name}）")
    return [Signer(f"seal-{i}", "印章授权人：" + "、".join(names), phone)
            for i, (phone, names) in enumerate(by_phone.items(), start=1)]


def about_seal(ctx: SubtaskContext) -> str:
    return f"合同{contract_of(ctx).contract_number}的盖章"


def check_sealable(ctx: SubtaskContext) -> str | None:
    seals = _seals(ctx.session, ctx.case.org_id)
    missing = [SealKind.label_of(k) for k in (SealKind.COMPANY.value, SealKind.LEGAL_REP.value) if k not in seals]
    return f"请先在印章管理中维护并启用{'、'.join(missing)}" if missing else None


def stamp_seals(ctx: SubtaskContext) -> None:
    """Both seals onto the contract PDF at the signature page's marks; the room is 已签约."""
    s = ctx.session
    c = contract_of(ctx)
    refusal = check_sealable(ctx)
    if refusal:
        raise UserError(refusal)
    if c.status == ContractStatus.AWAITING_SIGNATURE.value and c.variant == ContractVariant.PAPER.value:
        entry.move(s, c, ContractStatus.SIGNED.value)  # the signed scan was uploaded at 签约
        c.signed_at = utcnow()
    seals = _seals(s, ctx.case.org_id)
    doc, pdf = documents.open_pdf(s, ctx.principal, c.document_id)
    sealed = seal_pdf(pdf, {k: seal_image(v) for k, v in seals.items()})
    documents.replace_pdf(s, ctx.principal, doc, sealed, signed=False, what="盖章")
    entry.move(s, c, ContractStatus.SEALED.value)
    c.sealed_at = utcnow()
    s.add(c)
    room_claim.mark_signed(s, c.room_id)


# ----- 备案归档 ----------------------------------------------------------------------------------


def file_contract(session: Session, principal, case, contract_id_: int) -> Contract:
    """备案: the filing number, the sealed PDF signed with the filing authority's key (PAdES; the
    seals came first, so the signature covers them), the room 已备案, the contract frozen."""
    c = session.exec(select(Contract).where(Contract.id == contract_id_).with_for_update()).one()
    now = case.archived_at or utcnow()
    c.filing_number = numbering.filing_number(session, local_date(now).year)
    doc, pdf = documents.open_pdf(session, principal, c.document_id)
    from netsign_console.documents.signing import sign_pdf

    signed = sign_pdf(pdf, reason=f"商品房买卖合同备案 {c.contract_number} {c.filing_number}",
                      location=config.settings.city)
    documents.replace_pdf(session, principal, doc, signed, signed=True, what="备案签章")
    entry.move(session, c, ContractStatus.FILED.value)
    c.filed_at = now
    session.add(c)
    room_claim.mark_filed(session, c.room_id)
    return c
