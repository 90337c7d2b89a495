"""Named gap-free counters (许可证号 per year, agreement and contract numbers to come)."""

from __future__ import annotations

from sqlalchemy import String
from sqlmodel import Field, SQLModel


class NumberSequence(SQLModel, table=True):
    __tablename__ = "number_sequence"

    name: str = Field(sa_type=String(64), primary_key=True)
    last_value: int = Field(default=0)
