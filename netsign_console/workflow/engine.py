"""The verbs (WF-01), written once for every flow.

Each verb takes (session, principal, ...), locks the case row before reading anything it
decides on, checks role and scope through rules.py (raising PermissionDenied or UserError
before changing anything), then changes the case and its tasks (movement.py says where the
case lands), appends CaseEvent rows to the timeline and an audit record. Nothing here
commits: the caller's session_scope() does, so a refusal raised by a flow hook rolls the
whole verb back.

    accept       业务受理: a new case on its subject; the first stage's task is the acceptor's
    claim        业务接件 / release: take a queued task, or give it back
    dispatch     业务派工: finish a Stage (its required sub-tasks done) and move on
    decide       审核: 通过 moves on, 不通过 returns to a stage or ends the case as rejected
    return_case  业务退件: back to an earlier stage with a reason
    sign_opinion 意见签署
    cancel       取消受理, before a point of no return
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select, update

from models.audit import AuditAction
from models.base import utcnow
from models.user import User
from models.workflow import Case, CaseEvent, CaseStatus, Task, TaskStatus
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow import rules
from netsign_console.workflow.access import NOT_FOUND, can_view_case, require_case_access
from netsign_console.workflow.data import dump_data, validate_data
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.movement import Mover, open_tasks, same_branch, sync_current_stage, withdraw_siblings
from netsign_console.workflow.nodes import APPROVE, AcceptContext
from netsign_console.workflow.numbers import next_case_number
from netsign_console.workflow.registry import UnknownFlow, all_flows, get_flow
from netsign_console.workflow.rules import available_actions, open_task
from netsign_console.workflow.times import local_date

__all__ = [
    "accept",
    "claim",
    "release",
    "dispatch",
    "decide",
    "return_case",
    "cancel",
    "sign_opinion",
    "update_data",
    "available_actions",
    "can_view_case",
    "require_case_access",
    "open_task",
    "open_tasks",
]


# ----- helpers --------------------------------------------------------------------------------


def lock_case(session: Session, case_id: int) -> Case:
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


def load_task(session: Session, principal: Principal, task_id: int) -> tuple[Case, Task, type[Flow]]:
    """Lock the task's case, then read the task fresh; refuse closed or invisible cases."""
    case_id = session.exec(select(Task.case_id).where(Task.id == task_id)).first()
    if case_id is None:
        raise PermissionDenied(NOT_FOUND)
    case = lock_case(session, case_id)
    task = session.exec(
        select(Task).where(Task.id == task_id).execution_options(populate_existing=True)
    ).one()
    if not can_view_case(session, principal, case):
        raise PermissionDenied(NOT_FOUND)
    rules.check_active(case)
    return case, task, rules.flow_for_case(case)


_AUDIT = {
    "accept": "受理", "claim": "接件", "release": "释放任务", "dispatch": "派工", "decide": "审核",
    "return": "退件", "opinion": "意见签署", "archive": "归档", "cancel": "取消受理", "subtask": "办理待办任务",
    "data": "修改业务数据",
}


