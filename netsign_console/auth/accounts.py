"""Account security, in plain Python: change one's password, an administrator's reset and
unlock, and the first system administrator. Each is one transaction with its audit event;
no password, old or new, is ever written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.audit import AuditAction
from models.base import utcnow
from models.enums import NetworkAccessStatus, Role
from models.organization import Organization
from models.user import User
from netsign_console.admin.audit import record_event, summary
from netsign_console.auth.passwords import hash_password, verify_password
from netsign_console.auth.password_policy import PasswordRejected, check_password, one_time_password
from netsign_console.auth.permissions import NOT_FOUND, Perm, PermissionDenied, can_access_org, require
from netsign_console.auth.principal import Principal
from netsign_console.auth.service import revoke_user_sessions


class PasswordChangeError(Exception):
    """A refused change; `field` is the input the Chinese message belongs to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IssuedPassword:
    """A one-time password, shown once to the administrator who issued it."""

    user_id: int
    username: str
    display_name: str
    password: str


def change_password(session: Session, principal: Principal, old: str, new: str, repeat: str, *,
                    now: datetime | None = None) -> int:
    """The caller's own password. Ends every session of the user (this one too); returns how many."""
    require(principal, Perm.ACCOUNT_OWN)
    now = now or utcnow()
    user = session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise PermissionDenied(NOT_FOUND)
    if not old:
        raise PasswordChangeError("请输入原密码", "old_password")
    if not new:
        raise PasswordChangeError("请输入新密码", "new_password")
    if not repeat:
        raise PasswordChangeError("请再次输入新密码", "repeat_password")
    if not verify_password(old, user.password_hash):
        raise PasswordChangeError("原密码不正确", "old_password")
    try:
        check_password(new, username=user.username, phone=user.phone)
    except PasswordRejected as exc:
        raise PasswordChangeError(str(exc), "new_password") from None
    if new != repeat:
        raise PasswordChangeError("两次输入的新密码不一致", "repeat_password")
    if verify_password(new, user.password_hash):
        raise PasswordChangeError("新密码不能与原密码相同", "new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now
    session.add(user)
    ended = revoke_user_sessions(session, user.id, now=now)
    record_event(session, principal, AuditAction.CHANGE_PASSWORD, User.__tablename__, user.id,
                 summary("修改本人密码，已退出该用户的全部登录"))
    return ended


def _may_administer(principal: Principal, user: User) -> bool:
    """The system administrator: every user but itself; a developer admin: its own operators."""
    if user.id == principal.user_id:
        return False  # one's own password goes through change_password (it asks for the old one)
    if principal.role == Role.SYSTEM_ADMIN:
        return True
    return (principal.role == Role.DEVELOPER_ADMIN and user.role == Role.OPERATOR.value
            and can_access_org(principal, user.organization_id))


def _administered(principal: Principal, users: list[User]) -> list[User]:
    refused = [u for u in users if not _may_administer(principal, u)]
    if refused:
        raise PermissionDenied(NOT_FOUND)
    return users


def issue_one_time_password(user: User, now: datetime | None = None) -> str:
    """Give `user` a fresh one-time password (to be changed at first login); returns it."""
    password = one_time_password(username=user.username, phone=user.phone)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = now or utcnow()
    return password


def reset_passwords(session: Session, principal: Principal, users: list[User], *,
                    now: datetime | None = None) -> list[IssuedPassword]:
    """One-time passwords for `users` (also unlocks them); their sessions end."""
    now = now or utcnow()
    issued = []
    for user in _administered(principal, users):
        password = issue_one_time_password(user, now)
        user.failed_login_count, user.locked_until = 0, None
        session.add(user)
        revoke_user_sessions(session, user.id, now=now)
        record_event(session, principal, AuditAction.RESET_PASSWORD, User.__tablename__, user.id,
                     summary(f"重置“{user.display_name}”的密码为一次性密码（首次登录须修改），已解除锁定"))
        issued.append(IssuedPassword(user.id, user.username, user.display_name, password))
    return issued


def unlock_users(session: Session, principal: Principal, users: list[User], *,
                 now: datetime | None = None) -> int:
    """Lift a lockout before it runs out; returns how many were locked."""
    now = now or utcnow()
    unlocked = 0
    for user in _administered(principal, users):
        was_locked = user.locked_until is not None and user.locked_until > now
        before = [user.failed_login_count, "已锁定" if was_locked else "未锁定"]
        user.failed_login_count, user.locked_until = 0, None
        session.add(user)
        unlocked += was_locked
        record_event(session, principal, AuditAction.UNLOCK, User.__tablename__, user.id,
                     {"failed_login_count": [before[0], 0], "locked": [before[1], "未锁定"]})
    return unlocked


def create_system_admin(session: Session, username: str, display_name: str, password: str, *,
                        phone: str | None = None, organization: str | None = None) -> User:
    """The first system administrator (admin_cli create-admin): a password the operator typed."""
    username = username.strip()
    if not username:
        raise PasswordChangeError("请输入用户名", "username")
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise PasswordChangeError(f"用户名“{username}”已存在", "username")
    try:
        check_password(password, username=username, phone=phone)
    except PasswordRejected as exc:
        raise PasswordChangeError(str(exc), "password") from None
    org_id = None
    if organization:
        org_id = session.exec(select(Organization.id).where(Organization.name == organization)).first()
        if org_id is None:
            raise PasswordChangeError(f"机构“{organization}”不存在", "organization")
    now = utcnow()
    user = User(username=username, display_name=display_name.strip() or username, phone=phone or None,
                role=Role.SYSTEM_ADMIN.value, organization_id=org_id, password_hash=hash_password(password),
                network_access_status=NetworkAccessStatus.APPROVED.value, password_changed_at=now)
    session.add(user)
    session.flush()
    record_event(session, None, AuditAction.CREATE_ADMIN, User.__tablename__, user.id,
                 summary(f"命令行创建系统管理员“{username}”"))
    return user
