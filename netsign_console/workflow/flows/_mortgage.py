"""What the three construction-mortgage flows share (MORT-01, prefix M): 在建工程抵押 设立, 注销
and 签约授权, each reviewed by the mortgagee bank and then the regulator.

设立: a building whose survey is filed → 抵押信息填写 (the loan bank from the developer's 贷款银行,
or added on the spot; the rooms picked on the grid, all of them = 整栋抵押; the amount, term
and start date on the mortgage's own form) → 贷款银行审核 (routed to that bank only) →
主管部门审核 → 归档: 抵押中, one 在建工程抵押 restriction per room.
注销 / 签约授权: an active mortgage → its table confirmed / the rooms to authorise picked →
抵押权人审核 → 主管部门审核 → 归档: restrictions end / those rooms may be signed.

Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field
from sqlalchemy import or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from models.bank import BankLink, BankLinkKind
from models.building import Building, Room
from models.enums import Role
from models.mortgage import ConstructionMortgage, MortgageStatus
from models.organization import Organization
from models.project import Project
from models.workflow import Case, CaseStatus
from netsign_console.domain.money import format_money
from netsign_console.domain.mortgage import term_end
from netsign_console.mortgage import rooms as mortgage_rooms
from netsign_console.mortgage.scope import visible
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, Review, Start
from netsign_console.workflow.routing import org_from_data
from netsign_console.workflow.subject_kinds import building_label
from netsign_console.workflow.subjects import SubjectKind, subject_kind
from netsign_console.workflow.subtasks import SubtaskContext, Table

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
CREATE, CANCEL, AUTHORISE = "construction_mortgage_create", "construction_mortgage_cancel", \
    "construction_mortgage_authorisation"
SUBJECT = "construction_mortgage"
MORTGAGEE = org_from_data("bank_org_id", what="抵押权人（贷款银行）")


class MortgageData(CaseData):
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    # 设立: the row written at acceptance; 注销 / 签约授权: the mortgage the case is about.
    mortgage_id: int | None = Field(default=None, title="在建工程抵押")
    bank_link_id: int | None = Field(default=None, title="贷款银行")
    # The mortgagee: the picked loan bank (设立) or the mortgage's (注销, 签约授权). The bank's review goes there.
    bank_org_id: int | None = Field(default=None, title="抵押权人")
    # 设立: the rooms to mortgage; 签约授权: the rooms to authorise.
    room_ids: list[int] = Field(default_factory=list, title="户室")


# ----- what the tables and the subject show -------------------------------------------------------


def _org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def _term(m: ConstructionMortgage) -> str:
    if not m.term_months:
        return ""
    if m.starts_on is None:
        return f"{m.term_months}个月"
    return f"{m.term_months}个月（{m.starts_on:%Y-%m-%d} 至 {term_end(m.starts_on, m.term_months):%Y-%m-%d}）"


def mortgage_rows(session: Session, m: ConstructionMortgage) -> list[tuple[str, str]]:
    b = session.get(Building, m.building_id)
    p = session.get(Project, m.project_id)
    rows = [
        ("项目名称", p.name if p else ""),
        ("栋号", building_label(b) if b else ""),
        ("坐落", (b.address or "") if b else ""),
        ("开发企业（抵押人）", _org_name(session, m.developer_org_id)),
        ("抵押权人（贷款银行）", _org_name(session, m.bank_org_id)),
        ("抵押金额(元)", format_money(m.amount) if m.amount is not None else ""),
        ("抵押期限", _term(m)),
        ("抵押户数", f"{m.room_count}户" + ("（整栋抵押）" if m.whole_building else "")),
        ("已签约授权户数", f"{m.authorised_count}户"),
        ("状态", MortgageStatus.label_of(m.status)),
        ("设立业务编号", m.case_number),
    ]
    if m.cancel_case_number:
        rows.append(("注销业务编号", m.cancel_case_number))
    return rows


def _title(m: ConstructionMortgage) -> str:
    # title_of gets the record only; it was loaded by a session, which names its building.
    session = object_session(m)
    b = session.get(Building, m.building_id) if session is not None else None
    where = (b.address or building_label(b)) if b is not None else ""
    return f"{where} 在建工程抵押（{m.room_count}户，{m.case_number}）".strip()


@dataclass(frozen=True)
class MortgageKind(SubjectKind):
    """The mortgage's own scope (netsign_console/mortgage/scope.py) instead of the model's: a bank
    finds the mortgages it holds, a developer its own."""

    def _base(self, principal):
        stmt = select(self.model)
        clause = visible(principal)
        if clause is not None:
            stmt = stmt.where(clause)
        for condition in self.where(principal):
            stmt = stmt.where(condition)
        return stmt


MORTGAGE = subject_kind(MortgageKind(
    code=SUBJECT,
    label="在建工程抵押",
    model=ConstructionMortgage,
    prefix_columns=("case_number",),
    search_also=lambda term: [ConstructionMortgage.building_id.in_(select(Building.id).where(or_(
        Building.building_number.startswith(term, autoescape=True), Building.address.contains(term, autoescape=True))))],
    title_of=_title,
    key_of=lambda m: m.case_number,
    describe_rows=mortgage_rows,
    where=lambda principal: [ConstructionMortgage.status == MortgageStatus.ACTIVE.value],
    org_of=lambda m: m.developer_org_id,
    order_by=("id",),
    placeholder="输入设立业务编号、栋号或坐落",
))


# ----- who may apply ------------------------------------------------------------------------------


def survey_filed(ctx: AcceptContext) -> str | None:
    if not ctx.subject.survey_case_number:
        return "该楼栋的测绘成果尚未备案，不能办理在建工程抵押"
    return None


def has_free_rooms(ctx: AcceptContext) -> str | None:
    ids = list(ctx.session.exec(select(Room.id).where(Room.building_id == ctx.subject.id,
                                                      Room.retired.is_(False))).all())
    if not ids:
        return "该楼栋没有户室，不能办理在建工程抵押"
    held = set(mortgage_rooms.building_holders(ctx.session, ctx.subject.id))
    if set(ids) <= held:
        return "该楼栋的户室均已设定在建工程抵押"
    unsold = ctx.session.exec(select(Room.id).where(Room.id.in_(set(ids) - held),
                                                    Room.trade_status.not_in(mortgage_rooms.SOLD)).limit(1)).first()
    return None if unsold is not None else "该楼栋未设定抵押的户室均已售出，没有可设定在建工程抵押的户室"


def _open_case(session: Session, codes: tuple[str, ...], subject_type: str, subject_id: int) -> str | None:
    return session.exec(select(Case.number).where(
        Case.case_type.in_(codes), Case.subject_type == subject_type, Case.subject_id == subject_id,
        Case.status == CaseStatus.ACTIVE)).first()


def no_open_create(ctx: AcceptContext) -> str | None:
    number = _open_case(ctx.session, (CREATE,), "building", ctx.subject.id)
    return f"该楼栋已有正在办理的在建工程抵押设立业务（{number}）" if number else None


def no_open_mortgage_case(ctx: AcceptContext) -> str | None:
    number = _open_case(ctx.session, (CANCEL, AUTHORISE), SUBJECT, ctx.subject.id)
    return f"该在建工程抵押已有正在办理的业务（{number}），请办结后再申请" if number else None


def has_unauthorised_rooms(ctx: AcceptContext) -> str | None:
    left = ctx.session.exec(mortgage_rooms.unauthorised_room_ids(ctx.subject.id).limit(1)).first()
    return None if left is not None else "该在建工程抵押的户室均已取得签约授权"


def create_data(ctx: AcceptContext) -> dict:
    return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id}


def mortgage_data(ctx: AcceptContext) -> dict:
    m = ctx.subject
    return {"building_id": m.building_id, "project_id": m.project_id, "mortgage_id": m.id, "bank_org_id": m.bank_org_id}


def start_on_mortgage(*checks, hint: str) -> Start:
    return Start(DEVELOPER, subject=SUBJECT, checks=(no_open_mortgage_case, *checks), initial_data=mortgage_data,
                 hint=hint)


# ----- the sub-tasks ------------------------------------------------------------------------------


def loan_banks(ctx: SubtaskContext):
    return (BankLink.organization_id == ctx.case.org_id) & (BankLink.kind == BankLinkKind.LOAN.value)


def bank_link_label(ctx: SubtaskContext, link: BankLink) -> str:
    return _org_name(ctx.session, link.bank_org_id) or f"贷款银行{link.id}"


def bank_of_link(ctx: SubtaskContext, chosen: dict) -> dict:
    link = chosen.get("")
    return {"bank_org_id": link.bank_org_id if link is not None else None}


def bank_link_defaults(ctx: SubtaskContext) -> dict:
    return {"organization_id": ctx.case.org_id}


def building_rooms(ctx: SubtaskContext):
    return (Room.building_id == ctx.data.building_id) & Room.retired.is_(False)


def may_mortgage(ctx: SubtaskContext, room: Room) -> str | None:
    # Asked once per picked room of one save: the building's mortgaged rooms are read once per context.
    held = ctx.__dict__.get("_mortgage_holders")
    if held is None:
        held = ctx.__dict__["_mortgage_holders"] = mortgage_rooms.building_holders(ctx.session, ctx.data.building_id)
    return mortgage_rooms.refusal(ctx.session, room, held.get(room.id))


def unauthorised_rooms(ctx: SubtaskContext):
    return Room.id.in_(mortgage_rooms.unauthorised_room_ids(ctx.data.mortgage_id))


def mortgage_of(ctx: SubtaskContext) -> int | None:
    return ctx.data.mortgage_id


def mortgage_table(ctx: SubtaskContext) -> Table:
    m = ctx.session.get(ConstructionMortgage, ctx.data.mortgage_id)
    return Table(("项目", "内容"), tuple(mortgage_rows(ctx.session, m)),
                 "注销后该抵押的全部户室解除在建工程抵押限制")


# ----- the reviews and the flow base --------------------------------------------------------------


def bank_review(title: str = "贷款银行审核") -> Review:
    return Review(title, (Role.MORTGAGE_BANK,), org=MORTGAGEE, on_reject="entry", opinion_required_for=("reject",))


def regulator_review() -> Review:
    return Review("主管部门审核", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",))


class MortgageFlow(Flow, register=False):
    """在建工程抵押 设立 / 注销 / 签约授权 (each module declares its nodes and what archiving does)."""

    prefix = "M"
    category = "在建工程抵押"
    data_model = MortgageData

    def mortgage(self, session: Session, case: Case) -> ConstructionMortgage:
        """The case's mortgage row, locked: the archive changes it and its rooms."""
        return session.exec(select(ConstructionMortgage).where(
            ConstructionMortgage.id == self.data_of(case).mortgage_id).with_for_update()).one()

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        data = self.data_of(case)
        m = session.get(ConstructionMortgage, data.mortgage_id) if data.mortgage_id else None
        if m is None:
            return super().describe_subject(session, case)
        rows = dict(mortgage_rows(session, m))
        if m.status == MortgageStatus.APPLYING.value:  # the application as the case holds it so far
            rows["抵押权人（贷款银行）"] = _org_name(session, data.bank_org_id)
            rows["抵押户数"] = f"{len(data.room_ids)}户"
            rows.pop("已签约授权户数")
        if case.case_type == AUTHORISE:
            rows["申请授权户数"] = f"{len(data.room_ids)}户"
        return list(rows.items())
