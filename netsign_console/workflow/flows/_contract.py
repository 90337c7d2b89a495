"""What 预售签约 (F, on a 预售许可证) and 现房签约 (H, on a 现售许可证) share (SIGN-01 to SIGN-17):

受理 (a room by permit number + room number; every signing check, then the room claimed
可售 → 签约中 under its row lock and the draft contract written, in the acceptance's
transaction) → 购房合同录入 (buyers and co-owners, locked once saved; price and payment method;
schedule; 资金缴款通知单 printed and paid in full; the contract generated) → 签约 (electronic:
each buyer's code; paper: the signed scan) → 合同盖章 (the seal holders' codes, the seals
stamped; room 已签约) → loan reviews by the payment method (SIGN-15) → 备案归档 (filing number,
the PDF signed, room 已备案, the contract frozen). 取消受理 withdraws the contract: room 可售.

Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field
from sqlalchemy import and_, or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from models.building import Building, Room
from models.contract import Contract, ContractStatus
from models.enums import PaymentMethod, Role, TradeStatus
from models.permit import Permit, PermitRoom, PermitStatus
from models.project import Project
from models.workflow import Case
from netsign_console.admin.prefix import prefix_match
from netsign_console.contracts import entry, flow_steps as steps
from netsign_console.domain.loan import BANK, FUND_CENTER, loan_base, review_route
from netsign_console.domain.money import format_area, format_money
from netsign_console.errors import UserError
from netsign_console.services.saleability import signing_refusal_of
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start, Switch
from netsign_console.workflow.routing import initiating_org, org_from_data
from netsign_console.workflow.subjects import SEARCH_LIMIT, SubjectKind, subject_kind
from netsign_console.workflow.subtasks import (
    CodeStep, DocumentStep, FormStep, RecordListStep, UploadStep,
)

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
PRESALE, SPOT = "presale_contract_signing", "spot_contract_signing"
TERMS = ("payment_method", "agreed_total", "commercial_loan_amount", "mortgage_bank_org_id", "fund_loan_amount",
         "fund_center_org_id", "delivery_date")
SHOWN_TERMS = ("unit_price", "gross_area", "computed_total", *TERMS, "total_price", "down_payment", "mortgagor")
BUYER_FIELDS = ("role", "name", "id_type", "id_number", "phone", "address", "share")


class ContractData(CaseData):
    room_id: int = Field(title="户室")
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    contract_id: int | None = Field(default=None, title="合同")
    # Copied from the contract when its terms are saved: the routing reads them (SIGN-15).
    payment_method: str | None = Field(default=None, title="付款方式")
    bank_org_id: int | None = Field(default=None, title="按揭银行")
    fund_center_org_id: int | None = Field(default=None, title="公积金中心")
    variant: str = Field(default="electronic", title="合同形式")


# ----- the subject: a room by permit number + room number ------------------------------------------


def _permit_number(session: Session, room: Room, sale_kind: str) -> str:
    return session.exec(select(Permit.number).join(PermitRoom, PermitRoom.permit_id == Permit.id).where(
        PermitRoom.room_id == room.id, Permit.kind == sale_kind, Permit.status != PermitStatus.CANCELLED.value)
        .order_by(Permit.id.desc())).first() or ""


def _room_rows(sale_kind: str):
    def rows(session: Session, room: Room) -> list[tuple[str, str]]:
        b = session.get(Building, room.building_id)
        p = session.get(Project, room.project_id)
        refusal = signing_refusal_of(session, room, sale_kind)
        return [
            ("许可证号", _permit_number(session, room, sale_kind) or "（无有效许可证）"),
            ("项目名称", p.name if p else ""),
            ("栋号", b.building_number if b else ""),
            ("坐落", (b.address or "") if b else ""),
            ("单元 / 实际层 / 室号", f"{room.unit or '-'} / {room.actual_floor} / {room.room_number}"),
            ("建筑面积(m²)", format_area(room.gross_area) if room.gross_area is not None else ""),
            ("套内面积(m²)", format_area(room.inner_area) if room.inner_area is not None else ""),
            ("销售单价(元/m²)", format_money(room.sale_price) if room.sale_price is not None else "未备案"),
            ("交易状态", TradeStatus.label_of(room.trade_status)),
            ("能否签约", refusal or "可以签约"),
        ]
    return rows


def _room_title(sale_kind: str):
    def title(room: Room) -> str:
        session = object_session(room)
        b = session.get(Building, room.building_id) if session is not None else None
        label = f"{_permit_number(session, room, sale_kind) if session else ''} {b.building_number if b else ''}栋 {room.room_number}"
        refusal = signing_refusal_of(session, room, sale_kind) if session is not None else None
        return label.strip() + (f"（不可签约：{refusal}）" if refusal else "")
    return title


def _room_key(room: Room) -> str:
    session = object_session(room)
    b = session.get(Building, room.building_id) if session is not None else None
    return f"{b.building_number if b else room.building_id}-{room.room_number}"


@dataclass(frozen=True)
class RoomKind(SubjectKind):
    """Typed "许可证号 室号" (or either alone): the rooms of the user's scope whose permit number
    and room number start so; each result names its refusal, if any (PERMIT-03)."""

    sale_kind: str = "presale"

    def search(self, session, principal, term, limit=SEARCH_LIMIT):
        from netsign_console.workflow.subjects import SubjectOption

        words = (term or "").strip()[:50].split()
        if not words:
            return []
        permitted = select(PermitRoom.room_id).join(Permit, Permit.id == PermitRoom.permit_id).where(
            Permit.kind == self.sale_kind, Permit.status != PermitStatus.CANCELLED.value)
        stmt = self._base(principal)
        if len(words) >= 2:
            stmt = stmt.where(Room.id.in_(permitted.where(prefix_match(Permit.number, words[0]))),
                              prefix_match(Room.room_number, words[1]))
        else:
            stmt = stmt.where(or_(Room.id.in_(permitted.where(prefix_match(Permit.number, words[0]))),
                                  and_(prefix_match(Room.room_number, words[0]), Room.id.in_(permitted))))
        stmt = stmt.order_by(Room.building_id, Room.room_number, Room.id).limit(min(limit, SEARCH_LIMIT))
        return [SubjectOption(r.id, self.title_of(r), self.key_of(r)) for r in session.exec(stmt).all()]


def room_kind(code: str, sale_kind: str, label: str) -> RoomKind:
    return subject_kind(RoomKind(
        code=code, label=label, model=Room, title_of=_room_title(sale_kind),
        key_of=_room_key, describe_rows=_room_rows(sale_kind),
        where=lambda principal: [Room.retired.is_(False)], list_first=False,
        placeholder="输入许可证号和室号，如 2026-0001 1-1001", sale_kind=sale_kind))


PRESALE_ROOM = room_kind("presale_room", "presale", "预售户室")
SPOT_ROOM = room_kind("spot_sale_room", "spot_sale", "现售户室")


def room_data(ctx: AcceptContext) -> dict:
    r = ctx.subject
    return {"room_id": r.id, "building_id": r.building_id, "project_id": r.project_id}


def signable(sale_kind: str):
    def check(ctx: AcceptContext) -> str | None:
        return signing_refusal_of(ctx.session, ctx.subject, sale_kind)
    check.__name__ = f"signable_{sale_kind}"
    return check


# ----- loan reviews (SIGN-15, FIN-01/02) ----------------------------------------------------------


def routes_to(first: str):
    def predicate(d: ContractData) -> bool:
        return bool(d.payment_method) and review_route(d.payment_method)[:1] == (first,)
    predicate.__name__ = f"first_review_{first}"
    return predicate


def then_bank(d: ContractData) -> bool:
    return d.payment_method == PaymentMethod.COMBINED_LOAN.value


def electronic(d: ContractData) -> bool:
    return d.variant != "paper"


def loan_form(title: str, fields: tuple[str, ...], code: str) -> FormStep:
    return FormStep(title, admin="contract-loans", record=steps.contract_id, fields=fields, required_fields=(),
                    code=code, required=False)


BANK_ORG = org_from_data("bank_org_id", what="按揭银行（抵押权人）")
FUND_ORG = org_from_data("fund_center_org_id", what="公积金中心（抵押权人）")


def loan_table(session: Session, c: Contract) -> list[tuple[str, str]]:
    base = loan_base(c.total_price, c.appraisal_price)
    return [("合同总价(元)", format_money(c.total_price)),
            ("评估价(元)", format_money(c.appraisal_price) if c.appraisal_price is not None else "未录入"),
            ("贷款基数(元)", format_money(base) + ("（合同价与评估价孰低）" if c.appraisal_price is not None else "（未录入评估价，按合同价）"))]


# ----- the flow base ------------------------------------------------------------------------------


PRESALE_HINT = ("输入预售许可证号和室号查找户室（不能签约的户室会注明原因）；受理即锁定户室为签约中。受理后录入购房人、"
                "价款与付款方式，开具资金缴款通知单并登记缴款，生成合同，买受人短信确认签署，开发企业盖章后按付款方式送审、备案。")


def entry_stage(document_kind: str) -> Stage:
    return Stage("购房合同录入", DEVELOPER, org=initiating_org, subtasks=(
        RecordListStep("买受人及共有人", admin="contract-buyers", parent=steps.of_contract, fields=BUYER_FIELDS,
                       min_rows=1, locked=steps.buyers_locked, finish=steps.lock_buyers),
        FormStep("合同价款与付款方式", admin="contract-terms", record=steps.contract_id, fields=SHOWN_TERMS,
                 required_fields=("payment_method", "total_price"), derive=steps.terms_data),
        RecordListStep("分期付款计划", admin="contract-instalments", parent=steps.of_contract,
                       fields=("due_date", "amount", "note"), min_rows=steps.instalments_needed,
                       finish=steps.check_schedule, code="list-instalments"),
        DocumentStep("资金缴款通知单", document_kind=steps.PAYMENT_NOTICE, data=steps.notice_data,
                     number=steps.notice_number, summary=steps.notice_summary, code="document-notice"),
        RecordListStep("缴款登记", admin="contract-payments", parent=steps.of_contract,
                       fields=("paid_on", "amount", "voucher_number", "remarks"), editable=False, removable=False,
                       after_add=steps.deposit, done=steps.payments_complete, figures=steps.payment_figures,
                       code="list-payments"),
        DocumentStep("签订购房合同", document_kind=document_kind, data=steps.document_data, number=steps.take_number,
                     summary=steps.document_summary, on_issue=steps.issued, code="document-contract"),
    ))


def nodes(document_kind: str, subject: str, hint: str, sale_kind: str) -> dict:
    """The flow's nodes in order (the modules assign them as class attributes)."""
    return dict(
        start=Start(DEVELOPER, subject=subject, checks=(signable(sale_kind),), initial_data=room_data, hint=hint),
        entry=entry_stage(document_kind),
        sign_switch=Switch(("esign", electronic), default="paper_sign"),
        esign=Stage("签约（电子签名）", DEVELOPER, org=initiating_org, next="sealing", subtasks=(
            CodeStep("买受人签署确认", signers=steps.buyer_signers, purpose="contract_signing",
                     subject=steps.on_contract, about=steps.about_signing, on_complete=steps.buyers_signed),
        )),
        paper_sign=Stage("签约（纸质合同）", DEVELOPER, org=initiating_org, subtasks=(
            UploadStep("上传签字后的合同扫描件", kinds={"signed_scan": "签字合同扫描件"}),
        )),
        sealing=Stage("合同盖章", DEVELOPER, org=initiating_org, point_of_no_return=True, subtasks=(
            CodeStep("印章授权确认", signers=steps.seal_signers, purpose="seal_authorisation",
                     subject=steps.on_contract, about=steps.about_seal, on_complete=steps.stamp_seals),
        )),
        loan_switch=Switch(("fund_review", routes_to(FUND_CENTER)), ("bank_review", routes_to(BANK)),
                           default="filing"),
        fund_review=Review("公积金中心审核", (Role.PROVIDENT_FUND_CENTER,), org=FUND_ORG, on_reject="entry",
                           opinion_required_for=("reject",), subtasks=(
                               loan_form("评估价与贷款基数", ("appraisal_price", "fund_loan_amount"), "form-fund-loan"),)),
        after_fund=Switch(("bank_review", then_bank), default="filing"),
        bank_review=Review("按揭银行审核", (Role.MORTGAGE_BANK,), org=BANK_ORG, on_reject="entry",
                           opinion_required_for=("reject",), subtasks=(
                               loan_form("抵押信息与评估价", ("mortgagor", "appraisal_price", "commercial_loan_amount"),
                                         "form-bank-loan"),)),
        filing=Review("备案归档", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",)),
        end=End("备案归档"),
    )


class ContractFlow(Flow, register=False):
    """预售签约 / 现房签约: the modules give the prefix, the subject kind and the template kind."""

    category = "商品房签约"
    data_model = ContractData
    sale_kind = "presale"

    start = Start(DEVELOPER, subject=PRESALE_ROOM.code, checks=(signable("presale"),), initial_data=room_data,
                  hint=PRESALE_HINT)
    entry = entry_stage("presale_contract")
    sign_switch = Switch(("esign", electronic), default="paper_sign", title="电子合同 / 纸质合同")
    esign = Stage("签约（电子签名）", DEVELOPER, org=initiating_org, next="sealing", subtasks=(
        CodeStep("买受人签署确认", signers=steps.buyer_signers, purpose="contract_signing",
                 subject=steps.on_contract, about=steps.about_signing, on_complete=steps.buyers_signed),
    ))
    paper_sign = Stage("签约（纸质合同）", DEVELOPER, org=initiating_org, subtasks=(
        UploadStep("上传签字后的合同扫描件", kinds={"signed_scan": "签字合同扫描件"}),
    ))
    sealing = Stage("合同盖章", DEVELOPER, org=initiating_org, subtasks=(
        CodeStep("印章授权确认", signers=steps.seal_signers, purpose="seal_authorisation",
                 subject=steps.on_contract, about=steps.about_seal, on_complete=steps.stamp_seals),
    ))
    loan_switch = Switch(("fund_review", routes_to(FUND_CENTER)), ("bank_review", routes_to(BANK)), default="filing",
                         title="付款方式：公积金/组合贷 → 公积金中心，商业贷款 → 按揭银行，其他 → 备案")
    fund_review = Review("公积金中心审核", (Role.PROVIDENT_FUND_CENTER,), org=FUND_ORG, on_reject="rejected",
                         opinion_required_for=("reject",),
                         subtasks=(loan_form("评估价与贷款基数", ("appraisal_price", "fund_loan_amount"), "form-fund-loan"),))
    after_fund = Switch(("bank_review", then_bank), default="filing", title="组合贷 → 按揭银行")
    bank_review = Review("按揭银行审核", (Role.MORTGAGE_BANK,), org=BANK_ORG, on_reject="rejected",
                         opinion_required_for=("reject",),
                         subtasks=(loan_form("抵押信息与评估价", ("mortgagor", "appraisal_price", "commercial_loan_amount"),
                                             "form-bank-loan"),))
    filing = Review("备案归档", (Role.REGULATOR,), on_reject="rejected", opinion_required_for=("reject",))
    end = End("备案归档")
    rejected = End("不予备案")

    def contract(self, session: Session, case: Case) -> Contract:
        return session.exec(select(Contract).where(Contract.id == self.data_of(case).contract_id)
                            .with_for_update()).one()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        try:
            c = entry.open_contract(session, subject.id, case_number=case.number, kind=self.sale_kind)
        except UserError as exc:
            raise UserError(str(exc), "subject") from None
        self.set_data(case, contract_id=c.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        c = self.contract(session, case)
        if c.status in (ContractStatus.DRAFT.value, ContractStatus.AWAITING_SIGNATURE.value,
                        ContractStatus.SIGNED.value, ContractStatus.SEALED.value):
            entry.withdraw(session, c)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        if decision == "reject":  # 不予备案 / a lender refused: the contract is void, the room 可售
            entry.withdraw(session, self.contract(session, case))
            return
        steps.file_contract(session, self.principal, case, self.data_of(case).contract_id)

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        data = self.data_of(case)
        c = session.get(Contract, data.contract_id) if data.contract_id else None
        rows = super().describe_subject(session, case)
        if c is None:
            return rows
        rows = [r for r in rows if r[0] != "能否签约"]
        rows += [("合同编号", c.contract_number or "（生成合同时编号）"), ("合同状态", ContractStatus.label_of(c.status)),
                 ("合同总价(元)", format_money(c.total_price)), ("付款方式", PaymentMethod.label_of(c.payment_method))]
        if c.payment_method and review_route(c.payment_method):
            rows += loan_table(session, c)[1:]  # the total is already there
        if c.filing_number:
            rows.append(("备案号", c.filing_number))
        rows.append(("合同页面", f"/contracts/{c.id}"))
        return rows
