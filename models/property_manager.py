"""物业公司 (SYS-10): the property-management companies a developer has saved.

Kept per developer (the 预售许可 step "picks a saved one or adds a new one"), separate
from the organisation directory: a property company needs no console account to be named
in a permit application.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import created_at_field, updated_at_field


class PropertyManager(SQLModel, table=True):
    __tablename__ = "property_manager"
    __org_scope__ = "organization_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    name: str = Field(sa_type=String(200), max_length=200, title="物业公司名称")
    credit_code: Optional[str] = Field(default=None, sa_type=String(18), max_length=18, title="统一社会信用代码")
    contact_person: Optional[str] = Field(default=None, sa_type=String(50), max_length=50, title="联系人")
    contact_phone: Optional[str] = Field(default=None, sa_type=String(20), max_length=20, title="联系电话")
    address: Optional[str] = Field(default=None, sa_type=String(200), max_length=200, title="地址")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    __table_args__ = (UniqueConstraint("organization_id", "name"),)
