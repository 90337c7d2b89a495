"""退房 (RET-01 to RET-04, prefix T): a filed contract is unwound.

业务发起: the contract found by its contract number or by building + room (the developer's own,
searched as you type) → 受理 (refused unless filed, and while another unwind of it is open) →
退房申请: 申请注销人 picked from the contract's buyers, 退房原因 → 主管部门 接件, 凭证上传 and
审核 → 归档: one transaction (contracts/unwind.archive_unwind): the contract 已退房, the room 可售,
the filed PDF 已退房 on /verify, the fund ledger's refund due. RET-04: an unwind is the only
way a buyer set changes; the next signing of the room starts a new contract.
"""

from __future__ import annotations

from pydantic import Field
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from models.building import Building, Room
from models.contract import Contract, ContractParty, ContractStatus
from models.contract_unwind import ContractUnwind
from models.enums import Role
from models.organization import Organization
from models.project import Project
from models.workflow import Case
from netsign_console.contracts import unwind as unwind_service
from netsign_console.contracts.search import by_building_and_room
from netsign_console.domain.money import format_money
from netsign_console.domain.validators import mask_id_number
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subjects import SubjectKind, subject_kind
from netsign_console.workflow.subtasks import FormStep, RecordPickStep, SubtaskContext, UploadStep
from netsign_console.workflow.times import local_date

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
SUBJECT = "filed_contract"
PROOF = {"unwind_proof": "退房凭证"}


class UnwindData(CaseData):
    contract_id: int = Field(title="合同")
    room_id: int = Field(title="户室")
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    # The application row written at 受理.
    unwind_id: int | None = Field(default=None, title="退房申请")
    applicant_party_id: int | None = Field(default=None, title="申请注销人")


# ----- the subject: a contract, found by number or building + room --------------------------------


def _masked_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1)


def _place(session: Session, c: Contract) -> str:
    b, r = session.get(Building, c.building_id), session.get(Room, c.room_id)
    return f"{b.building_number}栋{r.room_number}室" if b and r else ""


def contract_rows(session: Session, c: Contract) -> list[tuple[str, str]]:
    project = session.get(Project, c.project_id)
    seller = session.get(Organization, c.developer_org_id)
    parties = session.exec(select(ContractParty).where(ContractParty.contract_id == c.id)
                           .order_by(ContractParty.ordinal)).all()
    return [
        ("合同编号", c.contract_number or ""),
        ("备案号", c.filing_number or ""),
        ("项目名称", project.name if project else ""),
        ("房屋", _place(session, c)),
        ("出卖人", seller.name if seller else ""),
        ("买受人", "、".join(f"{_masked_name(p.name)}（{mask_id_number(p.id_number)}）" for p in parties)),
        ("合同总价", f"{format_money(c.total_price)}元"),
        ("合同状态", ContractStatus.label_of(c.status)),
        ("备案时间", f"{local_date(c.filed_at):%Y-%m-%d}" if c.filed_at else ""),
    ]


def _title(c: Contract) -> str:
    session = object_session(c)
    place = _place(session, c) if session is not None else ""
    return f"{c.contract_number or '（未编号）'} {place}".strip()


FILED_CONTRACT = subject_kind(SubjectKind(
    code=SUBJECT,
    label="备案合同",
    model=Contract,
    prefix_columns=("contract_number", "filing_number"),
    search_also=by_building_and_room,
    title_of=_title,
    key_of=lambda c: c.contract_number or str(c.id),
    describe_rows=contract_rows,
    # Drafts and withdrawn signings were never contracts of the room's sale; everything from
    # 待签署 on is found, so a not-yet-filed one is refused with its reason rather than missing.
    where=lambda principal: [Contract.contract_number.is_not(None),
                             Contract.status != ContractStatus.WITHDRAWN.value],
    org_of=lambda c: c.developer_org_id,
    order_by=("id",),
    list_first=False,
    placeholder="输入合同编号，或栋号 + 房号（如 D001 1-1001）",
))


def contract_refusal(ctx: AcceptContext) -> str | None:
    return unwind_service.unwind_refusal(ctx.session, ctx.subject)


def contract_data(ctx: AcceptContext) -> dict:
    c = ctx.subject
    return {"contract_id": c.id, "room_id": c.room_id, "building_id": c.building_id, "project_id": c.project_id}


def buyers_of_contract(ctx: SubtaskContext):
    return ContractParty.contract_id == ctx.data.contract_id


def buyer_label(ctx: SubtaskContext, party: ContractParty) -> str:
    return f"{party.name}（{mask_id_number(party.id_number)}）"


class ContractUnwindFlow(Flow):
    """退房"""

    code = "contract_unwind"
    prefix = "T"
    category = "商品房合同"
    data_model = UnwindData

    start = Start(DEVELOPER, subject=SUBJECT, checks=(contract_refusal,), initial_data=contract_data,
                  hint="按合同编号或栋号 + 房号查找已备案的合同；主管部门上传凭证并归档后，户室恢复可售，合同标记为已退房。")
    application = Stage("退房申请", DEVELOPER, org=initiating_org, subtasks=(
        RecordPickStep("申请注销人", admin="contract-parties", data_field="applicant_party_id",
                       choices=buyers_of_contract, label=buyer_label),
        FormStep("退房原因", admin="contract-unwinds", record=lambda ctx: ctx.data.unwind_id, fields=("reason",),
                 required_fields=("reason",)),
    ))
    review = Review("主管部门审核", (Role.REGULATOR,), on_reject="application", opinion_required_for=("reject",),
                    subtasks=(UploadStep("凭证上传", kinds=PROOF),))
    end = End()

    def on_accept(self, session: Session, case: Case, subject: Contract) -> None:
        row = unwind_service.open_unwind(session, subject, case_number=case.number)
        self.set_data(case, unwind_id=row.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        data = self.data_of(case)
        if data.unwind_id:
            unwind_service.cancel_unwind(session, session.get(ContractUnwind, data.unwind_id))

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        unwind_service.archive_unwind(session, self.principal, session.get(ContractUnwind, data.unwind_id),
                                      applicant_party_id=data.applicant_party_id, at=case.archived_at)

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        data = self.data_of(case)
        c = session.get(Contract, data.contract_id)
        rows = contract_rows(session, c) if c is not None else []
        party = session.get(ContractParty, data.applicant_party_id) if data.applicant_party_id else None
        if party is not None:
            rows.append(("申请注销人", buyer_label(None, party)))
        return rows
