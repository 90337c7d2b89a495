"""What the fund-supervision agreement flows share (FUND-01 to FUND-05, FUND-11, FUND-12; prefix Z):
协议签订, 协议变更, 协议补录 and 解除监管.

签订: a building → 受理 (the agreement row, 申请中) → 协议录入 (监管户室 on the grid, the key amount
computed as they are picked; the supervision account from the developer's own, or added on the
spot; 实际工程进度 and 项目预售总额) → 编辑协议书 (the PDF, amount in figures and 大写) → 协议备案 →
主管部门审核 → 监管银行审核 (routed to the bank holding the account only) → 归档: 已备案.
变更: the same on a draft row, after 原资金监管信息; the archive gives the agreement a new version.
补录: every room 监管 or 不监管, the signed paper agreement uploaded; the bank reviews first.
The review order is the flows' data (the order their nodes are declared in).

Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import Field
from sqlalchemy import or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from models.bank import SupervisionAccount
from models.building import Building, Room
from models.enums import Role
from models.fund import AgreementStatus, FundAgreement, FundAgreementRoom
from models.organization import Organization
from models.project import Project
from models.workflow import Case, CaseStatus, CaseSubtask
from netsign_console.domain.money import format_area, format_money
from netsign_console.fund import figures as fund_figures
from netsign_console.fund import key as fund_key
from netsign_console.fund.scope import visible
from netsign_console.numbering import yearly_number
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, Review
from netsign_console.workflow.routing import org_from_data
from netsign_console.workflow.rules import flow_for_case
from netsign_console.workflow.subject_kinds import building_label
from netsign_console.workflow.subjects import SubjectKind, subject_kind
from netsign_console.workflow.subtasks import SubtaskContext, Table
from netsign_console.workflow.times import local_date

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
SIGNING, CHANGE, BACKFILL, RELEASE = ("fund_agreement_signing", "fund_agreement_change", "fund_agreement_backfill",
                                      "fund_release")
LEDGER, WITHDRAWAL = "fund_ledger_backfill", "fund_withdrawal"
AGREEMENT_CODES = (SIGNING, CHANGE, BACKFILL, RELEASE)
SUBJECT = "fund_agreement"
SUPERVISING_BANK = org_from_data("bank_org_id", what="监管银行")


class FundData(CaseData):
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    # The agreement the case is about; 签订 / 补录: the row written at 受理.
    agreement_id: int | None = Field(default=None, title="监管协议")
    # 变更: the draft row holding the proposed terms until the archive copies them over.
    draft_id: int | None = Field(default=None, title="变更草稿")
    account_id: int | None = Field(default=None, title="监管账户")
    bank_org_id: int | None = Field(default=None, title="监管银行")
    supervised_ids: list[int] = Field(default_factory=list, title="监管户室")
    # 一般资金支取 / 户室流水补录: the row written at 受理.
    withdrawal_id: int | None = Field(default=None, title="支取申请")
    contract_id: int | None = Field(default=None, title="合同")
    deposit_id: int | None = Field(default=None, title="入账流水")
    refund_id: int | None = Field(default=None, title="退款流水")


# ----- what tables and the subject show ------------------------------------------------------------


def org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def money(value: Decimal | None) -> str:
    return f"{format_money(value)}元" if value is not None else ""


def agreement_rows(session: Session, a: FundAgreement) -> list[tuple[str, str]]:
    b = session.get(Building, a.building_id)
    p = session.get(Project, a.project_id)
    account = session.get(SupervisionAccount, a.account_id) if a.account_id else None
    return [
        ("监管协议号", a.agreement_number or "（生成协议书时编号）"),
        ("项目名称", p.name if p else ""),
        ("栋号", building_label(b) if b else ""),
        ("坐落", (b.address or "") if b else ""),
        ("开发企业", org_name(session, a.developer_org_id)),
        ("监管银行", org_name(session, a.bank_org_id)),
        ("监管账户名称", account.account_name if account else ""),
        ("监管账号", account.account_number if account else ""),
        ("开户行", account.opening_branch if account else ""),
        ("实际工程进度", a.construction_progress or ""),
        ("项目预售总额", money(a.presale_total)),
        ("重点监管资金", money(a.key_amount)),
        ("监管户数 / 可售户数", f"{a.supervised_count} / {a.saleable_count}"),
        ("状态", AgreementStatus.label_of(a.status)),
        ("版本", f"第{a.version}版"),
        ("签订时间", f"{a.signed_on:%Y-%m-%d}" if a.signed_on else ""),
    ]


def figure_rows(a: FundAgreement) -> list[tuple[str, str]]:
    return [("监管资金总额", money(a.total_supervised)), ("入账金额", money(a.deposited)),
            ("已拨付", money(a.disbursed)), ("退款金额", money(a.refunded)), ("协议余额", money(a.balance)),
            ("重点监管资金", money(a.key_amount)), ("在途支取（冻结）", money(a.frozen)),
            ("可拨付", money(a.disbursable))]


def _title(a: FundAgreement) -> str:
    session = object_session(a)
    b = session.get(Building, a.building_id) if session is not None else None
    where = building_label(b) if b is not None else ""
    return f"{a.agreement_number or ''} {where} 预售资金监管协议".strip()


@dataclass(frozen=True)
class AgreementKind(SubjectKind):
    """The agreement's own scope (netsign_console/fund/scope.py): a developer finds its own."""

    def _base(self, principal):
        stmt = select(self.model)
        clause = visible(self.model, principal)
        if clause is not None:
            stmt = stmt.where(clause)
        for condition in self.where(principal):
            stmt = stmt.where(condition)
        return stmt


