"""The verbs (WF-01), written once for every flow.

Each verb takes (session, principal, ...), locks the case row before reading anything it
decides on, checks role and scope through rules.py (raising PermissionDenied or UserError
before changing anything), then changes the case and its tasks and appends CaseEvent rows.
Nothing here commits: the caller's session_scope() does, so a refusal raised by a flow hook
rolls the whole verb back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select, update

from models.base import utcnow
from models.user import User
from models.workflow import Case, CaseEvent, CaseStatus, Task, TaskStatus
from netsign_console.errors import UserError
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.workflow import rules
from netsign_console.workflow.access import NOT_FOUND, can_view_case, require_case_access
from netsign_console.workflow.flow import Flow, Stage
from netsign_console.workflow.numbers import next_case_number
from netsign_console.workflow.registry import UnknownFlow, all_flows, get_flow
from netsign_console.workflow.rules import available_actions, open_task
from netsign_console.workflow.times import local_date

__all__ = [
    "accept",
    "claim",
    "release",
    "dispatch",
    "return_case",
    "cancel",
    "sign_opinion",
    "archive",
    "available_actions",
    "can_view_case",
    "require_case_access",
    "open_task",
]


# ----- helpers --------------------------------------------------------------------------------


def _lock_case(session: Session, case_id: int) -> Case:
    # populate_existing: the row read under the lock wins over a stale copy in the session.
    case = session.exec(
        select(Case)
        .where(Case.id == case_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if case is None:
        raise PermissionDenied(NOT_FOUND)
    return case


def _load_task(session: Session, principal: Principal, task_id: int) -> tuple[Case, Task, type[Flow]]:
    """Lock the task's case, then read the task fresh; refuse closed or invisible cases."""
    case_id = session.exec(select(Task.case_id).where(Task.id == task_id)).first()
    if case_id is None:
        raise PermissionDenied(NOT_FOUND)
    case = _lock_case(session, case_id)
    task = session.exec(
        select(Task).where(Task.id == task_id).execution_options(populate_existing=True)
    ).one()
    if not can_view_case(session, principal, case):
        raise PermissionDenied(NOT_FOUND)
    rules.check_active(case)
    return case, task, rules.flow_for_case(case)


def _event(
    session: Session,
    principal: Principal,
    case: Case,
    verb: str,
    now: datetime,
    *,
    task: Task | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    text: str | None = None,
) -> None:
    session.add(
        CaseEvent(
            case_id=case.id,
            task_id=task.id if task is not None else None,
            verb=verb,
            from_stage=from_stage,
            to_stage=to_stage,
            actor_id=principal.user_id,
            actor_name=principal.display_name,
            actor_org_name=principal.org_name or "",
            text=text,
            created_at=now,
        )
    )


def _new_task(
    session: Session,
    case: Case,
    stage: Stage,
    now: datetime,
    *,
    owner_id: int | None = None,
    dispatched_by_id: int | None = None,
    previous: Task | None = None,
    org_id: int | None = None,
) -> Task:
    task = Task(
        case_id=case.id,
        stage=stage.code,
        stage_title=stage.title,
        roles=stage.roles_code,
        org_id=org_id,
        owner_id=owner_id,
        status=TaskStatus.OPEN,
        created_at=now,
        claimed_at=now if owner_id is not None else None,
        dispatched_by_id=dispatched_by_id,
        previous_task_id=previous.id if previous is not None else None,
    )
    session.add(task)
    case.current_stage = stage.code
    case.updated_at = now
    session.add(case)
    session.flush()
    return task


def _stage_org(stage: Stage, case: Case, session: Session) -> int | None:
    return stage.org(case, session) if stage.org is not None else None


def _text(value: str | None) -> str:
    return (value or "").strip()


# ----- the verbs ------------------------------------------------------------------------------


