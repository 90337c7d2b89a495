"""SMS (FEATURES §5 decision 6): the outbox of every message the console sent, and the state of
each one-time code (SIGN-10 buyer signing, SIGN-12 seal authorisation).

The local sender (netsign_console/sms/sender.py) delivers into `sms_message`, which the
regulator reads in the console and tests read codes from. A code row holds only a salted
HMAC of the code (domain/sms_code.py): one row per purpose + subject + phone, replaced by a
resend, so "the current code" is one indexed lookup and a conditional UPDATE on `attempts`
keeps parallel guesses within the limit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, created_at_field
from models.enums import LabeledEnum


class SmsPurpose(LabeledEnum):
    CONTRACT_SIGNING = ("contract_signing", "合同签署")
    SEAL_AUTHORISATION = ("seal_authorisation", "合同盖章授权")
    REAL_NAME = ("real_name", "实名认证")


class SmsMessage(SQLModel, table=True):
    __tablename__ = "sms_message"
    __table_args__ = (
        Index("ix_sms_message_created_at_id", "created_at", "id"),
        Index("ix_sms_message_phone_created_at", "phone", "created_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(sa_type=String(20), title="手机号")
    text: str = Field(sa_type=Text, title="短信内容")
    purpose: str = code_field(32, enum=SmsPurpose, title="用途")
    # What the message is about: ("contract", id), and the case it belongs to if any.
    subject_type: str = Field(default="", sa_type=String(32), title="业务对象类型")
    subject_id: Optional[int] = Field(default=None, title="业务对象")
    case_number: Optional[str] = Field(default=None, sa_type=String(16), index=True, title="业务编号")
    # Which sender delivered it ("outbox" = the local implementation, nothing left the console).
    sender: str = Field(default="outbox", sa_type=String(32), title="发送通道")
    created_at: datetime = created_at_field()


class SmsCode(SQLModel, table=True):
    __tablename__ = "sms_code"
    __table_args__ = (UniqueConstraint("purpose", "subject_type", "subject_id", "phone"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    purpose: str = code_field(32, enum=SmsPurpose, title="用途")
    subject_type: str = Field(sa_type=String(32), title="业务对象类型")
    subject_id: int = Field(title="业务对象")
    phone: str = Field(sa_type=String(20), title="手机号")
    code_hash: str = Field(sa_type=String(64))
    salt: str = Field(sa_type=String(32))
    issued_at: datetime = Field(sa_type=UTCDateTime, title="发送时间")
    expires_at: datetime = Field(sa_type=UTCDateTime, title="过期时间")
    attempts: int = Field(default=0, title="错误次数")
    used_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="使用时间")
    locked: bool = Field(default=False, title="已锁定")
    # Bumped by every issue and every check: what the conditional UPDATE compares.
    revision: int = Field(default=1)
