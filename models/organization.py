"""机构信息: every organisation that takes part (developers, banks, regulator, ...)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, String, Text
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, money_field, updated_at_field
from models.enums import OrgType


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: Optional[int] = Field(default=None, primary_key=True)
    org_type: str = code_field(enum=OrgType, index=True, title="机构类型")
    name: str = Field(sa_type=String(200), max_length=200, index=True, title="企业名称")
    credit_code: Optional[str] = Field(default=None, sa_type=String(18), unique=True, title="统一社会信用代码")
    # SYS-05 enterprise profile; most apply to every kind of organisation.
    enterprise_type: Optional[str] = Field(default=None, sa_type=String(50), title="企业类型")
    legal_rep: Optional[str] = Field(default=None, sa_type=String(50), title="法定代表人")
    legal_rep_id_number: Optional[str] = Field(default=None, sa_type=String(18), title="法定代表人身份证号")
    legal_rep_phone: Optional[str] = Field(default=None, sa_type=String(20), title="法定代表人联系电话")
    region: Optional[str] = Field(default=None, sa_type=String(50), title="所属地区")
    status: str = Field(default="正常", sa_type=String(20), title="企业状态")
    is_valid: bool = Field(default=True, title="是否有效")
    established_on: Optional[date] = Field(default=None, sa_type=Date, title="成立日期")
    business_reg_number: Optional[str] = Field(default=None, sa_type=String(30), title="工商注册号")
    registered_capital: Optional[Decimal] = money_field(default=None, title="注册资本（元）")
    paid_in_capital: Optional[Decimal] = money_field(default=None, title="实缴资本（元）")
    taxpayer_id: Optional[str] = Field(default=None, sa_type=String(30), title="纳税人识别号")
    registered_address: Optional[str] = Field(default=None, sa_type=String(200), title="注册地址")
    business_scope: Optional[str] = Field(default=None, sa_type=Text, title="经营范围")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    contact_phone: Optional[str] = Field(default=None, sa_type=String(20), title="联系电话")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