AGREEMENT = subject_kind(AgreementKind(
    code=SUBJECT,
    label="预售资金监管协议",
    model=FundAgreement,
    prefix_columns=("agreement_number",),
    search_also=lambda term: [FundAgreement.building_id.in_(select(Building.id).where(or_(
        Building.building_number.startswith(term, autoescape=True), Building.address.contains(term, autoescape=True))))],
    title_of=_title,
    key_of=lambda a: a.agreement_number or str(a.id),
    describe_rows=lambda session, a: agreement_rows(session, a) + figure_rows(a),
    where=lambda principal: [FundAgreement.status == AgreementStatus.FILED.value],
    org_of=lambda a: a.developer_org_id,
    order_by=("id",),
    placeholder="输入监管协议号或栋号",
))


# ----- who may apply ------------------------------------------------------------------------------


def open_case(session: Session, codes: tuple[str, ...], subject_type: str, subject_id: int) -> str | None:
    return session.exec(select(Case.number).where(
        Case.case_type.in_(codes), Case.subject_type == subject_type, Case.subject_id == subject_id,
        Case.status == CaseStatus.ACTIVE)).first()


def survey_filed(ctx: AcceptContext) -> str | None:
    if not ctx.subject.survey_case_number:
        return "该楼栋的测绘成果尚未备案，不能签订预售资金监管协议"
    return None


def no_agreement_yet(ctx: AcceptContext) -> str | None:
    held = ctx.session.exec(select(FundAgreement.agreement_number).where(
        FundAgreement.building_id == ctx.subject.id,
        FundAgreement.status.in_((AgreementStatus.FILED.value, AgreementStatus.RELEASING.value)))).first()
    if held is not None:
        return f"该楼栋已有预售资金监管协议（{held}），请办理协议变更"
    number = open_case(ctx.session, (SIGNING, BACKFILL), "building", ctx.subject.id)
    return f"该楼栋已有正在办理的资金监管协议业务（{number}）" if number else None


