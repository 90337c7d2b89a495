"""Shared helpers for the admin-generator tests: a throwaway model pair on its own
metadata (never part of the app's schema or migrations), their admin classes, principals
and a fresh SQLite database with organisations and users in it."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import pytest
from sqlalchemy import String, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel

import models  # noqa: F401  the app's tables (audit_log, organization, app_user, ...)
from models.base import UTCDateTime, area_field, code_field, money_field, utcnow
from models.enums import LabeledEnum, OrgType, Role
from models.organization import Organization
from models.user import RoleDef, User
from netsign_console.admin import files
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import DateRange
from netsign_console.auth.principal import Principal
from netsign_console.db import get_engine
from netsign_console.domain.validators import normalize_credit_code, normalize_id_number, normalize_mobile

_registry = registry()


class ThrowawayBase(SQLModel, registry=_registry):
    pass


class WidgetKind(LabeledEnum):
    SMALL = ("small", "小型")
    LARGE = ("large", "大型")


class Widget(ThrowawayBase, table=True):
    __tablename__ = "t_widget"
    __org_scope__ = "owner_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    owner_org_id: int = Field(index=True, title="所属机构")
    name: str = Field(sa_type=String(50), max_length=50, title="部件名称")
    credit_code: Optional[str] = Field(default=None, sa_type=String(18), unique=True, title="统一社会信用代码")
    kind: str = code_field(default="small", title="类型")
    price: Optional[Decimal] = money_field(default=None, title="价格")
    area: Optional[Decimal] = area_field(default=None, title="面积")
    active: bool = Field(default=True, title="是否启用")
    made_on: Optional[date] = Field(default=None, title="生产日期")
    phone: Optional[str] = Field(default=None, sa_type=String(20), title="手机号")
    id_number: Optional[str] = Field(default=None, sa_type=String(18), title="身份证号")
    notes: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Gadget(ThrowawayBase, table=True):
    __tablename__ = "t_gadget"
    __org_scope__ = "widget_id.owner_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    widget_id: int = Field(foreign_key="t_widget.id", index=True, title="所属部件")
    name: str = Field(sa_type=String(50), title="配件名称")


class WidgetAdmin(ModelAdmin, model=Widget):
    slug = "t-widgets"
    title = "测试部件"
    verbose_name = "部件"
    show_in_console = False
    list_columns = ("name", "kind", "price", "area", "active", "made_on", "phone", "id_number", "created_at")
    search_fields = ("^name", "notes")
    filters = ("kind", "active", DateRange("made_on"), DateRange("created_at"))
    sort_fields = ("name", "price", "made_on", "created_at")
    default_sort = "name"
    page_size = 5
    form_fields = ("owner_org_id", "name", "credit_code", "kind", "price", "area", "active", "made_on", "phone",
                   "id_number", "notes")
    readonly_fields = ("notes",)
    enums = {"kind": WidgetKind}
    validators = {"credit_code": normalize_credit_code, "phone": normalize_mobile, "id_number": normalize_id_number}
    masked_fields = ("phone", "id_number")
    can_import = True


class GadgetAdmin(ModelAdmin, model=Gadget):
    slug = "t-gadgets"
    title = "测试配件"
    verbose_name = "配件"
    show_in_console = False
    list_columns = ("name", "widget_id")
    filters = ("widget_id",)
    form_fields = ("widget_id", "name")
    can_import = True


ORG_A, ORG_B, ORG_REG = 1, 2, 9


def principal(user_id: int, role: Role, org_id: int | None, org_type: OrgType | None = OrgType.DEVELOPER) -> Principal:
    return Principal(user_id, f"u{user_id}", f"用户{user_id}", role, org_id, org_type, f"机构{org_id}")


DEV_A = principal(1, Role.DEVELOPER_ADMIN, ORG_A)
DEV_B = principal(2, Role.DEVELOPER_ADMIN, ORG_B)
REGULATOR = principal(3, Role.REGULATOR, ORG_REG, OrgType.REGULATOR)
OPERATOR_A = principal(4, Role.OPERATOR, ORG_A)
SYSADMIN = principal(5, Role.SYSTEM_ADMIN, ORG_REG, OrgType.REGULATOR)
ALL_PRINCIPALS = (DEV_A, DEV_B, REGULATOR, OPERATOR_A, SYSADMIN)

VALID_CREDIT_CODE = "91430100MA4L0001XA"
VALID_ID = "430102198001011233"


def make_db(path) -> str:
    url = f"sqlite:///{path / 'admin.db'}"
    engine = get_engine(url)
    SQLModel.metadata.create_all(engine)
    ThrowawayBase.metadata.create_all(engine)
    with Session(engine) as session:
        for role in Role:
            session.add(RoleDef(code=role.value, name=role.label))
        session.add(Organization(id=ORG_A, name="甲开发公司", org_type="developer", credit_code="91430100MA4L0002XB"))
        session.add(Organization(id=ORG_B, name="乙开发公司", org_type="developer"))
        session.add(Organization(id=ORG_REG, name="主管部门", org_type="regulator"))
        session.add(Organization(id=20, name="建设银行", org_type="bank"))
        session.add(Organization(id=21, name="招商银行", org_type="bank"))
        for p in ALL_PRINCIPALS:
            session.add(User(id=p.user_id, username=p.username, display_name=p.display_name, password_hash="x",
                             role=p.role.value, organization_id=p.org_id))
        session.commit()
    return url


@pytest.fixture
def admin_db(tmp_path, monkeypatch) -> str:
    """A fresh SQLite file with the app's tables and the throwaway ones; private files under tmp."""
    monkeypatch.setattr(files, "settings", dataclasses.replace(files.settings, private_dir=tmp_path / "private"))
    return make_db(tmp_path)


def add_widgets(url: str, count: int, org_id: int = ORG_A, **extra) -> list[int]:
    ids = []
    with Session(get_engine(url)) as session:
        for i in range(count):
            w = Widget(owner_org_id=org_id, name=extra.get("name", f"部件{i:03d}"), kind="small" if i % 2 else "large",
                       price=Decimal(i * 1000) + Decimal("0.5"), area=Decimal("12.3456"), made_on=date(2024, 1, 1 + i % 28),
                       phone="13800138000", id_number=VALID_ID)
            session.add(w)
            session.flush()
            ids.append(w.id)
        session.commit()
    return ids


def seed_roles(url: str) -> None:
    with Session(get_engine(url)) as session:
        for role in Role:
            if session.get(RoleDef, role.value) is None:
                session.add(RoleDef(code=role.value, name=role.label))
        session.commit()


@pytest.fixture
def demo_db(tmp_path, monkeypatch, _demo_template) -> str:
    """A copy of the migrated demo data set (tests/conftest.py loads it once per run), private
    files under tmp; the default database URL points at it, so code that opens session_scope()
    uses it."""
    from netsign_console import db
    from tests.conftest import _settled_copy

    monkeypatch.setattr(files, "settings", dataclasses.replace(files.settings, private_dir=tmp_path / "private"))
    target = tmp_path / "demo.db"
    _settled_copy(_demo_template, target)
    url = f"sqlite:///{target}"
    seed_roles(url)
    monkeypatch.setattr(db, "settings", dataclasses.replace(db.settings, db_url=url))
    return url


def demo_principal(url: str, username: str) -> Principal:
    """The Principal of a demo account, as the login would build it."""
    from sqlmodel import select

    from netsign_console.auth.service import principal_for_user as _principal

    with Session(get_engine(url)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return _principal(session, user)
