"""Demo 用户入网 data: one user still to apply for, one application waiting for review."""

from __future__ import annotations

from sqlmodel import Session, select

from models.enums import NetworkAccessStatus, Role
from models.user import User
from netsign_console.auth.passwords import hash_password
from netsign_console.auth.service import principal_for_user
from netsign_console.demo.accounts import DEMO_PASSWORD, DEVELOPER
from netsign_console.demo.loader import org_id, seed_step
from netsign_console.workflow.flows.network_access import apply_network_access

DRAFT_USERS = [
    # username, name, phone, ID number, apply now?
    ("dev_clerk1", "钱经办", "13900000021", "430104199009093453", False),
    ("dev_clerk2", "孙经办", "13900000022", "430102198505052346", True),
]


@seed_step("入网演示业务")
def seed_network_access(session: Session) -> int:
    developer = org_id(session, DEVELOPER)
    admin = session.exec(select(User).where(User.username == "dev_admin")).one()
    principal = principal_for_user(session, admin)
    added, to_apply = 0, []
    for username, name, phone, id_number, apply_now in DRAFT_USERS:
        if session.exec(select(User.id).where(User.username == username)).first():
            continue
        user = User(username=username, display_name=name, phone=phone, id_number=id_number,
                    password_hash=hash_password(DEMO_PASSWORD), role=Role.OPERATOR.value,
                    organization_id=developer, network_access_status=NetworkAccessStatus.DRAFT.value)
        session.add(user)
        session.flush()
        added += 1
        if apply_now:
            to_apply.append(user.id)
    if to_apply:
        apply_network_access(session, principal, to_apply)
    return added
