"""服务网点 (STOCK-06): where resale contracts can be signed and filed."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, updated_at_field
from models.enums import LabeledEnum


class ServiceChannel(LabeledEnum):
    CENTER_WINDOW = ("center_window", "交易中心服务窗口")
    BANK_OUTLET = ("bank_outlet", "公积金窗口/银行授权网点")
    BROKERAGE_POINT = ("brokerage_point", "经纪机构授权签约点")


class ServicePoint(SQLModel, table=True):
    __tablename__ = "service_point"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(50), max_length=50, unique=True, title="网点名称")
    channel: str = code_field(enum=ServiceChannel, default=ServiceChannel.CENTER_WINDOW.value, title="服务渠道")
    # The bank, fund centre or brokerage running the point; empty for the centre's own windows.
    organization_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True, title="所属机构")
    district: Optional[str] = Field(default=None, sa_type=String(50), max_length=50, title="所属区县")
    address: str = Field(sa_type=String(200), max_length=200, title="地址")
    windows: Optional[str] = Field(default=None, sa_type=String(100), max_length=100, title="窗口号")
    phone: Optional[str] = Field(default=None, sa_type=String(30), max_length=30, title="服务电话")
    business_hours: Optional[str] = Field(default=None, sa_type=String(100), max_length=100, title="办公时间")
    sort_order: int = Field(default=0, title="排序")
    is_active: bool = Field(default=True, title="是否启用")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
