"""楼栋 and 户室: the building grid's data (SURV-13, SURV-14, FEATURES §1.17).

`developer_org_id` is copied onto buildings and rooms on purpose: the row scope of a
developer's lists (a million rooms city-wide) is then one indexed column, not a join
through project.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import Area, UTCDateTime, area_field, code_field, created_at_field, unit_price_field, updated_at_field
from models.enums import (
    Designation, HouseNature, HouseStructure, HouseType, HouseUsage, LineageKind, RestrictionKind, SurveyKind, TradeStatus,
)


class Building(SQLModel, table=True):
    __tablename__ = "building"
    __org_scope__ = "developer_org_id"
    __table_args__ = (UniqueConstraint("project_id", "building_number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, title="所属项目")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    building_number: str = Field(sa_type=String(30), index=True, title="栋号")
    survey_code: Optional[str] = Field(default=None, sa_type=String(30), title="测绘编码")
    name: Optional[str] = Field(default=None, sa_type=String(100), title="楼栋名称")
    address: Optional[str] = Field(default=None, sa_type=String(200), title="坐落")
    total_units: int = Field(default=0, title="总套数")
    gross_area: Optional[Decimal] = area_field(default=None, title="建筑面积(m²)")
    structure: Optional[str] = code_field(8, enum=HouseStructure, default=None, title="建筑结构")
    height: Optional[Decimal] = Field(default=None, sa_type=Area, title="建筑高度(m)")
    floors_above: int = Field(default=0, title="地上层数")
    floors_below: int = Field(default=0, title="地下层数")
    unit_count: int = Field(default=1, title="单元数")
    # The 户室信息补录 case that completed this building's data (SUPP-01), once archived.
    backfill_case_number: Optional[str] = Field(default=None, sa_type=String(16), title="补录业务编号")
    # Which survey the grid holds now (forecast until the as-built survey is filed), the result
    # it came from and the filing case (SURV-01, SURV-09, SURV-12).
    survey_kind: Optional[str] = code_field(16, enum=SurveyKind, default=None, title="测绘阶段")
    survey_result_id: Optional[int] = Field(default=None, foreign_key="survey_result.id", title="测绘成果")
    survey_case_number: Optional[str] = Field(default=None, sa_type=String(16), title="测绘备案业务编号")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


ROOM_NUMBER_LENGTH = 30
ROOM_NUMBER = String(ROOM_NUMBER_LENGTH).with_variant(String(ROOM_NUMBER_LENGTH, collation="C"), "postgresql")


class Room(SQLModel, table=True):
    __tablename__ = "room"
    __org_scope__ = "developer_org_id"
    __table_args__ = (
        UniqueConstraint("building_id", "room_number"),
        # The developer's room list: scope + room-number prefix search + stable order.
        Index("ix_room_developer_room_number", "developer_org_id", "room_number", "id"),
        # The regulator's room list and room-number prefix search across the city.
        Index("ix_room_room_number_id", "room_number", "id"),
        # "Saleable rooms by price" (docs/benchmarks.md F2): filter + sort + stable order.
        Index("ix_room_trade_status_sale_price_id", "trade_status", "sale_price", "id"),
        Index("ix_room_building_floor", "building_id", "actual_floor", "unit"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="building.id", title="楼栋")
    project_id: int = Field(foreign_key="project.id", index=True, title="所属项目")
    developer_org_id: int = Field(foreign_key="organization.id", title="开发企业")
    # Byte-order collation on PostgreSQL: only then can a btree serve LIKE '3-05%' (F1).
    room_number: str = Field(sa_type=ROOM_NUMBER, title="室号")
    unit: Optional[str] = Field(default=None, sa_type=String(10), title="单元")
    actual_floor: int = Field(title="实际层")
    nominal_floor: Optional[str] = Field(default=None, sa_type=String(10), title="名义层")
    gross_area: Decimal = area_field(title="建筑面积(m²)")
    inner_area: Decimal = area_field(title="套内面积(m²)")
    shared_area: Decimal = area_field(title="分摊面积(m²)")
    structure: Optional[str] = code_field(8, enum=HouseStructure, default=None, title="房屋结构")
    room_type: Optional[str] = code_field(8, enum=HouseType, default=None, title="房屋类型")
    usage: Optional[str] = code_field(8, enum=HouseUsage, default=None, title="房屋用途")
    nature: Optional[str] = code_field(8, enum=HouseNature, default=None, title="房屋性质")
    has_elevator: bool = Field(default=True, title="电梯")
    layout: Optional[str] = Field(default=None, sa_type=String(20), title="户型")
    decoration: Optional[str] = Field(default=None, sa_type=String(20), title="装修情况")
    shell_price: Optional[Decimal] = unit_price_field(default=None, title="毛坯单价(元/m²)")
    decoration_price: Optional[Decimal] = unit_price_field(default=None, title="装修单价(元/m²)")
    sale_price: Optional[Decimal] = unit_price_field(default=None, title="销售单价(元/m²)")
    trade_status: str = code_field(16, enum=TradeStatus, default="not_for_sale", title="交易状态")
    # 物管用房 / 安置房 / 保留房 ...: a designation, separate from the trade status.
    designation: Optional[str] = code_field(16, enum=Designation, default=None, title="用途标记")
    # The surveyed row this room's data came from: its non-empty fields stay read-only (SURV-02).
    survey_room_id: Optional[int] = Field(default=None, foreign_key="survey_room.id", title="测绘户室")
    # A former 物管用房 set back to saleable: saleable only after a later permit change (PMR-04).
    release_pending: bool = Field(default=False, title="待许可变更后可售")
    # A forecast room replaced by the as-built survey (split, merged or deleted): kept, with its
    # history, but no longer on the grid (RoomLineage says what replaced it).
    retired: bool = Field(default=False, title="已注销")
    # Bumped by every change of trade status: a conditional UPDATE on it is what keeps
    # two signings from selling the same room (the contract issues build on this).
    version: int = Field(default=1, title="版本")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class RoomLineage(SQLModel, table=True):
    """A forecast room → its as-built successor(s) (SURV-09, SURV-10): match, split, merge, add or
    delete. A room's history (cases, restrictions, contracts) is found by following these."""

    __tablename__ = "room_lineage"
    __table_args__ = (
        Index("ix_room_lineage_predecessor_id", "predecessor_id"),
        Index("ix_room_lineage_successor_id", "successor_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    predecessor_id: Optional[int] = Field(default=None, foreign_key="room.id", title="原预测户室")
    successor_id: Optional[int] = Field(default=None, foreign_key="room.id", title="实测户室")
    kind: str = code_field(16, enum=LineageKind, title="对照方式")
    case_number: str = Field(sa_type=String(16), title="业务编号")
    created_at: datetime = created_at_field()


class RoomRestriction(SQLModel, table=True):
    """A restriction on a room (seizure, mortgage, ...); several can be active at once."""

    __tablename__ = "room_restriction"
    __table_args__ = (
        Index("ix_room_restriction_room_active", "room_id", "active"),
        # The restrictions a construction mortgage put on its rooms (cancel, authorise, list).
        Index("ix_room_restriction_source", "source_type", "source_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", title="户室")
    kind: str = code_field(24, enum=RestrictionKind, title="限制类型")
    reference: Optional[str] = Field(default=None, sa_type=String(100), title="文书编号")
    authority: Optional[str] = Field(default=None, sa_type=String(100), title="限制机关")
    active: bool = Field(default=True, title="是否有效")
    starts_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="开始时间")
    ends_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="结束时间")
    # Where it came from when the console itself made it ("mortgage" + ConstructionMortgage.id).
    source_type: Optional[str] = Field(default=None, sa_type=String(16), title="来源")
    source_id: Optional[int] = Field(default=None, title="来源编号")
    # 在建工程抵押 only: the mortgagee authorised selling the room (MORT-01 签约授权).
    sale_authorised: bool = Field(default=False, title="已签约授权")
    created_at: datetime = created_at_field()
