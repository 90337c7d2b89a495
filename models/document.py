"""Documents (文书): versioned templates and the PDFs issued from them.

A template is never edited in place: saving makes a new version row, and every issued
document names the template version it was made from. An issued document is immutable
too: a change issues a new document (version + 1) and marks the old one superseded, so
the old PDF's verification code keeps answering "已变更" instead of disappearing.
The PDF bytes live in settings.private_dir / "documents"; the row keeps their SHA-256.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, code_field, created_at_field
from models.enums import LabeledEnum


class TemplateStatus(LabeledEnum):
    ACTIVE = ("active", "启用")
    RETIRED = ("retired", "已停用")


class DocumentStatus(LabeledEnum):
    VALID = ("valid", "有效")
    SUPERSEDED = ("superseded", "已变更")
    CANCELLED = ("cancelled", "已作废")
    # A filed contract whose sale was unwound (退房): the code answers that the contract no
    # longer binds, which 已作废 (a document issued in error) would misstate.
    UNWOUND = ("unwound", "已退房")


class DocumentTemplate(SQLModel, table=True):
    __tablename__ = "document_template"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = code_field(32, title="文书类型")
    # Numbered per kind across its variants: "第3版" names one row of a kind unambiguously.
    version: int = Field(title="版本")
    title: str = Field(sa_type=String(100), max_length=100, title="模板名称")
    # "" = the kind's only layout; contracts have "electronic" / "paper".
    variant: str = Field(default="", sa_type=String(16), max_length=16, title="版式")
    body: str = Field(sa_type=Text, title="模板内容")
    status: str = code_field(16, default=TemplateStatus.ACTIVE.value, title="状态")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="修改说明")
    # NULL for the default templates seeded from netsign_console/documents/templates/.
    created_by_id: Optional[int] = Field(default=None, foreign_key="app_user.id", title="创建人")
    created_at: datetime = created_at_field()

    __table_args__ = (
        UniqueConstraint("kind", "version"),
        # current_template: the newest active version of (kind, variant).
        Index("ix_document_template_kind_variant_status", "kind", "variant", "status"),
    )


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = code_field(32, title="文书类型")
    # The kind's Chinese title when issued (the verify page shows it as it was printed).
    title: str = Field(sa_type=String(100), title="文书名称")
    number: str = Field(sa_type=String(64), title="文书编号")
    # 1, 2, ... for the successive versions of one document (a permit and its changes).
    version: int = Field(default=1, title="版本")
    template_id: int = Field(foreign_key="document_template.id", title="模板")
    template_version: int = Field(title="模板版本")
    # Random, >= 80 bits, Crockford base32; not derived from anything (documents.codes).
    verification_code: str = Field(sa_type=String(20), unique=True, title="查验码")
    sha256: str = Field(sa_type=String(64), title="SHA-256")
    stored_name: str = Field(sa_type=String(100), unique=True, title="存储名")
    size: int = Field(default=0, title="大小（字节）")
    status: str = code_field(16, default=DocumentStatus.VALID.value, title="状态")
    issuer_org_id: int = Field(foreign_key="organization.id", title="发文机构")
    # Whose document it is (the developer of a permit): its users may download it.
    owner_org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True, title="所属机构")
    case_id: Optional[int] = Field(default=None, foreign_key="case_record.id", index=True, title="业务")
    subject_type: str = code_field(32, default="", title="业务对象类型")
    subject_id: Optional[int] = Field(default=None, title="业务对象")
    superseded_by_id: Optional[int] = Field(default=None, foreign_key="document.id", title="替代文书")
    # Label -> already-masked value: all the public verify page may show besides the header.
    masked_summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, title="摘要")
    signed: bool = Field(default=False, title="电子签章")
    created_by_id: int = Field(foreign_key="app_user.id", title="签发人")
    created_at: datetime = created_at_field()
    cancelled_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="作废时间")
    cancel_reason: Optional[str] = Field(default=None, sa_type=Text, title="作废原因")

    __table_args__ = (
        # One row per version of a numbered document; also stops two concurrent changes
        # of the same document from both becoming "version 2".
        UniqueConstraint("kind", "number", "version"),
        Index("ix_document_subject_type_subject_id", "subject_type", "subject_id"),
    )