def accept(
    session: Session,
    principal: Principal,
    flow_code: str,
    *,
    subject_type: str,
    subject_id: int | None,
    org_id: int | None,
    title: str | None,
    data: dict[str, Any] | None,
    now: datetime | None = None,
) -> Case:
    """业务受理: a new case on the flow version accepting today, its first task owned by the principal.

    `now` exists for tests and back-dated imports; it decides the flow version and the number.
    """
    now = now or utcnow()
    try:
        flow = get_flow(flow_code, on=local_date(now))
    except UnknownFlow:
        versions = [f for f in all_flows() if f.code == flow_code]
        if not versions:
            raise UserError("业务类型不存在") from None
        raise UserError(f"“{versions[-1].title}”业务当前不受理新业务") from None
    if str(principal.role) not in flow.accept_roles:
        raise PermissionDenied(f"您没有受理“{flow.title}”业务的权限")
    if not principal.sees_all_organizations and org_id != principal.org_id:
        raise PermissionDenied(NOT_FOUND)
    if flow.subject_type and subject_type != flow.subject_type:
        raise ValueError(f"{flow.label()} is about '{flow.subject_type}', not '{subject_type}'")
    data = dict(data or {})
    title = _text(title) or flow(principal).case_title(
        session, subject_type=subject_type, subject_id=subject_id, data=data
    )
    stage = flow.accept_stage()
    case = Case(
        # Taken last: the day's sequence row stays locked until this transaction ends.
        number=next_case_number(session, flow.prefix, now),
        case_type=flow.code,
        flow_version=flow.version,
        title=title,
        status=CaseStatus.ACTIVE,
        current_stage=stage.code,
        subject_type=subject_type,
        subject_id=subject_id,
        org_id=org_id,
        created_by_id=principal.user_id,
        created_at=now,
        updated_at=now,
        data=data,
    )
    session.add(case)
    session.flush()
    task = _new_task(
        session, case, stage, now, owner_id=principal.user_id, org_id=_stage_org(stage, case, session)
    )
    _event(session, principal, case, "accept", now, task=task, to_stage=stage.code)
    return case


def claim(session: Session, principal: Principal, task_id: int) -> Task:
    """业务接件: take an unowned open task of one's role (and organisation, when the task names one)."""
    case, task, _flow = _load_task(session, principal, task_id)
    rules.check_claim_rights(principal, task)
    now = utcnow()
    # Optimistic: of two people clicking at once exactly one row update succeeds.
    result = session.exec(
        update(Task)
        .where(Task.id == task_id, Task.owner_id.is_(None), Task.status == TaskStatus.OPEN)
        .values(owner_id=principal.user_id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise UserError("该任务已被他人接件或已办结")
    session.refresh(task)
    _event(session, principal, case, "claim", now, task=task, from_stage=task.stage)
    return task


def release(session: Session, principal: Principal, task_id: int) -> Task:
    """Give a claimed task back to the queue of its role (and organisation)."""
    case, task, _flow = _load_task(session, principal, task_id)
    rules.check_owner(principal, task)
    now = utcnow()
    task.owner_id = None
    task.claimed_at = None
    session.add(task)
    _event(session, principal, case, "release", now, task=task, from_stage=task.stage)
    return task


def dispatch(
    session: Session,
    principal: Principal,
    task_id: int,
    *,
    opinion: str | None = None,
    next_handler_id: int | None = None,
) -> Task:
    """业务派工: finish one's stage and send the case on; returns the next stage's new task."""
    case, task, flow = _load_task(session, principal, task_id)
    rules.check_dispatch(flow, principal, task)
    target = flow.resolve_next(task.stage, case)
    org_id = _stage_org(target, case, session)
    handler = session.get(User, next_handler_id) if next_handler_id is not None else None
    if next_handler_id is not None and not rules.may_hold(handler, target, org_id):
        raise UserError(f"指定的办理人员不能办理“{target.title}”环节", "next_handler_id")
    now = utcnow()
    task.status = TaskStatus.DONE
    task.finished_at = now
    if _text(opinion):
        task.opinion = _text(opinion)
    session.add(task)
    new = _new_task(
        session,
        case,
        target,
        now,
        owner_id=next_handler_id,
        dispatched_by_id=principal.user_id,
        previous=task,
        org_id=org_id,
    )
    _event(
        session, principal, case, "dispatch", now,
        task=task, from_stage=task.stage, to_stage=target.code, text=_text(opinion) or None,
    )
    return new


def return_case(
    session: Session, principal: Principal, task_id: int, *, target_stage: str, reason: str
) -> Task:
    """业务退件: close the task as returned and open a new task at an earlier stage.

    The new task goes straight back to whoever last completed that stage (their inbox), or
    to the stage's queue when that person can no longer hold it.
    """
    case, task, flow = _load_task(session, principal, task_id)
    stage = rules.check_return(flow, principal, task)
    reason = _text(reason)
    if not reason:
        raise UserError("请填写退件原因", "reason")
    if target_stage not in stage.returns_to:
        raise UserError("不能退回到该环节", "target_stage")
    target = flow.stage(target_stage)
    org_id = _stage_org(target, case, session)
    last_owner_id = session.exec(
        select(Task.owner_id)
        .where(Task.case_id == case.id, Task.stage == target.code, Task.status == TaskStatus.DONE)
        .order_by(Task.finished_at.desc(), Task.id.desc())
    ).first()
    last_owner = session.get(User, last_owner_id) if last_owner_id is not None else None
    owner_id = last_owner_id if rules.may_hold(last_owner, target, org_id) else None
    now = utcnow()
    task.status = TaskStatus.RETURNED
    task.finished_at = now
    task.return_reason = reason
    task.returned_to = target.code
    session.add(task)
    new = _new_task(
        session, case, target, now,
        owner_id=owner_id, dispatched_by_id=principal.user_id, previous=task, org_id=org_id,
    )
    _event(
        session, principal, case, "return", now,
        task=task, from_stage=task.stage, to_stage=target.code, text=reason,
    )
    return new


def cancel(session: Session, principal: Principal, case_id: int, *, reason: str) -> Case:
    """取消受理: withdraw a case before it has passed a point of no return."""
    case = _lock_case(session, case_id)
    if not can_view_case(session, principal, case):
        raise PermissionDenied(NOT_FOUND)
    rules.check_active(case)
    flow = rules.flow_for_case(case)
    rules.check_cancel(session, flow, principal, case)
    reason = _text(reason)
    if not reason:
        raise UserError("请填写取消受理原因", "reason")
    now = utcnow()
    stage = case.current_stage
    for task in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.OPEN)
    ).all():
        task.status = TaskStatus.CANCELLED
        task.finished_at = now
        session.add(task)
    case.status = CaseStatus.CANCELLED
    case.cancelled_at = now
    case.cancel_reason = reason
    case.current_stage = ""
    case.updated_at = now
    session.add(case)
    flow(principal).on_cancel(session, case)
    _event(session, principal, case, "cancel", now, from_stage=stage or None, text=reason)
    session.flush()
    return case