def event(
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
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One timeline line and its audit record (审计日志: who, what, before and after)."""
    from netsign_console.admin.audit import record_event

    session.add(
        CaseEvent(
            case_id=case.id,
            task_id=task.id if task is not None else None,
            verb=verb,
            from_stage=from_stage,
            to_stage=(to_stage or None) and to_stage[:200],
            actor_id=principal.user_id,
            actor_name=principal.display_name,
            actor_org_name=principal.org_name or "",
            text=text,
            created_at=now,
        )
    )
    changes: dict[str, Any] = {"_summary": f"{_AUDIT.get(verb, verb)}：{case.number}", "case_number": [None, case.number]}
    if from_stage or to_stage:
        changes["stage"] = [from_stage, to_stage]
    if text:
        changes["text"] = [None, text]
    for key in set(before or {}) | set(after or {}):
        changes[key] = [(before or {}).get(key), (after or {}).get(key)]
    record_event(session, principal, AuditAction.workflow(verb), "case_record", case.id, changes)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _finish(session: Session, case: Case) -> None:
    sync_current_stage(session, case)
    session.flush()


# ----- the verbs ------------------------------------------------------------------------------


def accept(
    session: Session,
    principal: Principal,
    flow_code: str,
    *,
    subject_id: int | None = None,
    data: dict[str, Any] | None = None,
    title: str | None = None,
    now: datetime | None = None,
) -> Case:
    """业务受理: a new case on the flow version accepting today; its first task is the acceptor's.

    The subject is loaded in the principal's scope, the Start's checks run (the first refusal
    is raised at the subject field), and the data is typed before anything is written.
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
    if str(principal.role) not in flow.accept_roles():
        raise PermissionDenied(f"您没有受理“{flow.title}”业务的权限")
    kind = flow.subject_kind()
    subject = None
    if kind is not None:
        if subject_id is None:
            raise UserError(f"请选择{kind.label}", "subject")
        subject = kind.load(session, principal, subject_id)
    org_id = kind.org_of(subject) if subject is not None else principal.org_id
    if org_id is None:
        org_id = principal.org_id
    if not principal.sees_all_organizations and org_id != principal.org_id:
        raise PermissionDenied(NOT_FOUND)
    start = flow.start_node()
    ctx = AcceptContext(session, principal, flow, subject, dict(data or {}))
    initial = dict(start.initial_data(ctx)) if start.initial_data is not None else {}
    typed = validate_data(flow.data_model, {**initial, **(data or {})})
    ctx.data = dump_data(typed)
    refusals = start.refusals(ctx)
    if refusals:
        raise UserError(refusals[0], "subject")
    title = _text(title) or flow(principal).case_title(session, subject, typed)
    case = Case(
        # Taken last: the day's sequence row stays locked until this transaction ends.
        number=next_case_number(session, flow.prefix, now),
        case_type=flow.code,
        flow_version=flow.version,
        title=title[:200],
        status=CaseStatus.ACTIVE,
        subject_type=kind.code if kind is not None else "",
        subject_id=subject.id if subject is not None else None,
        org_id=org_id,
        created_by_id=principal.user_id,
        created_at=now,
        updated_at=now,
        data=dump_data(typed),
    )
    session.add(case)
    session.flush()
    flow(principal).on_accept(session, case, subject)
    move = Mover(session, flow, case, principal, now, via=None).enter(
        flow.first_stage().code, owner_id=principal.user_id
    )
    event(session, principal, case, "accept", now, task=move.opened[0], to_stage=move.stage_codes,
          after={"title": case.title})
    _finish(session, case)
    return case


def claim(session: Session, principal: Principal, task_id: int) -> Task:
    """业务接件: take an unowned open task of one's role (and organisation, when the task names one)."""
    case, task, _flow = load_task(session, principal, task_id)
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
    event(session, principal, case, "claim", now, task=task, from_stage=task.stage,
          before={"owner": None}, after={"owner": principal.display_name})
    return task


def release(session: Session, principal: Principal, task_id: int) -> Task:
    """Give a claimed task back to the queue of its role (and organisation)."""
    case, task, _flow = load_task(session, principal, task_id)
    rules.check_owner(principal, task)
    now = utcnow()
    task.owner_id = None
    task.claimed_at = None
    session.add(task)
    event(session, principal, case, "release", now, task=task, from_stage=task.stage,
          before={"owner": principal.display_name}, after={"owner": None})
    return task


def _named_handler(session: Session, flow: type[Flow], case: Case, task: Task, next_handler_id: int | None) -> int | None:
    """Check a named next handler against the stage the case goes to (only for a single next stage)."""
    if next_handler_id is None:
        return None
    target = rules.single_next_stage(session, flow, case, task)
    handler = session.get(User, next_handler_id)
    org_id = rules.stage_org(session, flow, case, target) if target is not None else None
    if target is None or not rules.may_hold(handler, target, org_id):
        title = target.title if target is not None else "下一"
        raise UserError(f"指定的办理人员不能办理“{title}”环节", "next_handler_id")
    return next_handler_id


def dispatch(
    session: Session,
    principal: Principal,
    task_id: int,
    *,
    opinion: str | None = None,
    next_handler_id: int | None = None,
) -> list[Task]:
    """业务派工: finish one's Stage and send the case on; returns the tasks it opened (empty
    when the case waits at a join or was archived)."""
    case, task, flow = load_task(session, principal, task_id)
    stage = rules.check_dispatch(flow, principal, task)
    from netsign_console.workflow.subtask_service import missing_required

    missing = missing_required(session, flow, case, stage)
    if missing:
        raise UserError("请先完成待办任务：" + "、".join(missing), "subtasks")
    owner = _named_handler(session, flow, case, task, next_handler_id)
    now = utcnow()
    task.status = TaskStatus.DONE
    task.finished_at = now
    if _text(opinion):
        task.opinion = _text(opinion)
    session.add(task)
    session.flush()
    move = Mover(session, flow, case, principal, now, via=task).enter(stage.targets(flow)[0], owner_id=owner)
    if move.archived_at:
        task.status = TaskStatus.ARCHIVED
        session.add(task)
    verb = "archive" if move.archived_at else "dispatch"
    event(session, principal, case, verb, now, task=task, from_stage=task.stage, to_stage=move.stage_codes,
          text=_text(opinion) or None)
    _finish(session, case)
    return move.opened


def decide(
    session: Session,
    principal: Principal,
    task_id: int,
    *,
    decision: str | None,
    opinion: str | None = None,
) -> list[Task]:
    """审核: 通过 moves the case on; 不通过 returns it to the declared stage (the opinion is the
    reason) or ends it as rejected. Returns the tasks opened."""
    case, task, flow = load_task(session, principal, task_id)
    review = rules.check_decide(flow, principal, task)
    decision = _text(decision) or None
    if decision is None:
        raise UserError("请选择审核结论", "decision")
    if decision not in review.decisions:
        raise UserError("审核结论无效", "decision")
    opinion = _text(opinion)
    if decision in review.opinion_required_for and not opinion:
        raise UserError(f"审核结论为“{review.decisions[decision]}”时，请填写原因", "opinion")
    from netsign_console.workflow.subtask_service import missing_required

    missing = missing_required(session, flow, case, review)
    if missing and decision == APPROVE:
        raise UserError("请先完成待办任务：" + "、".join(missing), "subtasks")
    now = utcnow()
    task.decision = decision
    task.finished_at = now
    if opinion:
        task.opinion = opinion
    label = review.decisions[decision]
    if decision != APPROVE and review.rejects_by_return(flow):
        new = _send_back(session, principal, flow, case, task, review.on_reject, opinion, now)
        event(session, principal, case, "decide", now, task=task, from_stage=task.stage, to_stage=new.stage,
              text=opinion, after={"decision": label})
        _finish(session, case)
        return [new]
    task.status = TaskStatus.DONE
    session.add(task)
    session.flush()
    target = review.targets(flow)[0] if decision == APPROVE else review.on_reject
    move = Mover(session, flow, case, principal, now, via=task, decision=decision).enter(target)
    if move.archived_at:
        task.status = TaskStatus.ARCHIVED
        session.add(task)
    verb = "archive" if move.archived_at else "decide"
    event(session, principal, case, verb, now, task=task, from_stage=task.stage, to_stage=move.stage_codes,
          text=opinion or None, after={"decision": label})
    _finish(session, case)
    return move.opened


def _send_back(session: Session, principal: Principal, flow: type[Flow], case: Case, task: Task, target_code: str,
               reason: str, now: datetime) -> Task:
    """Close `task` as returned and open a task at `target_code` for whoever last completed it
    (their inbox), or its queue when that person can no longer hold it. A return out of a
    split withdraws the sibling tasks; within a branch it stays in the branch."""
    target = flow.stage(target_code)
    inside = same_branch(flow, task, target_code)
    org = rules.stage_org(session, flow, case, target, task.branch_key if inside else None)
    last_owner_id = session.exec(
        select(Task.owner_id)
        .where(Task.case_id == case.id, Task.stage == target.code,
               Task.status.in_((TaskStatus.DONE, TaskStatus.RETURNED)))
        .order_by(Task.finished_at.desc(), Task.id.desc())
    ).first()
    last_owner = session.get(User, last_owner_id) if last_owner_id is not None else None
    owner_id = last_owner_id if rules.may_hold(last_owner, target, org) else None
    task.status = TaskStatus.RETURNED
    task.finished_at = now
    task.return_reason = reason
    task.returned_to = target.code
    session.add(task)
    if not inside:
        withdraw_siblings(session, task, now)
    from netsign_console.workflow.movement import new_task

    return new_task(
        session, flow, case, target, now, owner_id=owner_id, dispatched_by_id=principal.user_id, previous=task,
        split_id=task.split_id if inside else None, branch_key=task.branch_key if inside else None,
    )


def return_case(
    session: Session, principal: Principal, task_id: int, *, target_stage: str, reason: str
) -> Task:
    """业务退件: close the task as returned and open a new task at an earlier stage."""
    case, task, flow = load_task(session, principal, task_id)
    stage = rules.check_return(flow, principal, task)
    reason = _text(reason)
    if not reason:
        raise UserError("请填写退件原因", "reason")
    if target_stage not in stage.returns_to:
        raise UserError("不能退回到该环节", "target_stage")
    now = utcnow()
    new = _send_back(session, principal, flow, case, task, target_stage, reason, now)
    event(session, principal, case, "return", now, task=task, from_stage=task.stage, to_stage=new.stage, text=reason)
    _finish(session, case)
    return new


def cancel(session: Session, principal: Principal, case_id: int, *, reason: str) -> Case:
    """取消受理: withdraw a case before it has passed a point of no return."""
    case = lock_case(session, case_id)
    if not can_view_case(session, principal, case):
        raise PermissionDenied(NOT_FOUND)
    rules.check_active(case)
    flow = rules.flow_for_case(case)
    rules.check_cancel(session, flow, principal, case)
    reason = _text(reason)
    if not reason:
        raise UserError("请填写取消受理原因", "reason")
    now = utcnow()
    stages = case.current_stage
    for task in open_tasks(session, case.id):
        task.status = TaskStatus.CANCELLED
        task.finished_at = now
        session.add(task)
    case.status = CaseStatus.CANCELLED
    case.cancelled_at = now
    case.cancel_reason = reason
    case.updated_at = now
    session.add(case)
    flow(principal).on_cancel(session, case)
    event(session, principal, case, "cancel", now, from_stage=(stages or None) and stages.split(",")[0], text=reason,
          before={"status": "办理中"}, after={"status": "已取消"})
    _finish(session, case)
    return case


def sign_opinion(session: Session, principal: Principal, task_id: int, opinion: str) -> Task:
    """意见签署: the holder's written opinion, kept on the task and in the timeline."""
    case, task, _flow = load_task(session, principal, task_id)
    rules.check_owner(principal, task)
    opinion = _text(opinion)
    if not opinion:
        raise UserError("请填写意见", "opinion")
    now = utcnow()
    before = task.opinion
    task.opinion = opinion
    session.add(task)
    event(session, principal, case, "opinion", now, task=task, from_stage=task.stage, text=opinion,
          before={"opinion": before}, after={"opinion": opinion})
    return task


def update_data(session: Session, principal: Principal, task_id: int, values: dict[str, Any]) -> Case:
    """Change fields of the case's typed data (the holder of an open task only); refused with a
    Chinese message per field when the result does not fit the flow's data model."""
    case, task, flow = load_task(session, principal, task_id)
    rules.check_owner(principal, task)
    before = dict(case.data or {})
    flow.set_data(case, **values)
    session.add(case)
    changed = {k: v for k, v in case.data.items() if before.get(k) != v}
    if changed:
        event(session, principal, case, "data", utcnow(), task=task, from_stage=task.stage,
              before={k: before.get(k) for k in changed}, after=changed)
    return case

