"""Everything the case page (WF-05) shows, gathered in one call as plain data.

The page's handlers stay thin: they call `case_view` after each verb and copy the result
into state. Access is checked first (require_case_access), so a number typed into the URL
by someone outside the case reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.attachment import CaseAttachment
from models.enums import Role
from models.organization import Organization
from models.user import User
from models.workflow import Case, CaseStatus, Task
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings
from netsign_console.workflow.access import require_case_access
from netsign_console.workflow.rules import (
    available_actions,
    decision_choices,
    flow_for_case,
    may_hold,
    open_task,
    return_targets,
)
from netsign_console.workflow.timeline import timeline
from netsign_console.workflow.times import format_local

CASE_STATUS_LABELS = {CaseStatus.ACTIVE: "未办结", CaseStatus.ARCHIVED: "已办结", CaseStatus.CANCELLED: "已取消"}


@dataclass
class CaseView:
    case_id: int
    number: str
    case_type_title: str
    title: str
    stage_title: str
    status_label: str
    created_at: str
    creator_name: str
    org_name: str
    holder_name: str
    decision_label: str
    subject: list[tuple[str, str]]
    todo: list[str]
    actions: list[str]
    return_targets: list[tuple[str, str]]
    decisions: list[tuple[str, str]]
    next_handlers: list[tuple[str, str]]
    timeline: list[str]
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, uploaded)
    task_id: int | None = None
    task_opinion: str = ""


def find_case(session: Session, principal: Principal, number: str) -> Case:
    case = session.exec(select(Case).where(Case.number == (number or "").strip().upper())).first()
    if case is None:
        raise PermissionDenied("业务不存在或无权访问")
    return require_case_access(session, principal, case)


def next_handler_choices(session: Session, case: Case, task: Task | None) -> list[tuple[str, str]]:
    """Users who may hold the next stage, for dispatch's optional named handler."""
    if task is None or case.status != CaseStatus.ACTIVE:
        return []
    flow = flow_for_case(case)
    stage = flow.stage(task.stage)
    if stage.archive:
        return []
    nxt = flow.resolve_next(task.stage, case)
    org_id = nxt.org(case, session) if nxt.org else None
    query = select(User).where(User.role.in_(nxt.roles), User.is_active.is_(True)).order_by(User.id).limit(50)
    if org_id is not None:
        query = query.where(User.organization_id == org_id)
    users = session.exec(query).all()
    return [(str(u.id), f"{u.display_name}（{Role.label_of(u.role)}）") for u in users if may_hold(u, nxt, org_id)]


def _decision_label(flow, decision: str | None) -> str:
    """The archived case's decision in Chinese (the label declared on its archive stage)."""
    if not decision:
        return ""
    labels = {k: v for s in flow.stages.values() for k, v in (s.decisions or {}).items()}
    return labels.get(decision, decision)


def case_view(session: Session, principal: Principal, number: str) -> CaseView:
    case = find_case(session, principal, number)
    flow = flow_for_case(case)
    task = open_task(session, case.id)
    creator = session.get(User, case.created_by_id)
    org = session.get(Organization, case.org_id) if case.org_id else None
    holder = session.get(User, task.owner_id) if task and task.owner_id else None
    stage = flow.stage(case.current_stage) if case.current_stage else None
    attachments = session.exec(
        select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id)
    ).all()
    return CaseView(
        case_id=case.id,
        number=case.number,
        case_type_title=f"【{settings.city}】{flow.title}",
        title=case.title,
        stage_title=stage.title if stage else "—",
        status_label=CASE_STATUS_LABELS.get(case.status, case.status),
        created_at=format_local(case.created_at),
        creator_name=creator.display_name if creator else "",
        org_name=org.name if org else "",
        holder_name=holder.display_name if holder else ("待接件" if task else "—"),
        decision_label=_decision_label(flow, case.decision),
        subject=flow().describe_subject(session, case),
        todo=list(stage.todo) if stage else [],
        actions=available_actions(session, principal, case),
        return_targets=return_targets(case),
        decisions=decision_choices(case),
        next_handlers=next_handler_choices(session, case, task),
        timeline=[row.line for row in timeline(session, case.id)],
        attachments=[(str(a.id), a.file_name, format_local(a.created_at)) for a in attachments],
        task_id=task.id if task else None,
        task_opinion=(task.opinion or "") if task else "",
    )