def no_open_agreement_case(ctx: AcceptContext) -> str | None:
    number = open_case(ctx.session, (CHANGE, RELEASE), SUBJECT, ctx.subject.id)
    return f"该监管协议已有正在办理的变更或解除业务（{number}），请办结后再申请" if number else None


def building_data(ctx: AcceptContext) -> dict:
    return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id}


def supervised_of(session: Session, agreement_id: int) -> list[int]:
    return list(session.exec(select(FundAgreementRoom.room_id).where(
        FundAgreementRoom.agreement_id == agreement_id, FundAgreementRoom.supervised.is_(True))
        .order_by(FundAgreementRoom.room_id)).all())


def agreement_data(ctx: AcceptContext) -> dict:
    a = ctx.subject
    return {"building_id": a.building_id, "project_id": a.project_id, "agreement_id": a.id,
            "account_id": a.account_id, "bank_org_id": a.bank_org_id,
            "supervised_ids": supervised_of(ctx.session, a.id)}


# ----- the sub-tasks ------------------------------------------------------------------------------


def terms_id(ctx: SubtaskContext) -> int | None:
    """The row the case's 协议录入 edits: the change's draft, else the agreement."""
    return ctx.data.draft_id or ctx.data.agreement_id


def building_rooms(ctx: SubtaskContext):
    return (Room.building_id == ctx.data.building_id) & Room.retired.is_(False)


def may_supervise(ctx: SubtaskContext, room: Room) -> str | None:
    return None if fund_key.supervisable(room.designation) else "物管用房不纳入资金监管"


def _key(session: Session, data, supervised_ids, presale_total) -> fund_key.KeyFigure:
    return fund_key.compute(fund_key.building_rooms(session, data.building_id), supervised_ids, presale_total,
                            params=fund_key.parameters(session))


def pick_figures(ctx: SubtaskContext, ids: list[int]) -> list[tuple[str, str]]:
    """The key amount of the rooms being picked, before they are saved (FUND-02: never typed)."""
    terms = ctx.session.get(FundAgreement, terms_id(ctx))
    k = _key(ctx.session, ctx.data, ids, terms.presale_total if terms else None)
    return [("监管户数", f"{k.supervised_count}户（共{k.room_count}户）"),
            ("监管面积", f"{format_area(k.supervised_area)}m²"),
            ("重点监管资金", money(k.amount) if k.amount is not None else k.missing),
            ("计算规则", fund_key.rule_text(k))]


def key_amount_of(session: Session, terms: FundAgreement) -> Decimal | None:
    """The admin's computed 重点监管资金 of a row a case is editing (its case names the rooms)."""
    case = session.exec(select(Case).where(Case.number == terms.case_number)).first()
    if case is None:
        return terms.key_amount
    data = flow_for_case(case).data_of(case)
    return _key(session, data, data.supervised_ids, terms.presale_total).amount


def supervision_accounts(ctx: SubtaskContext):
    return (SupervisionAccount.organization_id == ctx.case.org_id) & SupervisionAccount.is_active.is_(True)


def bank_of_account(ctx: SubtaskContext, chosen: dict) -> dict:
    account = chosen.get("")
    return {"bank_org_id": account.bank_org_id if account is not None else None}


def account_defaults(ctx: SubtaskContext) -> dict:
    return {"organization_id": ctx.case.org_id}


def account_label(ctx: SubtaskContext, account: SupervisionAccount) -> str:
    return f"{account.account_name}（{org_name(ctx.session, account.bank_org_id)} {account.account_number}）"


def rooms_table(ctx: SubtaskContext) -> Table:
    """Every room of the building, 监管 or 不监管 (FUND-11: all of them decided before saving)."""
    picked = set(ctx.data.supervised_ids)
    rows = ctx.session.exec(select(Room).where(building_rooms(ctx))
                            .order_by(Room.unit, Room.actual_floor, Room.room_number)).all()
    terms = ctx.session.get(FundAgreement, terms_id(ctx))
    k = _key(ctx.session, ctx.data, picked, terms.presale_total if terms else None)
    return Table(("室号", "建筑面积(m²)", "是否监管"),
                 tuple((r.room_number, format_area(r.gross_area), "监管" if r.id in picked else "不监管") for r in rows),
                 f"共{k.room_count}户，监管{k.supervised_count}户，重点监管资金"
                 f"{money(k.amount) if k.amount is not None else k.missing}（{fund_key.rule_text(k)}）")


