"""退房 (RET-01 to RET-04): the application to unwind a filed contract, written when a 退房 case is
accepted and archived with it.

`open_contract_id` is the contract while the application is open and NULL once it is archived
or cancelled: a unique column, so two unwinds of one contract can never be open at once,
whatever the checks above it see (the same device as contract.active_room_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, created_at_field
from models.enums import LabeledEnum


class UnwindStatus(LabeledEnum):
    APPLYING = ("applying", "办理中")
    ARCHIVED = ("archived", "已退房")
    CANCELLED = ("cancelled", "已取消")


class ContractUnwind(SQLModel, table=True):
    __tablename__ = "contract_unwind"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, title="合同")
    open_contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", unique=True,
                                            title="办理中的合同")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    case_number: str = Field(sa_type=String(16), unique=True, title="退房业务编号")
    # 申请注销人: one of the contract's buyers (RET-02), picked in the case.
    applicant_party_id: Optional[int] = Field(default=None, foreign_key="contract_party.id", title="申请注销人")
    reason: Optional[str] = Field(default=None, sa_type=Text, max_length=500, title="退房原因")
    status: str = code_field(16, enum=UnwindStatus, default=UnwindStatus.APPLYING.value, title="状态")
    archived_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="退房时间")
    created_at: datetime = created_at_field()
