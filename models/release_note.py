"""版本更新记录 (SYS-04): shown on the workbench once its release time is reached."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class ReleaseNote(SQLModel, table=True):
    __tablename__ = "release_note"

    id: Optional[int] = Field(default=None, primary_key=True)
    version: str = Field(sa_type=String(20), unique=True)
    title: str = Field(sa_type=String(100))
    content: str = Field(sa_type=Text)
    release_at: datetime = Field(sa_type=UTCDateTime, index=True)
