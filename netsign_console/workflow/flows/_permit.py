"""What the permit flows share (PERMIT-01 to PERMIT-05): 预售许可 / 现售许可, initial approval
and change.

受理 (a building whose survey is filed, with no permit and no permit case yet; a change: one
with a valid permit) → 项目信息补充 (the property manager, SYS-10) → 申请栋信息补充 (the scope
picked on the grid, the four certificates of SYS-08) → 主管部门审核 → 许可证生成 (the number
YYYY-NNNN, the PDF) → 归档: the permit is written, its scope's rooms turn 可售 (物管用房 never;
PMR-04's pending releases now), rooms leaving a changed scope turn 不可售.

While a change is open the permit is 变更中 and signing on the building waits (PERMIT-03).
Not a flow module (the leading underscore keeps discovery from treating it as one).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field
from sqlmodel import Session, select

from models.building import Building, Room
from models.enums import Designation, HouseUsage, Role, SurveyKind, TradeStatus
from models.organization import Organization
from models.permit import Permit, PermitKind, PermitRoom, PermitStatus
from models.project import CertificateKind, Project, ProjectCertificate
from models.property_manager import PropertyManager
from models.workflow import Case, CaseStatus
from netsign_console.domain.money import format_area
from netsign_console.numbering import yearly_number
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.rules import flow_for_case
from netsign_console.workflow.subtasks import (
    ConfirmStep, DocumentStep, RecordPickStep, RoomPickStep, SubtaskContext, Table,
)
from netsign_console.workflow.times import local_date

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)
PMR = Designation.PROPERTY_MGMT.value
SOLD = (TradeStatus.SIGNING.value, TradeStatus.SIGNED.value, TradeStatus.FILED.value, TradeStatus.REGISTERED.value)
PERMIT_CODES = ("presale_permit", "presale_permit_change", "spot_sale_permit", "spot_sale_permit_change")
DOCUMENT_KIND = {PermitKind.PRESALE.value: "presale_permit", PermitKind.SPOT_SALE.value: "spot_sale_permit"}


class PermitData(CaseData):
    building_id: int = Field(title="楼栋")
    project_id: int = Field(title="项目")
    permit_kind: str = Field(title="许可证类型")
    property_manager_id: int | None = Field(default=None, title="物业公司")
    # CertificateKind code -> ProjectCertificate id (the 四证, SYS-08).
    certificate_ids: dict[str, int] = Field(default_factory=dict, title="商品房相关证件")
    room_ids: list[int] = Field(default_factory=list, title="预售范围户室")
    # A change: the permit it changes and the scope it had when the case was accepted.
    permit_id: int | None = Field(default=None, title="原许可证")
    before_ids: list[int] = Field(default_factory=list, title="原许可范围")
    # Taken when the permit is first generated and kept (a regeneration keeps the number).
    permit_number: str | None = Field(default=None, title="许可证号")
    permit_sequence: int | None = Field(default=None, title="年度序号")
    issue_date: date | None = Field(default=None, title="发证日期")


# ----- who may apply ------------------------------------------------------------------------------


def valid_permit(session: Session, building_id: int, kind: str | None = None) -> Permit | None:
    stmt = select(Permit).where(Permit.building_id == building_id,
                                Permit.status.in_((PermitStatus.VALID.value, PermitStatus.CHANGING.value)))
    if kind:
        stmt = stmt.where(Permit.kind == kind)
    return session.exec(stmt.order_by(Permit.id.desc())).first()


def no_open_permit_case(ctx: AcceptContext) -> str | None:
    number = ctx.session.exec(
        select(Case.number).where(Case.case_type.in_(PERMIT_CODES), Case.subject_type == "building",
                                  Case.subject_id == ctx.subject.id, Case.status == CaseStatus.ACTIVE)
    ).first()
    return f"该楼栋已有正在办理的许可业务（{number}）" if number else None


def survey_filed(kind: PermitKind):
    def check(ctx: AcceptContext) -> str | None:
        b = ctx.subject
        if not b.survey_case_number:
            return "该楼栋的测绘成果尚未备案，不能申请" + kind.label[:-1]
        if kind is PermitKind.SPOT_SALE and b.survey_kind != SurveyKind.AS_BUILT.value:
            return "该楼栋的实测成果尚未备案，不能申请现售许可（期房请申请预售许可）"
        return None
    return check


def no_permit_yet(ctx: AcceptContext) -> str | None:
    permit = valid_permit(ctx.session, ctx.subject.id)
    if permit is not None:
        return f"该楼栋已取得{PermitKind.label_of(permit.kind)}（{permit.number}），请办理变更"
    return None


def has_permit(kind: PermitKind):
    def check(ctx: AcceptContext) -> str | None:
        return None if valid_permit(ctx.session, ctx.subject.id, kind.value) else f"该楼栋尚未取得{kind.label}"
    return check


def initial_data(kind: PermitKind):
    def build(ctx: AcceptContext) -> dict:
        return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id, "permit_kind": kind.value}
    return build


def scope_of(session: Session, permit_id: int) -> list[int]:
    return list(session.exec(select(PermitRoom.room_id).where(PermitRoom.permit_id == permit_id)
                             .order_by(PermitRoom.room_id)).all())


def change_data(kind: PermitKind):
    """A change starts from the permit as it stands: its scope, property manager, certificates."""
    def build(ctx: AcceptContext) -> dict:
        permit = valid_permit(ctx.session, ctx.subject.id, kind.value)
        if permit is None:  # the start's checks refuse it
            return initial_data(kind)(ctx)
        scope = scope_of(ctx.session, permit.id)
        case = ctx.session.exec(select(Case).where(Case.number == permit.case_number)).first()
        certificates = dict((case.data or {}).get("certificate_ids", {})) if case is not None else {}
        return {"building_id": ctx.subject.id, "project_id": ctx.subject.project_id, "permit_kind": kind.value,
                "permit_id": permit.id, "before_ids": scope, "room_ids": scope,
                "property_manager_id": permit.property_manager_id, "certificate_ids": certificates,
                "permit_number": permit.number, "permit_sequence": permit.sequence}
    return build


# ----- the sub-tasks ------------------------------------------------------------------------------


def rooms_of_building(ctx: SubtaskContext):
    return (Room.building_id == ctx.data.building_id) & Room.retired.is_(False)


def scope_eligible(ctx: SubtaskContext, room: Room) -> str | None:
    if room.id in set(ctx.data.before_ids):
        return None  # already in this permit's scope
    if room.trade_status in SOLD:
        return "已签约或在签约中"
    if room.designation != PMR and not room.sale_price:
        return "未申报销售价格（取得许可后须一次性公开每套房屋价格）"
    other = ctx.session.exec(
        select(Permit.number).join(PermitRoom, PermitRoom.permit_id == Permit.id)
        .where(PermitRoom.room_id == room.id, Permit.status != PermitStatus.CANCELLED.value,
               Permit.id != (ctx.data.permit_id or 0))
    ).first()
    return f"已在许可证{other}范围内" if other else None


def scope_keep(ctx: SubtaskContext) -> dict[int, str]:
    """Rooms of the old scope already in signing or sold cannot leave it."""
    if not ctx.data.before_ids:
        return {}
    rows = ctx.session.exec(select(Room.id, Room.trade_status).where(Room.id.in_(ctx.data.before_ids),
                                                                     Room.trade_status.in_(SOLD))).all()
    return {rid: TradeStatus.label_of(status) for rid, status in rows}


def property_managers(ctx: SubtaskContext):
    return PropertyManager.organization_id == ctx.case.org_id


def project_certificates(ctx: SubtaskContext):
    return ProjectCertificate.project_id == ctx.data.project_id


def certificate_defaults(ctx: SubtaskContext) -> dict:
    return {"project_id": ctx.data.project_id}


def project_table(ctx: SubtaskContext) -> Table:
    s = ctx.session
    b = s.get(Building, ctx.data.building_id)
    p = s.get(Project, ctx.data.project_id)
    org = s.get(Organization, b.developer_org_id)
    rooms = s.exec(select(Room).where(rooms_of_building(ctx))).all()
    rows = (
        ("开发企业", org.name if org else ""),
        ("项目名称", p.name if p else ""),
        ("项目坐落", p.location if p else ""),
        ("栋号", b.building_number),
        ("测绘阶段", SurveyKind.label_of(b.survey_kind)),
        ("测绘备案业务编号", b.survey_case_number or ""),
        ("总套数 / 已申报价格", f"{len(rooms)} / {sum(1 for r in rooms if r.sale_price)}"),
        ("物管用房", "、".join(r.room_number for r in rooms if r.designation == PMR) or "无"),
    )
    return Table(("项目", "内容"), rows)


def original_table(ctx: SubtaskContext) -> Table:
    """原预售证申请栋信息 (PERMIT-02): the permit being changed."""
    s = ctx.session
    permit = s.get(Permit, ctx.data.permit_id)
    rooms = s.exec(select(Room).where(Room.id.in_(ctx.data.before_ids))).all() if ctx.data.before_ids else []
    manager = s.get(PropertyManager, permit.property_manager_id) if permit.property_manager_id else None
    rows = (
        ("许可证号", permit.number),
        ("许可证类型", PermitKind.label_of(permit.kind)),
        ("发证日期", f"{permit.issue_date:%Y-%m-%d}"),
        ("版本", f"第{permit.version}版"),
        ("许可套数", str(len(rooms))),
        ("许可面积(m²)", format_area(sum((r.gross_area for r in rooms), Decimal("0")))),
        ("已签约或签约中", str(sum(1 for r in rooms if r.trade_status in SOLD))),
        ("物业公司", manager.name if manager else ""),
    )
    return Table(("项目", "内容"), rows, "变更期间，该楼栋暂停预售签约（PERMIT-03）")


# ----- the document -------------------------------------------------------------------------------


def take_number(ctx: SubtaskContext) -> str:
    """The permit's number: a change keeps it; the first generation takes the year's next."""
    if ctx.data.permit_number:
        return ctx.data.permit_number
    today = local_date()
    number, sequence = yearly_number(ctx.session, f"permit-{ctx.data.permit_kind}", today.year)
    flow_for_case(ctx.case).set_data(ctx.case, permit_number=number, permit_sequence=sequence, issue_date=today)
    ctx.session.add(ctx.case)
    return number


def _scope_rooms(ctx: SubtaskContext) -> list[Room]:
    if not ctx.data.room_ids:
        return []
    return list(ctx.session.exec(select(Room).where(Room.id.in_(ctx.data.room_ids))
                                 .order_by(Room.unit, Room.actual_floor, Room.room_number)).all())


def permit_data(ctx: SubtaskContext) -> dict:
    s = ctx.session
    b = s.get(Building, ctx.data.building_id)
    p = s.get(Project, ctx.data.project_id)
    org = s.get(Organization, b.developer_org_id)
    regulator = s.get(Organization, ctx.principal.org_id) if ctx.principal and ctx.principal.org_id else None
    manager = s.get(PropertyManager, ctx.data.property_manager_id) if ctx.data.property_manager_id else None
    certificates = {k: s.get(ProjectCertificate, v) for k, v in ctx.data.certificate_ids.items()}
    rooms = _scope_rooms(ctx)

    def cert(kind: CertificateKind) -> str:
        row = certificates.get(kind.value)
        return row.number if row is not None else ""

    return {
        "permit_number": ctx.data.permit_number or "（生成时编号）",
        "developer_name": org.name if org else "",
        "project_name": p.name if p else "",
        "location": b.address or (p.location if p else ""),
        "building_number": b.building_number,
        "room_count": len(rooms),
        "gross_area": sum((r.gross_area for r in rooms), Decimal("0")),
        "land_use_certificate": cert(CertificateKind.LAND_USE),
        "land_planning_certificate": cert(CertificateKind.LAND_PLANNING),
        "construction_planning_certificate": cert(CertificateKind.CONSTRUCTION_PLANNING),
        "construction_certificate": cert(CertificateKind.CONSTRUCTION),
        "property_manager": manager.name if manager else "",
        "issue_date": ctx.data.issue_date or local_date(),
        "issuing_authority": regulator.name if regulator else "",
        "rooms": [{"unit": r.unit or "", "floor": r.nominal_floor or str(r.actual_floor), "room_number": r.room_number,
                   "usage": HouseUsage.label_of(r.usage), "gross_area": r.gross_area, "inner_area": r.inner_area}
                  for r in rooms],
    }


def permit_summary(ctx: SubtaskContext) -> dict:
    d = permit_data(ctx)
    return {"开发企业": d["developer_name"], "项目名称": d["project_name"], "楼栋": d["building_number"],
            "许可套数": f"{d['room_count']}套", "许可面积": f"{format_area(d['gross_area'])}平方米",
            "发证日期": f"{d['issue_date']:%Y-%m-%d}"}


def current_document(ctx: SubtaskContext) -> int | None:
    permit = ctx.session.get(Permit, ctx.data.permit_id) if ctx.data.permit_id else None
    return permit.document_id if permit is not None else None


# ----- the flow -----------------------------------------------------------------------------------


def supplements(kind: PermitKind) -> tuple[Stage, Stage]:
    scope = "预售范围" if kind is PermitKind.PRESALE else "现售范围"
    project = Stage("项目信息补充", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("栋项目信息确认", text="已核对开发企业、项目与楼栋信息", table=project_table, code="project"),
        RecordPickStep("物业信息", admin="property-managers", data_field="property_manager_id",
                       choices=property_managers,
                       add_fields=("name", "credit_code", "contact_person", "contact_phone", "address")),
    ))
    building = Stage("申请栋信息补充", DEVELOPER, org=initiating_org, subtasks=(
        RoomPickStep(f"选择{scope}户室", rooms=rooms_of_building, data_field="room_ids", action=f"纳入{scope}",
                     eligible=scope_eligible, keep=scope_keep),
        RecordPickStep("商品房相关证件", admin="project-certificates", data_field="certificate_ids",
                       choices=project_certificates, slots=dict(CertificateKind.choices()), slot_field="kind",
                       add_fields=("number", "issued_on", "issuing_authority", "area"), defaults=certificate_defaults),
    ))
    return project, building


class PermitFlow(Flow, register=False):
    """许可证 初始审批 / 变更审批 (one class; the modules fix the kind and whether it changes)."""

    category = "预售许可管理"
    data_model = PermitData
    permit_kind: PermitKind = PermitKind.PRESALE
    change: bool = False

    # Each module declares its nodes from the functions below: start, (original,) project,
    # building, review, generate, end.

    def on_accept(self, session: Session, case: Case, subject) -> None:
        if self.change:
            permit = session.exec(select(Permit).where(Permit.id == self.data_of(case).permit_id).with_for_update()).one()
            permit.status = PermitStatus.CHANGING.value  # PERMIT-03: signing on it waits
            session.add(permit)

    def on_cancel(self, session: Session, case: Case) -> None:
        if self.change:
            permit = session.get(Permit, self.data_of(case).permit_id)
            if permit is not None and permit.status == PermitStatus.CHANGING.value:
                permit.status = PermitStatus.VALID.value
                session.add(permit)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        rooms = {r.id: r for r in session.exec(select(Room).where(Room.building_id == data.building_id)
                                                .with_for_update()).all()}
        scope = [rid for rid in data.room_ids if rid in rooms]
        gross = sum((rooms[r].gross_area for r in scope), Decimal("0"))
        document_id = _document_of(session, case)
        if self.change:
            permit = session.exec(select(Permit).where(Permit.id == data.permit_id).with_for_update()).one()
            permit.version += 1
        else:
            permit = Permit(kind=self.permit_kind.value, number=data.permit_number, year=data.issue_date.year,
                            sequence=data.permit_sequence, project_id=data.project_id, building_id=data.building_id,
                            developer_org_id=rooms[scope[0]].developer_org_id if scope else case.org_id,
                            issue_date=data.issue_date, case_number=case.number)
        permit.status = PermitStatus.VALID.value
        permit.property_manager_id = data.property_manager_id
        permit.room_count, permit.gross_area = len(scope), gross
        permit.document_id = document_id or permit.document_id
        session.add(permit)
        session.flush()
        before, after = set(data.before_ids), set(scope)
        if self.change:
            for row in session.exec(select(PermitRoom).where(PermitRoom.permit_id == permit.id)).all():
                if row.room_id not in after:
                    session.delete(row)
        for rid in sorted(after - before):
            session.add(PermitRoom(permit_id=permit.id, room_id=rid))
        for rid in after:
            room = rooms[rid]
            if room.designation == PMR:
                continue  # in the scope, never for sale (PMR-05)
            if room.trade_status == TradeStatus.NOT_FOR_SALE.value:
                room.trade_status = TradeStatus.SALEABLE.value
                room.release_pending = False  # PMR-04: released by this permit
                room.version += 1
                session.add(room)
        for rid in before - after:
            room = rooms.get(rid)
            if room is not None and room.trade_status == TradeStatus.SALEABLE.value:
                room.trade_status = TradeStatus.NOT_FOR_SALE.value
                room.version += 1
                session.add(room)

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        rows = super().describe_subject(session, case)
        data = self.data_of(case)
        if data.permit_number:
            rows.append(("许可证号", data.permit_number))
        rows.append(("申请范围", f"{len(data.room_ids)}户"))
        return rows


def _document_of(session: Session, case: Case) -> int | None:
    from models.workflow import CaseSubtask

    for row in session.exec(select(CaseSubtask).where(CaseSubtask.case_id == case.id)).all():
        if row.code.startswith("document-") and (row.data or {}).get("document_id"):
            return int(row.data["document_id"])
    return None


def start(kind: PermitKind, *, change: bool) -> Start:
    checks = ((survey_filed(kind), has_permit(kind), no_open_permit_case) if change
              else (survey_filed(kind), no_permit_yet, no_open_permit_case))
    hint = ("选择已取得许可证的楼栋；确认原许可信息后调整许可范围，变更期间该楼栋暂停签约。" if change else
            "选择测绘成果已备案的楼栋；受理后补充物业信息、选择许可范围户室与商品房相关证件。")
    return Start(DEVELOPER, subject="building", checks=checks,
                 initial_data=change_data(kind) if change else initial_data(kind), hint=hint)


def original() -> Stage:
    return Stage("原许可证申请栋信息", DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("原许可证申请栋信息确认", text="已核对原许可证信息", table=original_table, code="original"),
    ))


def review() -> Review:
    return Review("主管部门审核", (Role.REGULATOR,), on_reject="building", opinion_required_for=("reject",))


def generate(kind: PermitKind, *, change: bool) -> Stage:
    return Stage("许可证生成", (Role.REGULATOR,), subtasks=(
        DocumentStep(f"{kind.label}生成", document_kind=DOCUMENT_KIND[kind.value], data=permit_data, number=take_number,
                     version_of=current_document if change else None, summary=permit_summary, sign=True,
                     subject=lambda ctx: ("building", ctx.data.building_id)),
    ))
