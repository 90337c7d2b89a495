"""在手业务 (WF-02) and 已办业务 (WF-03): plain, paged queries on tasks, scoped by the principal.

Rows are frozen dataclasses of display-ready values (never ORM objects), one page at a
time: the page asks for page_size + 1 rows to know whether there is a next page, and
counts only when the caller asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import and_, false, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from models.organization import Organization
from models.user import User
from models.workflow import Case, CaseStatus, Task, TaskStatus
from netsign_console.auth.permissions import Perm, has_permission, require
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings
from netsign_console.workflow.registry import UnknownFlow, codes_titled, flow_title, get_flow, roles_codes_for
from netsign_console.workflow.timeline import TimelineRow, timeline
from netsign_console.workflow.times import format_local, local_day_end_utc, local_day_start_utc

__all__ = [
    "DoneRow",
    "InboxFilters",
    "InboxRow",
    "Page",
    "TimelineRow",
    "done_list",
    "inbox",
    "inbox_count",
    "timeline",
]

T = TypeVar("T")
MAX_PAGE_SIZE = 200

TASK_STATUS_LABELS = {
    TaskStatus.OPEN: "办理中",
    TaskStatus.DONE: "正常完成",
    TaskStatus.ARCHIVED: "正常完成",
    TaskStatus.RETURNED: "退件",
    TaskStatus.CANCELLED: "取消",
    TaskStatus.WITHDRAWN: "已撤回",
}
CASE_STATUS_LABELS = {
    CaseStatus.ACTIVE: "未办结",
    CaseStatus.ARCHIVED: "已办结",
    CaseStatus.CANCELLED: "已取消",
}
# Inbox status filter values (WF-02 状态).
MINE, QUEUE, RETURNED = "mine", "queue", "returned"


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    page: int
    page_size: int
    has_next: bool
    total: int | None = None  # only when asked for


@dataclass(frozen=True)
class InboxFilters:
    """WF-02's filters. 退房消息 and 业务属性 arrive with the data that carries them (contracts)."""

    case_type: str | None = None
    stage: str | None = None  # the stage title people see (办理阶段), e.g. "入网审核"
    created_from: date | None = None  # local dates, both inclusive
    created_to: date | None = None
    initiator: str | None = None  # 经办人员: part of the name of who accepted the case
    handler: str | None = None  # 当前办理人: part of the current holder's name
    status: str | None = None  # "mine" | "queue" | "returned"
    org_id: int | None = None  # the initiating organisation (开发企业)
    org_name: str | None = None  # part of the initiating organisation's name


@dataclass(frozen=True)
class InboxRow:
    task_id: int
    case_id: int
    case_number: str
    case_type: str
    case_type_title: str
    case_title: str
    stage: str
    stage_title: str
    todo: tuple[str, ...]
    created_at: str
    initiator_name: str
    handler_name: str
    org_name: str
    dispatched_by_name: str
    mine: bool  # True: I hold it; False: in my claimable queue
    returned: bool  # it came back by a return
    return_reason: str


@dataclass(frozen=True)
class DoneRow:
    task_id: int
    case_id: int
    case_number: str
    case_type_title: str
    stage_title: str
    operated_at: str
    finished_at: str
    previous_dispatcher: str
    task_status: str
    case_status: str


def case_type_title(code: str, version: int | None = None) -> str:
    """WF-03: the city prefixes the case type, e.g. 【长沙市】用户入网."""
    return f"【{settings.city}】{flow_title(code, version)}"


def _todo(code: str, version: int, stage: str) -> tuple[str, ...]:
    try:
        flow = get_flow(code, version)
    except UnknownFlow:
        return ()
    found = flow.stages().get(stage)
    return found.todo if found is not None else ()


# Built once: aliasing a mapped class is costly, and the inbox runs on every page view.
_OWNER = aliased(User, name="owner")
_DISPATCHER = aliased(User, name="dispatcher")
_INITIATOR = aliased(User, name="initiator")
_PREVIOUS = aliased(Task, name="previous")


def _pager(page: int, page_size: int) -> tuple[int, int]:
    page = max(int(page), 1)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    return page, page_size


def _inbox_scope(principal: Principal):
    """My open tasks, plus the open unowned tasks my role (and organisation) may claim."""
    queue = and_(
        Task.owner_id.is_(None),
        Task.roles.in_(roles_codes_for(principal.role)),
        or_(Task.org_id.is_(None), Task.org_id == principal.org_id)
        if principal.org_id is not None
        else Task.org_id.is_(None),
    )
    return and_(Task.status == TaskStatus.OPEN, or_(Task.owner_id == principal.user_id, queue))


