"""The engine's rules as gates: each check raises PermissionDenied or UserError, or returns.

The verbs in engine.py call these before changing anything, and available_actions() asks
the very same functions, so the buttons the UI shows can never disagree with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models.enums import NetworkAccessStatus, Role
from models.user import User
from models.workflow import Case, CaseStatus, Task, TaskStatus
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow.access import can_view_case, holds_role, in_task_org
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import End, HumanNode, Join, Review, Split, Stage, Switch
from netsign_console.workflow.registry import get_flow
from netsign_console.workflow.routing import RouteContext

CLAIM = "claim"
RELEASE = "release"
OPINION = "opinion"
DISPATCH = "dispatch"
DECIDE = "decide"
RETURN = "return"
CANCEL = "cancel"

# The regulator's reviewers and the system administrator may withdraw any case.
_CANCEL_ANY = (Role.REGULATOR, Role.SYSTEM_ADMIN)


def flow_for_case(case: Case) -> type[Flow]:
    """The flow version the case was accepted on (it finishes on it, STOCK-07)."""
    return get_flow(case.case_type, case.flow_version)


def open_task(session: Session, case_id: int) -> Task | None:
    """The case's oldest open task (most cases have exactly one)."""
    return session.exec(
        select(Task).where(Task.case_id == case_id, Task.status == TaskStatus.OPEN).order_by(Task.id)
    ).first()


def check_active(case: Case) -> None:
    if case.status == CaseStatus.ARCHIVED:
        raise UserError("业务已办结，不能再操作")
    if case.status == CaseStatus.CANCELLED:
        raise UserError("业务已取消受理")


def check_claim_rights(principal: Principal, task: Task) -> None:
    if not holds_role(principal, task):
        raise PermissionDenied(f"您的角色不能办理“{task.stage_title}”环节")
    if not in_task_org(principal, task):
        raise PermissionDenied("该任务须由指定机构办理")


def may_hold(user: User | None, stage: HumanNode, org_id: int | None) -> bool:
    """May this user be given a task of `stage` inside `org_id` (None = any organisation)?

    Used for a named next handler and for sending a return back to its last holder.
    """
    return (
        user is not None
        and user.is_active
        and user.network_access_status == NetworkAccessStatus.APPROVED
        and user.role in stage.roles
        and (org_id is None or user.organization_id == org_id)
    )


def stage_org(session: Session, flow: type[Flow], case: Case, stage: HumanNode, branch_key: str | None = None) -> int | None:
    """The organisation a task of `stage` would be routed to now."""
    if stage.org is None:
        return None
    return stage.org(RouteContext(session, case, flow.data_of(case), branch_key))


def single_next_stage(session: Session, flow: type[Flow], case: Case, task: Task) -> HumanNode | None:
    """The one stage a dispatch of `task` opens, when it is one (through switches): for a named
    next handler. None when the move splits, waits at a join or ends the case."""
    code = flow.node(task.stage).targets(flow)[0]
    data = flow.data_of(case)
    for _ in range(20):
        node = flow.node(code)
        if isinstance(node, HumanNode):
            return node
        if isinstance(node, Switch):
            code = node.choose(data)
            continue
        if isinstance(node, Join):
            if task.split_id is not None:
                return None
            code = flow.targets(code)[0]
            continue
        return None  # Split or End
    return None


def ends_case(session: Session, flow: type[Flow], case: Case, task: Task) -> bool:
    """Would finishing `task` (dispatch, or 通过) archive the case? (The button then says 归档.)"""
    code = flow.node(task.stage).targets(flow)[0]
    data = flow.data_of(case)
    for _ in range(20):
        node = flow.node(code)
        if isinstance(node, End):
            return True
        if isinstance(node, Switch):
            code = node.choose(data)
        elif isinstance(node, Join):
            others = session.exec(
                select(Task.id).where(Task.case_id == case.id, Task.split_id == task.split_id,
                                      Task.status == TaskStatus.OPEN, Task.id != task.id).limit(1)
            ).first() if task.split_id is not None else None
            if others:
                return False
            code = flow.targets(code)[0]
        else:
            return False
    return False


def check_claim(principal: Principal, task: Task) -> None:
    check_claim_rights(principal, task)
    if task.status != TaskStatus.OPEN or task.owner_id is not None:
        raise UserError("该任务已被他人接件或已办结")


