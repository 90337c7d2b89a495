"""在建工程抵押 (MORT-01): a developer's construction-in-progress mortgage with a loan bank.

Its rooms carry a RoomRestriction of kind construction_mortgage pointing back here
(source_type "mortgage"); the mortgagee's 签约授权 sets `sale_authorised` on those
restrictions, which is what lets a mortgaged room be signed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, String
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, money_field, updated_at_field
from models.enums import LabeledEnum


class MortgageStatus(LabeledEnum):
    ACTIVE = ("active", "抵押中")
    CANCELLED = ("cancelled", "已注销")


class ConstructionMortgage(SQLModel, table=True):
    __tablename__ = "construction_mortgage"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="building.id", index=True, title="楼栋")
    project_id: int = Field(foreign_key="project.id", index=True, title="项目")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    bank_org_id: int = Field(foreign_key="organization.id", index=True, title="抵押权人（贷款银行）")
    amount: Decimal = money_field(title="抵押金额(元)")
    term_months: int = Field(title="抵押期限(月)")
    starts_on: date = Field(sa_type=Date, title="抵押起始日期")
    room_count: int = Field(default=0, title="抵押户数")
    whole_building: bool = Field(default=False, title="整栋抵押")
    status: str = code_field(16, enum=MortgageStatus, default=MortgageStatus.ACTIVE.value, index=True, title="状态")
    case_number: str = Field(sa_type=String(16), title="设立业务编号")
    cancel_case_number: Optional[str] = Field(default=None, sa_type=String(16), title="注销业务编号")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
