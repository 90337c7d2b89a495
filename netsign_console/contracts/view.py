"""A contract's page (/contracts/<id>): its figures, PDFs and their versions, buyers, the buyers'
confirmations, the seals, the payments, the loan reviews and the signing case.

Who sees it: the regulator's side all; the developer its own; a bank or the provident-fund
centre only a contract whose signing case was routed to it (a task of its organisation exists
on the case: workflow/access.can_view_case). Everyone else gets "not found", like a missing id.
ID numbers and phones are whole for the seller and the regulator (the contract carries them),
masked for a lender.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from models.building import Building, Room
from models.contract import Contract, ContractKind, ContractPayment, ContractStatus, ContractVariant, IdType, PartyRole
from models.document import Document, DocumentStatus
from models.enums import PaymentMethod
from models.organization import Organization
from models.seal import Seal, SealKind
from models.workflow import Case, CaseSubtask, Task
from netsign_console.auth.principal import Principal
from netsign_console.contracts.entry import parties_of
from netsign_console.documents import display_code
from netsign_console.domain.loan import loan_base
from netsign_console.domain.money import format_area, format_money
from netsign_console.domain.validators import mask_id_number, mask_mobile
from netsign_console.errors import NOT_FOUND, PermissionDenied
from netsign_console.workflow.access import can_view_case
from netsign_console.workflow.times import format_local

REVIEW_STAGES = {"fund_review": "公积金中心审核", "bank_review": "按揭银行审核", "filing": "备案归档"}


@dataclass(frozen=True)
class DocLine:
    id: int
    title: str
    version: int
    status: str
    code: str
    issued: str
    sha256: str
    signed: bool


@dataclass(frozen=True)
class ContractView:
    id: int
    number: str
    status: str
    case_number: str
    rows: list[tuple[str, str]]
    documents: list[DocLine]
    buyers: list[list[str]]  # 身份, 姓名, 证件类型, 证件号码, 手机号, 份额
    confirmations: list[list[str]]  # 签署人, 确认时间
    seals: list[list[str]]  # 印章, 名称, 盖章时间
    payments: list[list[str]]  # 日期, 金额, 凭证号
    reviews: list[list[str]]  # 环节, 机构, 结论, 意见, 时间
    full_personal_data: bool = field(default=False)


def _org(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def _when(moment: datetime | None) -> str:
    return format_local(moment) if moment else ""


def visible_contract(session: Session, principal: Principal, contract_id: object) -> tuple[Contract, Case | None, bool]:
    """(contract, its case, whether personal data is shown whole) or PermissionDenied."""
    try:
        c = session.get(Contract, int(str(contract_id)))
    except (TypeError, ValueError):
        c = None
    if c is None:
        raise PermissionDenied(NOT_FOUND)
    case = session.exec(select(Case).where(Case.number == c.case_number)).first()
    own = principal.sees_all_organizations or (principal.org_id is not None and principal.org_id == c.developer_org_id)
    if not own and not (case is not None and can_view_case(session, principal, case)):
        raise PermissionDenied(NOT_FOUND)
    return c, case, own


def _documents(session: Session, c: Contract, case: Case | None) -> list[DocLine]:
    docs: list[Document] = []
    if case is not None:
        docs = list(session.exec(select(Document).where(Document.case_id == case.id).order_by(Document.id)).all())
    elif c.document_id:
        docs = [session.get(Document, c.document_id)]
    return [DocLine(d.id, d.title, d.version, DocumentStatus.label_of(d.status), display_code(d.verification_code),
                    _when(d.created_at), d.sha256, d.signed) for d in docs]


def _confirmations(session: Session, case: Case | None) -> list[list[str]]:
    if case is None:
        return []
    out = []
    for row in session.exec(select(CaseSubtask).where(CaseSubtask.case_id == case.id,
                                                      CaseSubtask.code == "codes-contract_signing")).all():
        for key, when in ((row.data or {}).get("confirmed") or {}).items():
            out.append([key, format_local(datetime.fromisoformat(when))])
    return out


def _reviews(session: Session, case: Case | None) -> list[list[str]]:
    if case is None:
        return []
    tasks = session.exec(select(Task).where(Task.case_id == case.id, Task.stage.in_(REVIEW_STAGES))
                         .order_by(Task.id)).all()
    decided = {"approve": "通过", "reject": "不通过"}
    return [[REVIEW_STAGES[t.stage], _org(session, t.org_id) or "主管部门",
             decided.get(t.decision or "", "办理中" if t.status == "open" else "已办理"),
             t.opinion or "", _when(t.finished_at)] for t in tasks]


def contract_view(session: Session, principal: Principal, contract_id: object) -> ContractView:
    c, case, full = visible_contract(session, principal, contract_id)
    room = session.get(Room, c.room_id)
    building = session.get(Building, c.building_id)
    rows = [
        ("合同编号", c.contract_number or "（生成合同时编号）"), ("合同类型", ContractKind.label_of(c.kind)),
        ("合同形式", ContractVariant.label_of(c.variant)), ("合同状态", ContractStatus.label_of(c.status)),
        ("出卖人", _org(session, c.developer_org_id)),
        ("房屋", f"{building.building_number}栋 {room.room_number}（{building.address or ''}）"),
        ("建筑面积(m²)", format_area(c.gross_area)), ("单价(元/m²)", format_money(c.unit_price)),
        ("合同总价(元)", format_money(c.total_price)), ("付款方式", PaymentMethod.label_of(c.payment_method)),
    ]
    if c.commercial_loan_amount:
        rows += [("商业贷款(元)", format_money(c.commercial_loan_amount)),
                 ("按揭银行", _org(session, c.mortgage_bank_org_id))]
    if c.fund_loan_amount:
        rows += [("公积金贷款(元)", format_money(c.fund_loan_amount)),
                 ("公积金中心", _org(session, c.fund_center_org_id))]
    if c.appraisal_price is not None:
        rows += [("评估价(元)", format_money(c.appraisal_price)),
                 ("贷款基数(元)", format_money(loan_base(c.total_price, c.appraisal_price)))]
    rows += [("签署时间", _when(c.signed_at)), ("盖章时间", _when(c.sealed_at)), ("备案号", c.filing_number or ""),
             ("备案时间", _when(c.filed_at))]
    if c.unwound_at:
        rows += [("退房时间", _when(c.unwound_at)), ("退房业务编号", c.unwind_case_number or "")]
    buyers = [[PartyRole.label_of(p.role), p.name, IdType.label_of(p.id_type),
               p.id_number if full else mask_id_number(p.id_number), p.phone if full else mask_mobile(p.phone),
               f"{p.share}%"] for p in parties_of(session, c.id)]
    names = {f"party-{p.id}": p.name for p in parties_of(session, c.id)}
    confirmations = [[names.get(k, k), when] for k, when in _confirmations(session, case)]
    seals = []
    if c.sealed_at:
        for seal in session.exec(select(Seal).where(Seal.developer_org_id == c.developer_org_id,
                                                    Seal.active.is_(True)).order_by(Seal.id)).all():
            seals.append([SealKind.label_of(seal.kind), seal.name, _when(c.sealed_at)])
    payments = [[f"{p.paid_on:%Y-%m-%d}", format_money(p.amount), p.voucher_number] for p in session.exec(
        select(ContractPayment).where(ContractPayment.contract_id == c.id).order_by(ContractPayment.id)).all()]
    return ContractView(c.id, c.contract_number or "", ContractStatus.label_of(c.status), c.case_number, rows,
                        _documents(session, c, case), buyers, confirmations, seals, payments,
                        _reviews(session, case), full)
