"""印章 (SIGN-12): a developer's company seal (公司章 / 合同专用章) and legal-representative seal
(法人章), kept per organisation by its developer admin and stamped onto contracts.

The image is a private file (settings.private_dir), checked on its content as PNG or JPEG and
size-limited (netsign_console/contracts/seals.py); stamping happens after an SMS code sent to
the seal's 印章授权人 — a user of the organisation, or a phone number when the person has no
console account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.base import code_field, created_at_field, updated_at_field
from models.enums import LabeledEnum


class SealKind(LabeledEnum):
    COMPANY = ("company", "公司章")
    LEGAL_REP = ("legal_rep", "法人章")


class Seal(SQLModel, table=True):
    __tablename__ = "seal"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    kind: str = code_field(16, enum=SealKind, title="印章类型")
    name: str = Field(sa_type=String(100), title="印章名称")
    image_file: str = Field(sa_type=String(200), title="印章图片")
    authorised_user_id: Optional[int] = Field(default=None, foreign_key="app_user.id", title="印章授权人")
    authorised_phone: Optional[str] = Field(default=None, sa_type=String(20), title="授权人手机号")
    active: bool = Field(default=True, title="是否启用")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
