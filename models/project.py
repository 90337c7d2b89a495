"""项目信息 (SYS-06) and 项目证件 (SYS-08, the "四证")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import area_field, code_field, created_at_field, money_field, updated_at_field
from models.enums import LabeledEnum


class ProjectStatus(LabeledEnum):
    PLANNING = ("planning", "筹备中")
    UNDER_CONSTRUCTION = ("under_construction", "在建")
    COMPLETED = ("completed", "已竣工")
    SUSPENDED = ("suspended", "停建")


class CertificateKind(LabeledEnum):
    """The four certificates a pre-sale permit is generated from (SYS-08)."""

    LAND_USE = ("land_use", "国有土地使用证")
    LAND_PLANNING = ("land_planning", "建设用地规划许可证")
    CONSTRUCTION_PLANNING = ("construction_planning", "建设工程规划许可证")
    CONSTRUCTION = ("construction", "建筑工程施工许可证")


class Project(SQLModel, table=True):
    __tablename__ = "project"
    # Row scope: a developer's users see only their own organisation's projects.
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    name: str = Field(sa_type=String(200), max_length=200, index=True, title="项目名称")
    location: str = Field(sa_type=String(200), max_length=200, title="坐落")
    district: Optional[str] = Field(default=None, sa_type=String(50), max_length=50, title="所属区县")
    land_area: Optional[Decimal] = area_field(default=None, title="用地面积（㎡）")
    planned_gross_area: Optional[Decimal] = area_field(default=None, title="规划总建筑面积（㎡）")
    total_investment: Optional[Decimal] = money_field(default=None, title="总投资（元）")
    start_date: Optional[date] = Field(default=None, sa_type=Date, title="开工日期")
    planned_completion_date: Optional[date] = Field(default=None, sa_type=Date, title="计划竣工日期")
    status: str = code_field(enum=ProjectStatus, default=ProjectStatus.PLANNING.value, index=True, title="项目状态")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    __table_args__ = (UniqueConstraint("developer_org_id", "name"),)


class ProjectCertificate(SQLModel, table=True):
    __tablename__ = "project_certificate"
    # Scoped through the project: the certificate belongs to the project's developer.
    __org_scope__ = "project_id.developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, title="所属项目")
    kind: str = code_field(enum=CertificateKind, title="证件类型")
    number: str = Field(sa_type=String(100), max_length=100, title="证件编号")
    issued_on: Optional[date] = Field(default=None, sa_type=Date, title="发证日期")
    area: Optional[Decimal] = area_field(default=None, title="面积（㎡）")
    issuing_authority: Optional[str] = Field(default=None, sa_type=String(100), max_length=100, title="发证机关")
    # A path under settings.private_dir, served only through /api/files/... after a scope check.
    scan_file: Optional[str] = Field(default=None, sa_type=String(255), max_length=255, title="证件扫描件")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    __table_args__ = (UniqueConstraint("project_id", "kind", "number"),)
