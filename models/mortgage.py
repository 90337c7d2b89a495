"""在建工程抵押 (MORT-01): a developer's construction-in-progress mortgage with a loan bank.

The row is written when the 设立 case is accepted (申请中), so the case's form edits the amount,
term and start date through the admin like any other record; the bank is named when the loan
bank's review approves it, and the archive makes it 抵押中. Its rooms then carry a
RoomRestriction of kind construction_mortgage pointing back here (source_type "mortgage");
the mortgagee's 签约授权 sets `sale_authorised` on those restrictions, which is what lets a
mortgaged room be signed; 注销 ends them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, String
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, money_field, updated_at_field
from models.enums import LabeledEnum

RESTRICTION_SOURCE = "mortgage"  # RoomRestriction.source_type of a construction mortgage's rooms


class MortgageStatus(LabeledEnum):
    APPLYING = ("applying", "申请中")
    ACTIVE = ("active", "抵押中")
    CANCELLED = ("cancelled", "已注销")
    WITHDRAWN = ("withdrawn", "已撤回")  # the 设立 case was cancelled before it was archived


class ConstructionMortgage(SQLModel, table=True):
    __tablename__ = "construction_mortgage"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="building.id", index=True, title="楼栋")
    project_id: int = Field(foreign_key="project.id", index=True, title="项目")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    # Empty while applying: the bank is the one whose review approved the application.
    bank_org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True,
                                       title="抵押权人（贷款银行）")
    # Empty until the developer fills them in during the 设立 case.
    amount: Optional[Decimal] = money_field(default=None, title="抵押金额(元)")
    term_months: Optional[int] = Field(default=None, title="抵押期限(月)")
    starts_on: Optional[date] = Field(default=None, sa_type=Date, title="抵押起始日期")
    room_count: int = Field(default=0, title="抵押户数")
    authorised_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, title="已签约授权户数")
    whole_building: bool = Field(default=False, title="整栋抵押")
    status: str = code_field(16, enum=MortgageStatus, default=MortgageStatus.APPLYING.value, index=True, title="状态")
    case_number: str = Field(sa_type=String(16), title="设立业务编号")
    cancel_case_number: Optional[str] = Field(default=None, sa_type=String(16), title="注销业务编号")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