def inbox(
    session: Session,
    principal: Principal,
    *,
    filters: InboxFilters | dict | None = None,
    page: int = 1,
    page_size: int = 20,
    count: bool = False,
) -> Page[InboxRow]:
    require(principal, Perm.CASE_INBOX)
    if isinstance(filters, dict):
        filters = InboxFilters(**filters)
    f = filters or InboxFilters()
    page, page_size = _pager(page, page_size)
    owner, dispatcher, previous, initiator = _OWNER, _DISPATCHER, _PREVIOUS, _INITIATOR
    conditions = [_inbox_scope(principal)]
    if f.case_type:
        conditions.append(Case.case_type == f.case_type)
    if f.stage:
        conditions.append(Task.stage_title == f.stage.strip())
    if f.created_from:
        conditions.append(Task.created_at >= local_day_start_utc(f.created_from))
    if f.created_to:
        conditions.append(Task.created_at < local_day_end_utc(f.created_to))
    if f.handler:
        conditions.append(owner.display_name.contains(f.handler.strip(), autoescape=True))
    if f.initiator:
        conditions.append(initiator.display_name.contains(f.initiator.strip(), autoescape=True))
    if f.status == MINE:
        conditions.append(Task.owner_id == principal.user_id)
    elif f.status == QUEUE:
        conditions.append(Task.owner_id.is_(None))
    elif f.status == RETURNED:
        conditions.append(previous.status == TaskStatus.RETURNED)
    elif f.status:
        conditions.append(false())
    if f.org_id is not None:
        conditions.append(Case.org_id == f.org_id)
    if f.org_name:
        conditions.append(Case.org_id.in_(
            select(Organization.id).where(Organization.name.contains(f.org_name.strip(), autoescape=True))))

    def joined(statement):
        return (
            statement.join(Case, Case.id == Task.case_id)
            .outerjoin(owner, owner.id == Task.owner_id)
            .outerjoin(previous, previous.id == Task.previous_task_id)
            .outerjoin(initiator, initiator.id == Case.created_by_id)
            .where(*conditions)
        )

    statement = joined(
        select(
            Task.id, Task.case_id, Task.stage, Task.stage_title, Task.created_at, Task.owner_id,
            Case.number, Case.case_type, Case.flow_version, Case.title,
            Organization.name, owner.display_name, dispatcher.display_name,
            previous.status, previous.return_reason, initiator.display_name,
        )
    )
    statement = (
        statement.outerjoin(Organization, Organization.id == Case.org_id)
        .outerjoin(dispatcher, dispatcher.id == Task.dispatched_by_id)
        .order_by(Task.created_at.desc(), Task.id.desc())
        .limit(page_size + 1)
        .offset((page - 1) * page_size)
    )
    result = session.exec(statement).all()
    rows = [
        InboxRow(
            task_id=r[0], case_id=r[1], case_number=r[6], case_type=r[7],
            case_type_title=case_type_title(r[7], r[8]), case_title=r[9],
            stage=r[2], stage_title=r[3], todo=_todo(r[7], r[8], r[2]),
            created_at=format_local(r[4]), initiator_name=r[15] or "", handler_name=r[11] or "", org_name=r[10] or "",
            dispatched_by_name=r[12] or "", mine=r[5] == principal.user_id,
            returned=r[13] == TaskStatus.RETURNED,
            return_reason=(r[14] or "") if r[13] == TaskStatus.RETURNED else "",
        )
        for r in result[:page_size]
    ]
    total = session.exec(joined(select(func.count(Task.id)))).one() if count else None
    return Page(rows=rows, page=page, page_size=page_size, has_next=len(result) > page_size, total=total)


def inbox_count(session: Session, principal: Principal) -> int:
    """The header's pending count (待处理业务数): my open tasks plus my claimable queue."""
    if not has_permission(principal, Perm.CASE_INBOX):
        return 0
    return session.exec(select(func.count(Task.id)).where(_inbox_scope(principal))).one()


def done_list(
    session: Session,
    principal: Principal,
    *,
    search: str | None = None,
    page: int = 1,
    page_size: int = 20,
    count: bool = False,
) -> Page[DoneRow]:
    """Tasks I held that are closed, searchable by case number, title or case type."""
    require(principal, Perm.CASE_DONE)
    page, page_size = _pager(page, page_size)
    dispatcher = _DISPATCHER
    conditions = [
        Task.owner_id == principal.user_id,
        Task.status.in_(
            (TaskStatus.DONE, TaskStatus.RETURNED, TaskStatus.CANCELLED, TaskStatus.ARCHIVED, TaskStatus.WITHDRAWN)
        ),
    ]
    text = (search or "").strip()
    if text:
        conditions.append(
            or_(
                Case.number.contains(text, autoescape=True),
                Case.title.contains(text, autoescape=True),
                Case.case_type.in_(codes_titled(text)),
            )
        )
    base = select(
        Task.id, Task.case_id, Task.stage_title, Task.claimed_at, Task.created_at, Task.finished_at,
        Task.status, Case.number, Case.case_type, Case.flow_version, Case.status,
        dispatcher.display_name,
    ).join(Case, Case.id == Task.case_id).outerjoin(dispatcher, dispatcher.id == Task.dispatched_by_id)
    result = session.exec(
        base.where(*conditions)
        .order_by(Task.created_at.desc(), Task.id.desc())
        .limit(page_size + 1)
        .offset((page - 1) * page_size)
    ).all()
    rows = [
        DoneRow(
            task_id=r[0], case_id=r[1], case_number=r[7],
            case_type_title=case_type_title(r[8], r[9]), stage_title=r[2],
            operated_at=format_local(r[3] or r[4]), finished_at=format_local(r[5]),
            previous_dispatcher=r[11] or "", task_status=TASK_STATUS_LABELS.get(r[6], r[6]),
            case_status=CASE_STATUS_LABELS.get(r[10], r[10]),
        )
        for r in result[:page_size]
    ]
    total = None
    if count:
        total = session.exec(
            select(func.count(Task.id)).join(Case, Case.id == Task.case_id).where(*conditions)
        ).one()
    return Page(rows=rows, page=page, page_size=page_size, has_next=len(result) > page_size, total=total)
