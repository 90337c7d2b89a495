"""Users, roles and login sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, false
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, created_at_field, updated_at_field
from models.enums import NetworkAccessStatus


class RoleDef(SQLModel, table=True):
    """The role catalogue (codes of models.enums.Role), so reports and audits can join on it."""

    __tablename__ = "role"

    code: str = Field(sa_type=String(32), primary_key=True)
    name: str = Field(sa_type=String(50))
    description: Optional[str] = Field(default=None, sa_type=String(200))


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL
    # Row scope for pickers and foreign-key checks that point at users (e.g. a seal's 印章授权人):
    # a developer picks among its own users only. The user admins declare their own org_field.
    __org_scope__ = "organization_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(50), unique=True, title="用户名")
    phone: Optional[str] = Field(default=None, sa_type=String(20), unique=True, title="手机号")
    display_name: str = Field(sa_type=String(50), title="姓名")
    id_number: Optional[str] = Field(default=None, sa_type=String(18), title="身份证号")
    password_hash: str = Field(sa_type=String(255))
    role: str = Field(sa_type=String(32), foreign_key="role.code", index=True, title="角色")
    organization_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True, title="所属机构")
    is_active: bool = Field(default=True, title="是否启用")
    network_access_status: str = code_field(enum=NetworkAccessStatus, default="approved", title="入网状态")
    failed_login_count: int = Field(default=0)
    locked_until: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    last_login_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="最近登录时间")
    # A one-time password (new enterprise user, admin reset) must be replaced before anything
    # else opens; the demo accounts and passwords the user chose leave this False.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": false()},
                                       title="须修改密码")
    password_changed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="密码修改时间")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class UserSession(SQLModel, table=True):
    """A login. The browser keeps a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=String(64), unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    # Idle expiry (settings.session_idle_minutes) reads this; written at most once a minute.
    last_seen_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
