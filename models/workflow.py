"""Workflow persistence: cases (业务), their tasks (任务), the timeline (业务进度) and case numbers.

The engine (netsign_console.workflow) is the only writer. Stage, flow and verb codes are
plain strings so a new flow or stage needs no DDL; the flow definitions give them meaning.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Date, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, created_at_field, updated_at_field


class CaseStatus:
    ACTIVE = "active"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class TaskStatus:
    OPEN = "open"
    DONE = "done"  # dispatched to the next stage
    RETURNED = "returned"  # sent back to an earlier stage
    CANCELLED = "cancelled"  # the case was cancelled while the task was open
    ARCHIVED = "archived"  # the case was archived from this task
    # A sibling in the same split returned the case to a stage before the split: superseded.
    WITHDRAWN = "withdrawn"


class Case(SQLModel, table=True):
    """业务: one piece of business of one case type, pinned to the flow version it was accepted on."""

    __tablename__ = "case_record"  # "case" is reserved in SQL

    id: Optional[int] = Field(default=None, primary_key=True)
    # Prefix letter + yyyyMMdd + 7-digit daily sequence (FEATURES §5.1), e.g. N202611210000001.
    number: str = Field(sa_type=String(16), unique=True)
    case_type: str = code_field(index=True)
    flow_version: int = Field(default=1)
    title: str = Field(sa_type=String(200))
    status: str = code_field(16, default=CaseStatus.ACTIVE, index=True)
    # Derived from the open tasks (their stage codes, comma-separated) for lists; the engine
    # rewrites it whenever tasks open or close (engine._sync_current_stage).
    current_stage: str = code_field(200, default="")
    # What the case is about (a user, a room, a contract, ...): lets a page list the cases of a record.
    subject_type: str = code_field(default="")
    subject_id: Optional[int] = Field(default=None)
    org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
    archived_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: Optional[str] = Field(default=None, sa_type=Text)
    decision: Optional[str] = Field(default=None, sa_type=String(32))
    # The case's own data that flows branch and route on. MutableDict so in-place edits are saved.
    data: dict[str, Any] = Field(default_factory=dict, sa_type=MutableDict.as_mutable(JSON))

    __table_args__ = (Index("ix_case_record_subject_type_subject_id", "subject_type", "subject_id"),)


class Task(SQLModel, table=True):
    """任务: one stage of one case. A return closes it and opens a new task (never an undo)."""

    __tablename__ = "case_task"

    id: Optional[int] = Field(default=None, primary_key=True)
    # Indexed through the leading column of ix_case_task_case_id_status.
    case_id: int = Field(foreign_key="case_record.id")
    stage: str = code_field()
    stage_title: str = Field(sa_type=String(100))
    # Sorted, comma-separated role codes; the inbox matches it by equality (see inbox.py).
    roles: str = Field(sa_type=String(200))
    # The organisation that must handle it; NULL = any organisation whose users hold a role.
    org_id: Optional[int] = Field(default=None, foreign_key="organization.id")
    owner_id: Optional[int] = Field(default=None, foreign_key="app_user.id")
    status: str = code_field(16, default=TaskStatus.OPEN)
    created_at: datetime = created_at_field()
    claimed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    finished_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    # Who sent the case to this stage (WF-03 上一派工人员), by dispatch or by return.
    dispatched_by_id: Optional[int] = Field(default=None, foreign_key="app_user.id")
    # The task whose dispatch or return created this one: the inbox shows a return's reason from it.
    previous_task_id: Optional[int] = Field(default=None, foreign_key="case_task.id")
    opinion: Optional[str] = Field(default=None, sa_type=Text)
    return_reason: Optional[str] = Field(default=None, sa_type=Text)
    returned_to: Optional[str] = Field(default=None, sa_type=String(32))
    # A review's decision (approve / reject) on this task.
    decision: Optional[str] = Field(default=None, sa_type=String(32))
    # Tasks opened by one split share its split_id (the id of the task that reached the
    # split); branch_key says which branch (the stage code, or the item such as a bank's id).
    split_id: Optional[int] = Field(default=None)
    branch_key: Optional[str] = Field(default=None, sa_type=String(32))

    __table_args__ = (
        # The claimable queue: status = open, roles IN (...), org_id IS NULL or = mine.
        Index("ix_case_task_status_roles_org_id", "status", "roles", "org_id"),
        # My open tasks and my done list.
        Index("ix_case_task_owner_id_status", "owner_id", "status"),
        # A case's open task (every verb) and its history.
        Index("ix_case_task_case_id_status", "case_id", "status"),
        # The inbox's first page: open tasks newest first without sorting them all (F3).
        Index("ix_case_task_status_created_at_id", "status", "created_at", "id"),
    )


class CaseEvent(SQLModel, table=True):
    """业务进度: append-only; names are copied so the timeline survives renames and deletions."""

    __tablename__ = "case_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    task_id: Optional[int] = Field(default=None, foreign_key="case_task.id")
    verb: str = code_field(16)
    from_stage: Optional[str] = Field(default=None, sa_type=String(32))
    # Comma-separated when a move opened several tasks (a split).
    to_stage: Optional[str] = Field(default=None, sa_type=String(200))
    actor_id: int = Field(foreign_key="app_user.id")
    actor_name: str = Field(sa_type=String(50))
    actor_org_name: str = Field(default="", sa_type=String(200))
    text: Optional[str] = Field(default=None, sa_type=Text)
    created_at: datetime = created_at_field()


class CaseSubtask(SQLModel, table=True):
    """The state of one sub-task (待办任务) of one stage of a case: saved, confirmed, generated."""

    __tablename__ = "case_subtask"
    __table_args__ = (UniqueConstraint("case_id", "stage", "code"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    stage: str = code_field()
    code: str = code_field(64)
    done_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    done_by_id: Optional[int] = Field(default=None, foreign_key="app_user.id")
    # One line for the case page ("已设置 72 户", "已生成 编号…").
    summary: Optional[str] = Field(default=None, sa_type=String(200))
    # Kind-specific facts, e.g. {"document_id": 12}.
    data: dict[str, Any] = Field(default_factory=dict, sa_type=MutableDict.as_mutable(JSON))
    updated_at: datetime = updated_at_field()


class CaseNumberSequence(SQLModel, table=True):
    """The last case number given out on one local day, shared by every prefix (WF-06)."""

    __tablename__ = "case_number_sequence"

    day: date = Field(sa_type=Date, primary_key=True)
    last_value: int = Field(default=0)
