"""商品房预售许可证 / 现售许可证 (PERMIT-01 to PERMIT-05) and their scope of rooms.

A permit row is the permit as it stands now: a change approval (PERMIT-02) updates its scope,
bumps `version` and points `document_id` at the newly issued PDF; the documents table keeps
every earlier PDF, verifiable as 已变更. The scope is one row per room (PermitRoom), so "is
this room permitted?" is one indexed lookup for the signing checks.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import area_field, code_field, created_at_field, updated_at_field
from models.enums import LabeledEnum


class PermitKind(LabeledEnum):
    PRESALE = ("presale", "预售许可证")
    SPOT_SALE = ("spot_sale", "现售许可证")


class PermitStatus(LabeledEnum):
    VALID = ("valid", "有效")
    CHANGING = ("changing", "变更中")
    CANCELLED = ("cancelled", "已注销")


class Permit(SQLModel, table=True):
    __tablename__ = "permit"
    __org_scope__ = "developer_org_id"
    __table_args__ = (
        UniqueConstraint("number"),
        UniqueConstraint("kind", "year", "sequence"),
        Index("ix_permit_building_status", "building_id", "status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = code_field(16, enum=PermitKind, title="许可证类型")
    # YYYY-NNNN (PERMIT-05): the year's sequence, gap-free (netsign_console/numbering.py).
    number: str = Field(sa_type=String(16), title="许可证号")
    year: int = Field(title="年度")
    sequence: int = Field(title="年度序号")
    project_id: int = Field(foreign_key="project.id", index=True, title="项目")
    building_id: int = Field(foreign_key="building.id", title="楼栋")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    property_manager_id: Optional[int] = Field(default=None, foreign_key="property_manager.id", title="物业公司")
    issue_date: date = Field(sa_type=Date, title="发证日期")
    room_count: int = Field(default=0, title="许可套数")
    gross_area: Decimal = area_field(default=Decimal("0"), title="许可面积(m²)")
    status: str = code_field(16, enum=PermitStatus, default=PermitStatus.VALID.value, index=True, title="状态")
    version: int = Field(default=1, title="版本")
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", title="许可证文书")
    case_number: str = Field(sa_type=String(16), title="业务编号")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class PermitRoom(SQLModel, table=True):
    """One room in a permit's scope (预售范围)."""

    __tablename__ = "permit_room"
    __table_args__ = (UniqueConstraint("permit_id", "room_id"), Index("ix_permit_room_room_id", "room_id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    permit_id: int = Field(foreign_key="permit.id", title="许可证")
    room_id: int = Field(foreign_key="room.id", title="户室")
