"""The engine's rules as gates: each check raises PermissionDenied or UserError, or returns.

The verbs in engine.py call these before changing anything, and available_actions() asks
the very same functions, so the buttons the UI shows can never disagree with the engine.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.enums import NetworkAccessStatus, Role
from models.user import User
from models.workflow import Case, CaseStatus, Task, TaskStatus
from netsign_console.errors import UserError
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.workflow.access import can_view_case, holds_role, in_task_org
from netsign_console.workflow.flow import Flow, Stage
from netsign_console.workflow.registry import get_flow

CLAIM = "claim"
RELEASE = "release"
OPINION = "opinion"
DISPATCH = "dispatch"
RETURN = "return"
ARCHIVE = "archive"
CANCEL = "cancel"

# The regulator's reviewers and the system administrator may withdraw any case.
_CANCEL_ANY = (Role.REGULATOR, Role.SYSTEM_ADMIN)


def flow_for_case(case: Case) -> type[Flow]:
    """The flow version the case was accepted on (it finishes on it, STOCK-07)."""
    return get_flow(case.case_type, case.flow_version)


def open_task(session: Session, case_id: int) -> Task | None:
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


def may_hold(user: User | None, stage: Stage, org_id: int | None) -> bool:
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
    stage = flow.stage(task.stage)
    if stage.archive:
        raise UserError("本环节为归档环节，请使用归档")
    return stage


def check_return(flow: type[Flow], principal: Principal, task: Task) -> Stage:
    check_owner(principal, task)
    stage = flow.stage(task.stage)
    if not stage.returns_to:
        raise UserError("本环节不能退件")
    return stage


def check_archive(flow: type[Flow], principal: Principal, task: Task) -> Stage:
    check_owner(principal, task)
    stage = flow.stage(task.stage)
    if not stage.archive:
        raise UserError("本环节不是归档环节，请使用派工")
    return stage


def passed_point_of_no_return(session: Session, flow: type[Flow], case: Case) -> Stage | None:
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
        and str(principal.role) in flow.accept_roles
    )
    if not (initiator or principal.role in _CANCEL_ANY):
        raise PermissionDenied("您没有取消受理该业务的权限")
    passed = passed_point_of_no_return(session, flow, case)
    if passed is not None:
        raise UserError(f"业务已过“{passed.title}”环节，不能取消受理")


def available_actions(session: Session, principal: Principal, case: Case) -> list[str]:
    """The verbs the principal may use on the case now, in display order (for the UI's buttons)."""
    if case.status != CaseStatus.ACTIVE or not can_view_case(session, principal, case):
        return []
    flow = flow_for_case(case)
    task = open_task(session, case.id)
    checks = []
    if task is not None:
        checks = [
            (CLAIM, lambda: check_claim(principal, task)),
            (RELEASE, lambda: check_owner(principal, task)),
            (OPINION, lambda: check_owner(principal, task)),
            (DISPATCH, lambda: check_dispatch(flow, principal, task)),
            (RETURN, lambda: check_return(flow, principal, task)),
            (ARCHIVE, lambda: check_archive(flow, principal, task)),
        ]
    checks.append((CANCEL, lambda: check_cancel(session, flow, principal, case)))
    actions = []
    for verb, check in checks:
        try:
            check()
        except (PermissionDenied, UserError):
            continue
        actions.append(verb)
    return actions


def return_targets(case: Case) -> list[tuple[str, str]]:
    """(code, title) of the stages the case's current stage may return to, for a picker."""
    if case.status != CaseStatus.ACTIVE or not case.current_stage:
        return []
    flow = flow_for_case(case)
    return [(code, flow.stage(code).title) for code in flow.stage(case.current_stage).returns_to]


def decision_choices(case: Case) -> list[tuple[str, str]]:
    """(code, label) of the current stage's archive decisions, e.g. [("approve", "通过"), ...]."""
    if case.status != CaseStatus.ACTIVE or not case.current_stage:
        return []
    decisions = flow_for_case(case).stage(case.current_stage).decisions or {}
    return list(decisions.items())
