"""Everything the case page (WF-05) shows, gathered in one call as plain data.

The page's handlers stay thin: they call `case_view` after each verb and copy the result
into state. Access is checked first (require_case_access), so a number typed into the URL
by someone outside the case reveals nothing. A case may have several open tasks (a split):
each is one TaskPanel with the verbs its viewer may use on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.attachment import CaseAttachment
from models.enums import Role
from models.organization import Organization
from models.user import User
from models.workflow import Case, CaseStatus, Task
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied
from netsign_console.settings import settings
from netsign_console.workflow import rules
from netsign_console.workflow.access import require_case_access
from netsign_console.workflow.movement import open_tasks
from netsign_console.workflow.nodes import Review
from netsign_console.workflow.subtask_service import StageView, stage_views
from netsign_console.workflow.timeline import timeline
from netsign_console.workflow.times import format_local

CASE_STATUS_LABELS = {CaseStatus.ACTIVE: "未办结", CaseStatus.ARCHIVED: "已办结", CaseStatus.CANCELLED: "已取消"}


@dataclass
class TaskPanel:
    """One open task as its viewer sees it."""

    task_id: int
    stage: str
    title: str
    is_review: bool
    holder_name: str
    verbs: list[str]
    ends_case: bool  # finishing it archives the case (the button says 归档)
    return_targets: list[tuple[str, str]] = field(default_factory=list)
    decisions: list[tuple[str, str]] = field(default_factory=list)
    next_handlers: list[tuple[str, str]] = field(default_factory=list)
    opinion: str = ""
    branch_label: str = ""  # which branch of a split (a bank's name ...)


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
    tasks: list[TaskPanel]
    stages: list[StageView]
    timeline: list[str]
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, uploaded)
    can_cancel: bool = False


def find_case(session: Session, principal: Principal, number: str) -> Case:
    case = session.exec(select(Case).where(Case.number == (number or "").strip().upper())).first()
    if case is None:
        raise PermissionDenied("业务不存在或无权访问")
    return require_case_access(session, principal, case)


def next_handler_choices(session: Session, case: Case, task: Task) -> list[tuple[str, str]]:
    """Users who may hold the next stage, for dispatch's optional named handler (single next stage only)."""
    if case.status != CaseStatus.ACTIVE:
        return []
    flow = rules.flow_for_case(case)
    nxt = rules.single_next_stage(session, flow, case, task)
    if nxt is None:
        return []
    org_id = rules.stage_org(session, flow, case, nxt)
    if nxt.org is not None and org_id is None:
        return []  # routed to an organisation the case does not name yet (no bank picked): nobody to list
    query = select(User).where(User.role.in_(nxt.roles), User.is_active.is_(True)).order_by(User.id).limit(50)
    if org_id is not None:
        query = query.where(User.organization_id == org_id)
    users = session.exec(query).all()
    return [(str(u.id), f"{u.display_name}（{Role.label_of(u.role)}）") for u in users if rules.may_hold(u, nxt, org_id)]


def decision_label(flow, decision: str | None) -> str:
    """The case's decision in Chinese (the label declared on the review that made it)."""
    if not decision:
        return ""
    labels = {k: v for s in flow.stages().values() if isinstance(s, Review) for k, v in s.decisions.items()}
    return labels.get(decision, decision)


def _org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def _panel(session: Session, principal: Principal, flow, case: Case, task: Task) -> TaskPanel:
    node = flow.stage(task.stage)
    holder = session.get(User, task.owner_id) if task.owner_id else None
    verbs = list(rules.task_verbs(session, principal, flow, task))
    branch = ""
    if task.branch_key and task.branch_key.isdigit() and task.org_id:
        branch = _org_name(session, task.org_id)
    return TaskPanel(
        task_id=task.id,
        stage=task.stage,
        title=task.stage_title,
        is_review=isinstance(node, Review),
        holder_name=holder.display_name if holder else "待接件",
        verbs=verbs,
        ends_case=rules.ends_case(session, flow, case, task),
        return_targets=rules.return_targets(flow, task) if rules.RETURN in verbs else [],
        decisions=rules.decision_choices(flow, task) if rules.DECIDE in verbs else [],
        next_handlers=next_handler_choices(session, case, task) if rules.DISPATCH in verbs else [],
        opinion=(task.opinion or "") if task.owner_id == principal.user_id else "",
        branch_label=branch,
    )


def case_view(session: Session, principal: Principal, number: str) -> CaseView:
    case = find_case(session, principal, number)
    flow = rules.flow_for_case(case)
    tasks = open_tasks(session, case.id)
    creator = session.get(User, case.created_by_id)
    panels = [_panel(session, principal, flow, case, t) for t in tasks]
    titles = list(dict.fromkeys(t.stage_title for t in tasks))
    todo = list(dict.fromkeys(title for t in tasks for title in flow.stage(t.stage).todo))
    attachments = session.exec(
        select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id)
    ).all()
    actions = rules.available_actions(session, principal, case)
    return CaseView(
        case_id=case.id,
        number=case.number,
        case_type_title=f"【{settings.city}】{flow.title}",
        title=case.title,
        stage_title="、".join(titles) if titles else "—",
        status_label=CASE_STATUS_LABELS.get(case.status, case.status),
        created_at=format_local(case.created_at),
        creator_name=creator.display_name if creator else "",
        org_name=_org_name(session, case.org_id),
        holder_name="、".join(dict.fromkeys(p.holder_name for p in panels)) if panels else "—",
        decision_label=decision_label(flow, case.decision),
        subject=flow().describe_subject(session, case),
        todo=todo,
        actions=actions,
        tasks=panels,
        stages=stage_views(session, principal, case),
        timeline=[row.line for row in timeline(session, case.id)],
        attachments=[(str(a.id), a.file_name, format_local(a.created_at)) for a in attachments],
        can_cancel=rules.CANCEL in actions,
    )
