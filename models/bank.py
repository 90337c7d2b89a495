"""Bank master data of a developer (SYS-07): 按揭银行 / 贷款银行 links and 监管银行账户.

Banks themselves are organisations of org_type "bank" (the regulator's list); a developer
only links to them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, updated_at_field
from models.enums import LabeledEnum


class BankLinkKind(LabeledEnum):
    MORTGAGE = ("mortgage", "按揭银行")  # used by 预售签约 (SYS-07a)
    LOAN = ("loan", "贷款银行")  # used by 在建工程抵押 (SYS-07c)


class BankLink(SQLModel, table=True):
    __tablename__ = "bank_link"
    __org_scope__ = "organization_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    bank_org_id: int = Field(foreign_key="organization.id", index=True, title="银行")
    kind: str = code_field(16, enum=BankLinkKind, title="合作类型")
    contact_person: Optional[str] = Field(default=None, sa_type=String(50), max_length=50, title="银行联系人")
    contact_phone: Optional[str] = Field(default=None, sa_type=String(20), max_length=20, title="联系电话")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("organization_id", "bank_org_id", "kind"),)


class SupervisionAccount(SQLModel, table=True):
    """监管银行账户 (SYS-07b): picked in 资金监管协议 (FUND-02, FUND-11)."""

    __tablename__ = "supervision_account"
    __org_scope__ = "organization_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    bank_org_id: int = Field(foreign_key="organization.id", index=True, title="监管银行")
    account_name: str = Field(sa_type=String(200), max_length=200, title="监管账户名称")
    account_number: str = Field(sa_type=String(40), max_length=40, unique=True, title="监管账号")
    opening_branch: str = Field(sa_type=String(200), max_length=200, title="开户行")
    is_active: bool = Field(default=True, title="是否启用")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