def sign_opinion(session: Session, principal: Principal, task_id: int, opinion: str) -> Task:
    """意见签署: the holder's written opinion, kept on the task and in the timeline."""
    case, task, _flow = _load_task(session, principal, task_id)
    rules.check_owner(principal, task)
    opinion = _text(opinion)
    if not opinion:
        raise UserError("请填写意见", "opinion")
    now = utcnow()
    task.opinion = opinion
    session.add(task)
    _event(session, principal, case, "opinion", now, task=task, from_stage=task.stage, text=opinion)
    return task


def archive(
    session: Session,
    principal: Principal,
    task_id: int,
    *,
    opinion: str | None = None,
    decision: str | None = None,
) -> Case:
    """归档 / 办结: complete the case from an archive stage, with its decision when it declares them."""
    case, task, flow = _load_task(session, principal, task_id)
    stage = rules.check_archive(flow, principal, task)
    decision = _text(decision) or None
    if stage.decisions:
        if decision is None:
            raise UserError("请选择审核结论", "decision")
        if decision not in stage.decisions:
            raise UserError("审核结论无效", "decision")
    elif decision is not None:
        raise UserError("本环节无需选择审核结论", "decision")
    if decision in stage.opinion_required_for and not _text(opinion):
        raise UserError(f"审核结论为“{stage.decisions[decision]}”时，请填写原因", "opinion")
    now = utcnow()
    task.status = TaskStatus.ARCHIVED
    task.finished_at = now
    if _text(opinion):
        task.opinion = _text(opinion)
    session.add(task)
    case.status = CaseStatus.ARCHIVED
    case.archived_at = now
    case.decision = decision
    case.current_stage = ""
    case.updated_at = now
    session.add(case)
    flow(principal).on_archive(session, case, decision)
    _event(
        session, principal, case, "archive", now,
        task=task, from_stage=task.stage, text=_text(opinion) or None,
    )
    session.flush()
    return case