def check_owner(principal: Principal, task: Task) -> None:
    if task.owner_id != principal.user_id:
        raise PermissionDenied("该任务不在您的在手业务中")
    if task.status != TaskStatus.OPEN:
        raise UserError("该任务已办结，不能再操作")


def check_dispatch(flow: type[Flow], principal: Principal, task: Task) -> Stage:
    check_owner(principal, task)
    node = flow.stage(task.stage)
    if isinstance(node, Review):
        raise UserError("本环节为审核环节，请选择审核结论")
    return node


def check_decide(flow: type[Flow], principal: Principal, task: Task) -> Review:
    check_owner(principal, task)
    node = flow.stage(task.stage)
    if not isinstance(node, Review):
        raise UserError("本环节不是审核环节，请使用派工")
    return node


def check_return(flow: type[Flow], principal: Principal, task: Task) -> HumanNode:
    check_owner(principal, task)
    stage = flow.stage(task.stage)
    if not stage.returns_to:
        raise UserError("本环节不能退件")
    return stage


def passed_point_of_no_return(session: Session, flow: type[Flow], case: Case) -> HumanNode | None:
    """The point-of-no-return stage the case has been dispatched from, if any."""
    codes = flow.points_of_no_return()
    if not codes:
        return None
    code = session.exec(
        select(Task.stage).where(
            Task.case_id == case.id, Task.stage.in_(codes), Task.status == TaskStatus.DONE
        )
    ).first()
    return flow.stage(code) if code else None


def check_cancel(session: Session, flow: type[Flow], principal: Principal, case: Case) -> None:
    initiator = (
        principal.org_id is not None
        and principal.org_id == case.org_id
        and str(principal.role) in flow.accept_roles()
    )
    if not (initiator or principal.role in _CANCEL_ANY):
        raise PermissionDenied("您没有取消受理该业务的权限")
    passed = passed_point_of_no_return(session, flow, case)
    if passed is not None:
        raise UserError(f"业务已过“{passed.title}”环节，不能取消受理")


@dataclass(frozen=True)
class TaskActions:
    """What the principal may do on one open task now, for the case page's buttons."""

    task_id: int
    verbs: tuple[str, ...]


def _allowed(check) -> bool:
    try:
        check()
    except (PermissionDenied, UserError):
        return False
    return True


def task_verbs(session: Session, principal: Principal, flow: type[Flow], task: Task) -> tuple[str, ...]:
    checks = [
        (CLAIM, lambda: check_claim(principal, task)),
        (RELEASE, lambda: check_owner(principal, task)),
        (OPINION, lambda: check_owner(principal, task)),
        (DISPATCH, lambda: check_dispatch(flow, principal, task)),
        (DECIDE, lambda: check_decide(flow, principal, task)),
        (RETURN, lambda: check_return(flow, principal, task)),
    ]
    return tuple(verb for verb, check in checks if _allowed(check))


def available_actions(session: Session, principal: Principal, case: Case) -> list[str]:
    """Every verb the principal may use on the case now (on any of its open tasks), in display order."""
    if case.status != CaseStatus.ACTIVE or not can_view_case(session, principal, case):
        return []
    flow = flow_for_case(case)
    verbs: list[str] = []
    for task in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.OPEN).order_by(Task.id)
    ).all():
        verbs.extend(v for v in task_verbs(session, principal, flow, task) if v not in verbs)
    if _allowed(lambda: check_cancel(session, flow, principal, case)):
        verbs.append(CANCEL)
    return verbs


def return_targets(flow: type[Flow], task: Task) -> list[tuple[str, str]]:
    """(code, title) of the stages `task` may return to, for a picker."""
    return [(code, flow.stage(code).title) for code in flow.stage(task.stage).returns_to]


def decision_choices(flow: type[Flow], task: Task) -> list[tuple[str, str]]:
    """(code, label) of a review task's decisions, e.g. [("approve", "通过"), ("reject", "不通过")]."""
    node = flow.stage(task.stage)
    return list(node.decisions.items()) if isinstance(node, Review) else []


def split_of(flow: type[Flow], code: str) -> Split | None:
    for node in flow.nodes.values():
        if isinstance(node, Split) and code in node.branches:
            return node
    return None