def original_table(ctx: SubtaskContext) -> Table:
    a = ctx.session.get(FundAgreement, ctx.data.agreement_id)
    return Table(("项目", "内容"), tuple(agreement_rows(ctx.session, a) + figure_rows(a)),
                 "变更归档后协议生成新版本，原协议书在线查验显示已变更")


def take_number(ctx: SubtaskContext) -> str:
    """The agreement number: a change keeps it; the first generation takes the year's next."""
    terms = ctx.session.get(FundAgreement, terms_id(ctx))
    if terms.agreement_number:
        return terms.agreement_number
    number, _sequence = yearly_number(ctx.session, "fund-agreement", local_date().year)
    terms.agreement_number = f"JG{number}"
    ctx.session.add(terms)
    return terms.agreement_number


def document_data(ctx: SubtaskContext) -> dict:
    s = ctx.session
    terms = s.get(FundAgreement, terms_id(ctx))
    b = s.get(Building, ctx.data.building_id)
    p = s.get(Project, ctx.data.project_id)
    account = s.get(SupervisionAccount, ctx.data.account_id) if ctx.data.account_id else None
    picked = set(ctx.data.supervised_ids)
    k = _key(s, ctx.data, picked, terms.presale_total)
    rooms = s.exec(select(Room).where(building_rooms(ctx)).order_by(Room.unit, Room.actual_floor, Room.room_number)).all()
    return {
        "agreement_number": terms.agreement_number or "（生成时编号）",
        "developer_name": org_name(s, b.developer_org_id),
        "bank_name": org_name(s, ctx.data.bank_org_id),
        "project_name": p.name if p else "",
        "location": b.address or (p.location if p else ""),
        "building_number": b.building_number,
        "account_name": account.account_name if account else "",
        "account_number": account.account_number if account else "",
        "opening_branch": account.opening_branch if account else "",
        "construction_progress": terms.construction_progress or "",
        "presale_total": terms.presale_total if terms.presale_total is not None else Decimal("0.00"),
        "key_amount": k.amount if k.amount is not None else Decimal("0.00"),
        "key_rule": fund_key.rule_text(k),
        "supervised_count": k.supervised_count,
        "room_count": k.room_count,
        "supervised_area": k.supervised_area,
        "sign_date": local_date(),
        "rooms": [{"unit": r.unit or "", "room_number": r.room_number, "gross_area": r.gross_area,
                   "supervised": r.id in picked} for r in rooms],
    }


def document_summary(ctx: SubtaskContext) -> dict:
    d = document_data(ctx)
    return {"开发企业": d["developer_name"], "监管银行": d["bank_name"], "项目名称": d["project_name"],
            "楼栋": d["building_number"], "监管户数": f"{d['supervised_count']}户",
            "重点监管资金": f"{format_money(d['key_amount'])}元"}


def current_document(ctx: SubtaskContext) -> int | None:
    a = ctx.session.get(FundAgreement, ctx.data.agreement_id) if ctx.data.agreement_id else None
    return a.document_id if a is not None else None


# ----- the reviews and the flow base --------------------------------------------------------------


def regulator_review(on_reject: str = "entry") -> Review:
    return Review("主管部门审核", (Role.REGULATOR,), on_reject=on_reject, opinion_required_for=("approve", "reject"))


def bank_review(on_reject: str = "entry") -> Review:
    return Review("监管银行审核", (Role.SUPERVISING_BANK,), org=SUPERVISING_BANK, on_reject=on_reject,
                  opinion_required_for=("approve", "reject"))


