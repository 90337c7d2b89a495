"""Files attached to a case (scans, proofs). The bytes live in settings.private_dir, never
under Reflex's public upload folder; they are served only through an authorised route."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.base import created_at_field


class CaseAttachment(SQLModel, table=True):
    __tablename__ = "case_attachment"

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True, title="业务")
    task_id: Optional[int] = Field(default=None, foreign_key="case_task.id", title="环节任务")
    # The named kind an UploadStep asks for ("proof", "signed_agreement" ...); "" = a free attachment.
    kind: str = Field(default="", sa_type=String(32), title="材料类型")
    file_name: str = Field(sa_type=String(200), title="文件名")
    stored_name: str = Field(sa_type=String(100), unique=True, title="存储名")
    content_type: str = Field(sa_type=String(100), default="application/octet-stream", title="类型")
    size: int = Field(default=0, title="大小（字节）")
    uploaded_by_id: int = Field(foreign_key="app_user.id", title="上传人")
    created_at: datetime = created_at_field()
