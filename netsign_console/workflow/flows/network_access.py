"""用户入网 (SYS-09): an enterprise admin applies for a user's admission; the regulator decides.

The user's network_access_status follows the case: pending while it runs, approved or
rejected when it ends, back to draft when it is cancelled.
"""

from __future__ import annotations

from typing import Iterable

from pydantic import Field
from sqlmodel import Session, select

from models.enums import NetworkAccessStatus, Role
from models.user import User
from models.workflow import Case
from netsign_console.auth.permissions import Perm, require
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow import engine
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subject_kinds import MAY_APPLY
from netsign_console.workflow.subtasks import ConfirmStep

REVIEWERS = (Role.REGULATOR, Role.SYSTEM_ADMIN)


class NetworkAccessData(CaseData):
    username: str = Field(title="用户名")
    display_name: str = Field(title="姓名")
    role: str = Field(title="角色")


def _data_of_user(ctx) -> dict:
    user = ctx.subject
    return {"username": user.username, "display_name": user.display_name, "role": user.role}


class NetworkAccess(Flow):
    """用户入网"""

    code = "network_access"
    prefix = "N"
    category = "用户入网"
    data_model = NetworkAccessData

    start = Start((Role.DEVELOPER_ADMIN,), subject="user", initial_data=_data_of_user,
                  hint="选择本企业尚未入网（或被驳回后已更正）的用户受理入网业务；受理后在业务详情中核对信息并派工至主管部门审核。")
    apply = Stage("入网申请", (Role.DEVELOPER_ADMIN,), org=initiating_org,
                  subtasks=(ConfirmStep("核对用户信息", text="已核对用户姓名、手机号与身份证号", required=False),))
    review = Review("入网审核", REVIEWERS, decisions={"approve": "通过", "reject": "驳回"},
                    on_reject="end", returns_to=("apply",))
    end = End()

    def case_title(self, session: Session, subject, data) -> str:
        return f"{data.display_name}（{data.username}）用户入网"

    def on_accept(self, session: Session, case: Case, subject) -> None:
        _set_status(session, case, NetworkAccessStatus.PENDING)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        from models.audit import AuditAction
        from netsign_console.admin.audit import record_event

        status = NetworkAccessStatus.APPROVED if decision == "approve" else NetworkAccessStatus.REJECTED
        before = _set_status(session, case, status)
        action = AuditAction.APPROVE if decision == "approve" else AuditAction.REJECT
        record_event(session, self.principal, action, "app_user", case.subject_id,
                     {"network_access_status": [before, status.value], "case_number": [None, case.number]})

    def on_cancel(self, session: Session, case: Case) -> None:
        _set_status(session, case, NetworkAccessStatus.DRAFT)


def _set_status(session: Session, case: Case, status: NetworkAccessStatus) -> str | None:
    """Set the user's status; returns the one it had."""
    user = session.get(User, case.subject_id) if case.subject_id is not None else None
    if user is None:
        return None
    before = user.network_access_status
    user.network_access_status = status.value
    session.add(user)
    return before


def apply_network_access(
    session: Session, principal: Principal, user_ids: Iterable[int], *, dispatch: bool = True
) -> list[Case]:
    """申请入网, one by one or in batch: one case per user, so each can be decided alone.

    Each case is accepted and (by default) dispatched to the regulator's review in the
    caller's transaction: all users are applied for, or (on any refusal) none. With
    dispatch=False the case waits at 入网申请 in the applicant's inbox (业务受理).
    """
    require(principal, Perm.NETWORK_ACCESS_APPLY)
    ids = list(dict.fromkeys(user_ids))  # keep the caller's order, drop repeats
    if not ids:
        raise UserError("请选择要申请入网的用户")
    # Lock every user first, in id order, before the case-number row is locked: two batches
    # sharing users then queue on the users instead of deadlocking on users vs the sequence.
    users = {
        user.id: user
        for user in session.exec(
            select(User).where(User.id.in_(ids)).order_by(User.id).with_for_update()
        ).all()
    }
    for user_id in ids:
        user = users.get(user_id)
        if user is None or principal.org_id is None or user.organization_id != principal.org_id:
            raise PermissionDenied("记录不存在或无权访问")
        if user.network_access_status not in MAY_APPLY:
            status = NetworkAccessStatus.label_of(user.network_access_status)
            raise UserError(f"用户“{user.display_name}”的入网状态为“{status}”，不能申请入网")
    cases = []
    for user_id in ids:
        case = engine.accept(session, principal, NetworkAccess.code, subject_id=user_id)
        if dispatch:
            engine.dispatch(session, principal, engine.open_task(session, case.id).id)
        cases.append(case)
    return cases
