"""审计日志: who changed what, when, with every changed field's value before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Index, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, utcnow
from models.enums import LabeledEnum


class AuditAction(LabeledEnum):
    CREATE = ("create", "新增")
    UPDATE = ("update", "修改")
    DELETE = ("delete", "删除")
    IMPORT = ("import", "导入")
    EXPORT = ("export", "导出")
    APPROVE = ("approve", "审核通过")
    REJECT = ("reject", "驳回")
    VIEW_PERSONAL = ("view_personal", "查看完整个人信息")
    # The workflow verbs (every one is in the timeline and here as well).
    CASE_ACCEPT = ("case_accept", "业务受理")
    CASE_CLAIM = ("case_claim", "业务接件")
    CASE_RELEASE = ("case_release", "释放任务")
    CASE_DISPATCH = ("case_dispatch", "业务派工")
    CASE_DECIDE = ("case_decide", "审核")
    CASE_RETURN = ("case_return", "业务退件")
    CASE_OPINION = ("case_opinion", "意见签署")
    CASE_ARCHIVE = ("case_archive", "归档")
    CASE_CANCEL = ("case_cancel", "取消受理")
    CASE_SUBTASK = ("case_subtask", "办理待办任务")
    CASE_DATA = ("case_data", "修改业务数据")

    @classmethod
    def workflow(cls, verb: str) -> "AuditAction":
        """The action recorded for an engine verb ("accept" -> CASE_ACCEPT)."""
        return cls(f"case_{verb}")

    # Account security (the password itself is never written to the log).
    CHANGE_PASSWORD = ("change_password", "修改密码")
    RESET_PASSWORD = ("reset_password", "重置密码")
    UNLOCK = ("unlock", "解除锁定")
    CREATE_ADMIN = ("create_admin", "创建系统管理员")


class AuditLog(SQLModel, table=True):
    """Append-only. `model` is the table name, `changes` is {field: [before, after]}."""

    __tablename__ = "audit_log"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: Optional[int] = Field(default=None, foreign_key="app_user.id", index=True, title="操作人")
    user_name: str = Field(default="", sa_type=String(50), max_length=50, title="操作人姓名")
    org_id: Optional[int] = Field(default=None, title="操作人机构")
    action: str = code_field(24, enum=AuditAction, title="操作")
    model: str = Field(sa_type=String(64), max_length=64, title="数据类型")
    record_id: Optional[str] = Field(default=None, sa_type=String(64), max_length=64, title="记录编号")
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, title="变更内容")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True, title="操作时间")

    __table_args__ = (Index("ix_audit_log_model_record_id", "model", "record_id"),)
