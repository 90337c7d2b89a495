"""An agreement as people read it: the withdrawal screen's 监管协议信息 (FUND-07), the per-room
历史拨付记录表 (FUND-08), and the agreement page (figures, rooms, PDF versions), each under the
agreement's own scope (fund/scope.py). No Reflex here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case as sql_case
from sqlalchemy import func
from sqlmodel import Session, select

from models.bank import SupervisionAccount
from models.building import Building, Room
from models.document import Document, DocumentStatus
from models.enums import PaymentMethod, TradeStatus
from models.fund import AgreementStatus, FundAgreement, FundAgreementRoom, FundContract, FundLedgerEntry, LedgerKind
from models.organization import Organization
from models.permit import Permit, PermitStatus
from models.project import Project
from netsign_console.auth.principal import Principal
from netsign_console.documents import display_code
from netsign_console.domain.money import format_area, format_money
from netsign_console.errors import NOT_FOUND, PermissionDenied
from netsign_console.fund.scope import visible

HISTORY_HEADERS = ("室号", "建筑面积(m²)", "是否监管", "可售状态", "购房人", "总房款(元)", "付款方式", "首付金额(元)",
                   "已入账金额(元)", "已退款金额(元)", "已监管资金额(元)")


def _name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def mask_name(name: str | None) -> str:
    """购房人 in a list the bank and the developer's staff see: the surname only."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def load(session: Session, principal: Principal, agreement_id: object) -> FundAgreement:
    # Imported here: the grid package imports the flows, whose withdrawal screen imports this module.
    from netsign_console.grid.service import parse_id

    stmt = select(FundAgreement).where(FundAgreement.id == parse_id(agreement_id),
                                       FundAgreement.status != AgreementStatus.DRAFT.value)
    clause = visible(FundAgreement, principal)
    if clause is not None:
        stmt = stmt.where(clause)
    a = session.exec(stmt).first()
    if a is None:
        raise PermissionDenied(NOT_FOUND)
    return a


def _money(v: Decimal | None) -> str:
    return f"{format_money(v)}元" if v is not None else ""


def info_rows(session: Session, a: FundAgreement) -> list[tuple[str, str]]:
    """监管协议信息 of the withdrawal screen (FUND-07), figures in 元 and 万元."""
    b = session.get(Building, a.building_id)
    p = session.get(Project, a.project_id)
    account = session.get(SupervisionAccount, a.account_id) if a.account_id else None
    permit = session.exec(select(Permit).where(Permit.building_id == a.building_id,
                                               Permit.status != PermitStatus.CANCELLED.value)
                          .order_by(Permit.id.desc())).first()

    def wan(v: Decimal) -> str:
        return f"{format_money(v)}元（{format_money((v / Decimal(10000)).quantize(Decimal('0.01')))}万元）"

    return [
        ("实际工程进度", a.construction_progress or ""),
        ("监管资金总额", wan(a.total_supervised)), ("协议余额", wan(a.balance)),
        ("重点监管资金", wan(a.key_amount or Decimal(0))), ("在途支取（冻结）", wan(a.frozen)),
        ("可拨付", wan(a.disbursable)),
        ("栋号", b.building_number if b else ""), ("监管协议号", a.agreement_number or ""),
        ("可售户数", f"{a.saleable_count}户"), ("监管户数", f"{a.supervised_count}户"),
        ("预售证号", permit.number if permit else "未取得"),
        ("发证时间", f"{permit.issue_date:%Y-%m-%d}" if permit else ""),
        ("项目名称", p.name if p else ""), ("开发企业", _name(session, a.developer_org_id)),
        ("坐落", (b.address or "") if b else ""), ("签订时间", f"{a.signed_on:%Y-%m-%d}" if a.signed_on else ""),
        ("监管账户名称", account.account_name if account else ""),
        ("监管账号", account.account_number if account else ""),
        ("开户行", account.opening_branch if account else ""), ("监管银行", _name(session, a.bank_org_id)),
    ]


