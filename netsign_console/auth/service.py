"""Login, lockout and sessions, in plain Python (tested without the UI).

A session ends when it is revoked (logout or a password change end every session of the
user), when its lifetime (settings.session_hours) is over, or when nobody used it for
settings.session_idle_minutes. Using it is resolving it: every guarded handler and route
does, and `last_seen_at` is written at most once a minute, not on every event.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, or_, select

from models.base import utcnow
from models.enums import NetworkAccessStatus, OrgType, Role
from models.organization import Organization
from models.user import User, UserSession
from netsign_console.auth.passwords import DUMMY_HASH, verify_password
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings


class LoginError(Exception):
    """A refused login; `field` says which input the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LoginResult:
    token: str
    principal: Principal


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# How stale last_seen_at may get before resolve() writes it again: one UPDATE a minute per
# session instead of one per click, at the price of idle expiry being up to a minute late.
TOUCH_EVERY = timedelta(minutes=1)


def _local_hhmm(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.timezone)).strftime("%H:%M")


def _find_user(session: Session, login_name: str) -> User | None:
    return session.exec(
        select(User).where(or_(User.username == login_name, User.phone == login_name))
    ).first()


def login(session: Session, login_name: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check the credentials and open a session. The caller commits."""
    now = now or utcnow()
    login_name = (login_name or "").strip()
    if not login_name:
        raise LoginError("请输入用户名或手机号", "login_name")
    if not password:
        raise LoginError("请输入密码", "password")

    user = _find_user(session, login_name)
    if user is None:
        verify_password(password, DUMMY_HASH)
        raise LoginError("用户名或密码错误", "password")

    if user.locked_until is not None and user.locked_until > now:
        # Refused even with the right password until the lockout ends.
        raise LoginError(
            f"密码连续错误{settings.lockout_attempts}次，账户已锁定{settings.lockout_minutes}分钟，"
            f"请于{_local_hhmm(user.locked_until)}后再试",
            "password",
        )

    if not verify_password(password, user.password_hash):
        user.failed_login_count += 1
        if user.failed_login_count >= settings.lockout_attempts:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            user.failed_login_count = 0
            session.add(user)
            raise LoginError(
                f"密码连续错误{settings.lockout_attempts}次，账户已锁定{settings.lockout_minutes}分钟，"
                f"请于{_local_hhmm(user.locked_until)}后再试",
                "password",
            )
        session.add(user)
        left = settings.lockout_attempts - user.failed_login_count
        raise LoginError(f"用户名或密码错误，再错{left}次账户将被锁定{settings.lockout_minutes}分钟", "password")

    if not user.is_active:
        raise LoginError("该账户已停用，请联系管理员", "login_name")
    if user.network_access_status != NetworkAccessStatus.APPROVED:
        status = NetworkAccessStatus.label_of(user.network_access_status)
        raise LoginError(f"该用户入网状态为“{status}”，通过主管部门入网审核后才能登录", "login_name")

    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
            last_seen_at=now,
        )
    )
    session.flush()
    return LoginResult(token=token, principal=principal_for_user(session, user))


def principal_for_user(session: Session, user: User) -> Principal:
    """The Principal a user acts as (also used by demo data and tests to act as someone)."""
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        org_id=org.id if org else None,
        org_type=OrgType(org.org_type) if org else None,
        org_name=org.name if org else "",
        must_change_password=bool(user.must_change_password),
    )


def resolve(session: Session, token: str, *, now: datetime | None = None) -> Principal | None:
    """The principal behind a browser token, or None if it is unknown, expired or revoked."""
    if not token:
        return None
    now = now or utcnow()
    row = session.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    user_session, user = row
    if user_session.revoked_at is not None or user_session.expires_at <= now:
        return None
    last_seen = user_session.last_seen_at or user_session.created_at
    if now - last_seen >= timedelta(minutes=settings.session_idle_minutes):
        return None
    if not user.is_active or user.network_access_status != NetworkAccessStatus.APPROVED:
        return None
    if now - last_seen >= TOUCH_EVERY:
        _touch(session, user_session.id, now)
    return principal_for_user(session, user)


def _touch(session: Session, session_id: int, now: datetime) -> None:
    # A plain UPDATE, conditional on the old value, so two workers resolving the same session
    # in the same minute write once and nothing is loaded into the identity map for it.
    session.execute(
        update(UserSession)
        .where(UserSession.id == session_id,
               or_(UserSession.last_seen_at.is_(None), UserSession.last_seen_at <= now - TOUCH_EVERY))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def user_of_token(session: Session, token: str) -> User | None:
    """The user a token belongs to, whatever the state of the session (logout needs it)."""
    if not token:
        return None
    return session.exec(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _token_hash(token))
    ).first()


def logout(session: Session, token: str, *, now: datetime | None = None) -> int:
    """End every session of the token's user (this browser and any other); returns how many."""
    user = user_of_token(session, token)
    if user is None:
        return 0
    return revoke_user_sessions(session, user.id, now=now)


def revoke_user_sessions(session: Session, user_id: int, *, now: datetime | None = None) -> int:
    """End every open session of a user (logout, password change or reset, access withdrawn)."""
    now = now or utcnow()
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)


def attempt_login(login_name: str, password: str) -> LoginResult:
    """login() in its own transaction; a failed attempt still records its count."""
    from netsign_console.db import session_scope

    failure: LoginError | None = None
    with session_scope() as session:
        try:
            return login(session, login_name, password)
        except LoginError as exc:
            failure = exc
    raise failure


def resolve_token(token: str) -> Principal | None:
    from netsign_console.db import session_scope

    with session_scope() as session:
        return resolve(session, token)


def end_session(token: str) -> int:
    from netsign_console.db import session_scope

    with session_scope() as session:
        return logout(session, token)
