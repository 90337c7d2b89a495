"""测绘成果库 (SURV-01, SURV-13, SURV-14): survey results as the survey office imported them.

A result is one survey case number (测绘宗号 / 测量号), forecast or as-built, for one project
of one developer, with its buildings and rooms exactly as surveyed. Filing it (a case of one
of the five survey-filing flows) copies it into the building grid's Building and Room rows;
the result itself is kept unchanged, so "what the survey said" can always be compared with
what the grid holds now (SURV-02: a field that came from the survey stays read-only).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import Area, area_field, code_field, created_at_field, updated_at_field
from models.enums import HouseNature, HouseStructure, HouseType, HouseUsage, SurveyKind, SurveyResultStatus


class SurveyResult(SQLModel, table=True):
    __tablename__ = "survey_result"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    survey_number: str = Field(sa_type=String(30), unique=True, title="测绘宗号")
    kind: str = code_field(16, enum=SurveyKind, title="测绘类型")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    project_id: int = Field(foreign_key="project.id", index=True, title="所属项目")
    status: str = code_field(16, enum=SurveyResultStatus, default=SurveyResultStatus.AVAILABLE.value,
                             index=True, title="成果状态")
    building_count: int = Field(default=0, title="栋数")
    room_count: int = Field(default=0, title="户数")
    file_name: Optional[str] = Field(default=None, sa_type=String(200), title="成果文件")
    imported_by_id: Optional[int] = Field(default=None, foreign_key="app_user.id", title="导入人")
    # The filing case that used this result, once filed (or while it is being filed).
    case_number: Optional[str] = Field(default=None, sa_type=String(16), title="备案业务编号")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class SurveyBuilding(SQLModel, table=True):
    """建筑物信息 as surveyed (SURV-13)."""

    __tablename__ = "survey_building"
    __org_scope__ = "result_id.developer_org_id"
    __table_args__ = (UniqueConstraint("result_id", "building_number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="survey_result.id", title="测绘成果")
    building_number: str = Field(sa_type=String(30), title="栋号")
    survey_code: Optional[str] = Field(default=None, sa_type=String(30), title="测绘编码")
    total_units: int = Field(default=0, title="总套数")
    gross_area: Decimal = area_field(title="建筑面积(m²)")
    structure: Optional[str] = code_field(8, enum=HouseStructure, default=None, title="建筑结构")
    height: Optional[Decimal] = Field(default=None, sa_type=Area, title="建筑高度(m)")
    floors_above: int = Field(default=0, title="地上层数")
    floors_below: int = Field(default=0, title="地下层数")
    unit_count: int = Field(default=1, title="单元数")


class SurveyRoom(SQLModel, table=True):
    """户室对照表 row as surveyed (SURV-14)."""

    __tablename__ = "survey_room"
    __org_scope__ = "result_id.developer_org_id"
    __table_args__ = (
        UniqueConstraint("survey_building_id", "room_number"),
        Index("ix_survey_room_result_id", "result_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="survey_result.id", title="测绘成果")
    survey_building_id: int = Field(foreign_key="survey_building.id", title="楼栋")
    room_number: str = Field(sa_type=String(30), title="室号")
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
    has_elevator: Optional[bool] = Field(default=None, title="电梯")
    layout: Optional[str] = Field(default=None, sa_type=String(20), title="户型")
    decoration: Optional[str] = Field(default=None, sa_type=String(20), title="装修情况")