def room_history(session: Session, a: FundAgreement) -> list[tuple[str, ...]]:
    """历史拨付记录表 (FUND-08): one row per room of the agreement, its contract and its money."""
    deposit = func.coalesce(func.sum(sql_case((FundLedgerEntry.kind == LedgerKind.DEPOSIT.value,
                                               FundLedgerEntry.amount), else_=0)), 0)
    refund = func.coalesce(func.sum(sql_case((FundLedgerEntry.kind == LedgerKind.REFUND.value,
                                              FundLedgerEntry.amount), else_=0)), 0)
    sums = {rid: (Decimal(d), Decimal(r)) for rid, d, r in session.exec(
        select(FundLedgerEntry.room_id, deposit, refund)
        .where(FundLedgerEntry.agreement_id == a.id, FundLedgerEntry.active.is_(True),
               FundLedgerEntry.room_id.is_not(None))
        .group_by(FundLedgerEntry.room_id)).all()}
    contracts = {c.room_id: c for c in session.exec(select(FundContract).where(
        FundContract.agreement_id == a.id, FundContract.active.is_(True)).order_by(FundContract.id)).all()}
    rows = session.exec(select(Room, FundAgreementRoom.supervised)
                        .join(FundAgreementRoom, FundAgreementRoom.room_id == Room.id)
                        .where(FundAgreementRoom.agreement_id == a.id)
                        .order_by(Room.unit, Room.actual_floor, Room.room_number)).all()
    out = []
    for room, supervised in rows:
        c = contracts.get(room.id)
        d, r = sums.get(room.id, (Decimal(0), Decimal(0)))
        out.append((room.room_number, format_area(room.gross_area), "监管" if supervised else "不监管",
                    TradeStatus.label_of(room.trade_status), mask_name(c.buyer_name) if c else "",
                    format_money(c.total_price) if c and c.total_price is not None else "",
                    PaymentMethod.label_of(c.payment_method) if c and c.payment_method else "",
                    format_money(c.down_payment) if c and c.down_payment is not None else "",
                    format_money(d), format_money(r), format_money(d - r) if supervised else "0.00"))
    return out


@dataclass(frozen=True)
class AgreementDocument:
    id: int
    version: int
    status_label: str
    code: str
    issued_at: str


@dataclass(frozen=True)
class AgreementView:
    id: int
    number: str
    status_label: str
    building_id: int
    rows: list[tuple[str, str]]
    supervised_ids: list[int]
    history: list[tuple[str, ...]]
    documents: list[AgreementDocument] = field(default_factory=list)


def agreement_view(session: Session, principal: Principal, agreement_id: object) -> AgreementView:
    a = load(session, principal, agreement_id)
    supervised = list(session.exec(select(FundAgreementRoom.room_id).where(
        FundAgreementRoom.agreement_id == a.id, FundAgreementRoom.supervised.is_(True))).all())
    docs = []
    current = session.get(Document, a.document_id) if a.document_id else None
    while current is not None:  # the chain of versions, newest first
        docs.append(AgreementDocument(current.id, current.version, DocumentStatus.label_of(current.status),
                                      display_code(current.verification_code), f"{current.created_at:%Y-%m-%d}"))
        current = session.exec(select(Document).where(Document.superseded_by_id == current.id)).first()
    rows = [("状态", AgreementStatus.label_of(a.status)), ("版本", f"第{a.version}版"),
            ("补录协议", "是" if a.backfill else "否"), *info_rows(session, a),
            ("入账金额", _money(a.deposited)), ("已拨付", _money(a.disbursed)), ("退款金额", _money(a.refunded)),
            ("项目预售总额", _money(a.presale_total)), ("监管面积", f"{format_area(a.supervised_area)}m²"),
            ("业务编号", a.case_number)]
    return AgreementView(a.id, a.agreement_number or "", AgreementStatus.label_of(a.status), a.building_id, rows,
                         supervised, room_history(session, a), docs)
