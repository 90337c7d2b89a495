"""Who may see a case and who may hold a task: the case scope of the permission model.

A case is visible to the regulator's side, to the organisation that accepted it, and to an
organisation the case was sent to (a task assigned to it, or held by one of its users).
A bank therefore sees only what was dispatched to it.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.user import User
from models.workflow import Case, Task, TaskStatus
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal

# Same message for "missing" and "not yours", so probing ids reveals nothing.
NOT_FOUND = "记录不存在或无权访问"


def holds_role(principal: Principal, task: Task) -> bool:
    return str(principal.role) in task.roles.split(",")


def in_task_org(principal: Principal, task: Task) -> bool:
    return task.org_id is None or task.org_id == principal.org_id


def can_view_case(session: Session, principal: Principal, case: Case) -> bool:
    if principal.sees_all_organizations:
        return True
    if principal.org_id is not None and case.org_id == principal.org_id:
        return True
    if case.created_by_id == principal.user_id:
        return True
    rows = session.exec(
        select(Task.org_id, Task.owner_id, Task.status, Task.roles).where(Task.case_id == case.id)
    ).all()
    owners: set[int] = set()
    for org_id, owner_id, status, roles in rows:
        if owner_id == principal.user_id:
            return True
        if principal.org_id is not None and org_id == principal.org_id:
            return True
        # An unassigned task open to any organisation of my role is in my claimable queue.
        if status == TaskStatus.OPEN and owner_id is None and org_id is None:
            if str(principal.role) in roles.split(","):
                return True
        if owner_id is not None:
            owners.add(owner_id)
    if principal.org_id is None or not owners:
        return False
    held_by_colleague = session.exec(
        select(User.id).where(User.id.in_(owners), User.organization_id == principal.org_id).limit(1)
    ).first()
    return held_by_colleague is not None


def require_case_access(session: Session, principal: Principal, case: Case | int) -> Case:
    """The case if the principal may see it; PermissionDenied otherwise (also for a missing id)."""
    if not isinstance(case, Case):
        found = session.get(Case, case) if case is not None else None
        if found is None:
            raise PermissionDenied(NOT_FOUND)
        case = found
    if not can_view_case(session, principal, case):
        raise PermissionDenied(NOT_FOUND)
    return case