def document_of(session: Session, case: Case) -> int | None:
    for row in session.exec(select(CaseSubtask).where(CaseSubtask.case_id == case.id)).all():
        if row.code.startswith("document-") and (row.data or {}).get("document_id"):
            return int(row.data["document_id"])
    return None


class AgreementFlow(Flow, register=False):
    """Agreement flows (each module declares its nodes; archiving files the terms)."""

    prefix = "Z"
    category = "预售资金监管"
    data_model = FundData

    def agreement(self, session: Session, case: Case) -> FundAgreement:
        return fund_figures.locked(session, self.data_of(case).agreement_id)

    def new_row(self, session: Session, case: Case, building: Building, **extra) -> FundAgreement:
        row = FundAgreement(building_id=building.id, project_id=building.project_id,
                            developer_org_id=building.developer_org_id, case_number=case.number, **extra)
        session.add(row)
        session.flush()
        return row

    def file_terms(self, session: Session, case: Case, target: FundAgreement, terms: FundAgreement,
                   *, signed_on: date | None) -> None:
        """Write the case's choice onto `target` (the agreement): rooms, account, the key amount
        computed once more from the rooms, the document; then its figures."""
        data = self.data_of(case)
        rooms = fund_key.building_rooms(session, data.building_id)
        picked = set(data.supervised_ids)
        k = fund_key.compute(rooms, picked, terms.presale_total, params=fund_key.parameters(session))
        for row in session.exec(select(FundAgreementRoom).where(FundAgreementRoom.agreement_id == target.id)).all():
            session.delete(row)
        session.flush()
        for rid, _area, _designation, _status in rooms:
            session.add(FundAgreementRoom(agreement_id=target.id, room_id=rid, supervised=rid in picked))
        account = session.get(SupervisionAccount, data.account_id)
        target.account_id, target.bank_org_id = account.id, account.bank_org_id
        target.agreement_number = terms.agreement_number or target.agreement_number
        target.construction_progress, target.presale_total = terms.construction_progress, terms.presale_total
        target.key_rule, target.key_standard_per_m2, target.key_ratio = k.rule, k.standard_per_m2, k.ratio
        target.key_amount = k.amount
        target.room_count, target.supervised_count, target.supervised_area = k.room_count, k.supervised_count, \
            k.supervised_area
        target.saleable_count = sum(1 for _r, _a, d, _t in rooms if fund_key.supervisable(d))
        target.status = AgreementStatus.FILED.value
        target.signed_on = signed_on or target.signed_on
        target.document_id = document_of(session, case) or target.document_id
        session.add(target)
        session.flush()
        fund_figures.refresh(session, target)

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        data = self.data_of(case)
        terms = session.get(FundAgreement, data.draft_id or data.agreement_id) if data.agreement_id else None
        if terms is None:
            return super().describe_subject(session, case)
        rows = dict(agreement_rows(session, terms))
        if terms.status in (AgreementStatus.APPLYING.value, AgreementStatus.DRAFT.value):
            account = session.get(SupervisionAccount, data.account_id) if data.account_id else None
            rows["监管银行"] = org_name(session, data.bank_org_id)
            rows["监管账户名称"] = account.account_name if account else ""
            rows["监管账号"] = account.account_number if account else ""
            rows["开户行"] = account.opening_branch if account else ""
            rooms = fund_key.building_rooms(session, data.building_id)
            k = fund_key.compute(rooms, data.supervised_ids, terms.presale_total, params=fund_key.parameters(session))
            rows["重点监管资金"] = money(k.amount) if k.amount is not None else k.missing
            saleable = sum(1 for _r, _a, d, _t in rooms if fund_key.supervisable(d))
            rows["监管户数 / 可售户数"] = f"{k.supervised_count} / {saleable}"
        return list(rows.items())
