"""Issuing documents: the PDF with its verification code, stored privately, with its SHA-256;
changes (a new version supersedes the old), cancellation, lookup by code, authorised reads.

All of it runs in the caller's session (one transaction with the flow step that issues):
if the transaction fails, no document row exists; the file written for it is removed when
the failure happens here, and an orphan file from a failed commit is harmless (it is
private, and no code points to it).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.audit import AuditAction
from models.base import utcnow
from models.document import Document, DocumentStatus, DocumentTemplate
from models.workflow import Case
from netsign_console import settings as config
from netsign_console.auth.permissions import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.documents.codes import new_code, normalize_code
from netsign_console.documents.kinds import get_kind
from netsign_console.documents.pdf import Stamp
from netsign_console.documents.templates_service import _kind, pdf_from_template, resolve_template
from netsign_console.errors import UserError

NOT_FOUND = "记录不存在或无权访问"
_SUMMARY_LIMIT = 30


def documents_dir() -> Path:
    folder = Path(config.settings.private_dir) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _summary(masked_summary: dict[str, Any] | None) -> dict[str, str]:
    """Label -> text; the caller masks personal data (this is what the public page shows)."""
    out: dict[str, str] = {}
    for label, value in (masked_summary or {}).items():
        if isinstance(value, (dict, list, tuple, float)):
            raise TypeError(f"masked_summary[{label!r}]: a short text is expected")
        out[str(label)[:50]] = "" if value is None else str(value)[:200]
    if len(out) > _SUMMARY_LIMIT:
        raise TypeError(f"masked_summary: at most {_SUMMARY_LIMIT} entries")
    return out


def _unused_code(session: Session) -> str:
    # 100 random bits collide with probability ~n/2^100; the loop is for form's sake.
    for _ in range(5):
        code = new_code()
        if session.exec(select(Document.id).where(Document.verification_code == code)).first() is None:
            return code
    raise RuntimeError("could not draw an unused verification code")  # pragma: no cover


def issue(session: Session, principal: Principal, *, kind: str, number: str, data: dict[str, Any],
          issuer_org_id: int, owner_org_id: int | None, case_id: int | None = None, subject_type: str = "",
          subject_id: int | None = None, version_of: Document | int | None = None,
          masked_summary: dict[str, Any] | None = None, sign: bool = False,
          variant: str | None = None) -> Document:
    """Render, (sign,) store and record one document. The caller has checked that the principal
    may issue it (the flow's stage); this checks that it is in the issuer's name (or the
    regulator's side), the data, the number and the change chain.

    `version_of`: the document this one changes (same kind); it becomes 已变更 and points here.
    """
    from netsign_console.admin.audit import record_event

    info = _kind(kind)
    if not principal.sees_all_organizations and principal.org_id != issuer_org_id:
        # A developer issues its own documents (a contract), never one in another body's name.
        raise PermissionDenied("只能以本机构名义签发文书")
    number = (number or "").strip()
    if not number or len(number) > 64:
        raise UserError("文书编号不能为空，且不超过64个字符", "number")
    version = 1
    old = None
    if version_of is not None:
        old_id = version_of.id if isinstance(version_of, Document) else int(version_of)
        # Locked: two changes of one document must not both become its next version.
        old = session.exec(select(Document).where(Document.id == old_id).with_for_update()).first()
        if old is None or old.kind != kind:
            raise UserError("要变更的原文书不存在", "version_of")
        if old.status != DocumentStatus.VALID.value:
            raise UserError(f"原文书{old.number}已{DocumentStatus.label_of(old.status)[1:]}，不能再次变更", "version_of")
        version = old.version + 1
        if variant is None:  # a change keeps the layout of the document it changes
            variant = session.get(DocumentTemplate, old.template_id).variant
    elif session.exec(select(Document.id).where(Document.kind == kind, Document.number == number)).first():
        raise UserError(f"{info.title}编号{number}已存在", "number")

    template = resolve_template(session, kind, variant=variant)
    code = _unused_code(session)
    pdf = pdf_from_template(template, data, Stamp(number, code), document_version=version)
    if sign:
        from netsign_console.documents.signing import sign_pdf

        pdf = sign_pdf(pdf, reason=f"{info.title} {number}", location=config.settings.city)
    stored = f"{secrets.token_hex(16)}.pdf"
    path = documents_dir() / stored
    path.write_bytes(pdf)
    try:
        document = Document(
            kind=kind, title=info.title, number=number, version=version, template_id=template.id,
            template_version=template.version, verification_code=code, sha256=hashlib.sha256(pdf).hexdigest(),
            stored_name=stored, size=len(pdf), issuer_org_id=issuer_org_id, owner_org_id=owner_org_id,
            case_id=case_id, subject_type=subject_type or "", subject_id=subject_id,
            masked_summary=_summary(masked_summary), signed=bool(sign), created_by_id=principal.user_id,
        )
        session.add(document)
        session.flush()
        if old is not None:
            old.status = DocumentStatus.SUPERSEDED.value
            old.superseded_by_id = document.id
            session.add(old)
            session.flush()
        record_event(session, principal, AuditAction.CREATE, "document", document.id,
                     {"kind": [None, kind], "number": [None, number], "version": [None, version]})
    except IntegrityError:
        path.unlink(missing_ok=True)
        raise UserError(f"{info.title}编号{number}第{version}版已存在（可能已被其他人生成）", "number") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return document


def _may_read(session: Session, principal: Principal, document: Document) -> bool:
    if principal.sees_all_organizations:
        return True
    if principal.org_id is not None and principal.org_id in (document.owner_org_id, document.issuer_org_id):
        return True
    if document.case_id is not None:
        from netsign_console.workflow.access import can_view_case

        case = session.get(Case, document.case_id)
        return case is not None and can_view_case(session, principal, case)
    return False


def get_document(session: Session, principal: Principal, document_id: int) -> Document:
    """The document if the principal may read it; PermissionDenied otherwise (also when missing)."""
    document = session.get(Document, int(document_id))
    if document is None or not _may_read(session, principal, document):
        raise PermissionDenied(NOT_FOUND)
    return document


def read_pdf(document: Document) -> bytes:
    path = documents_dir() / document.stored_name
    if not path.is_file():
        raise PermissionDenied(NOT_FOUND)
    return path.read_bytes()


def open_pdf(session: Session, principal: Principal, document_id: int) -> tuple[Document, bytes]:
    document = get_document(session, principal, document_id)
    return document, read_pdf(document)


def cancel(session: Session, principal: Principal, document: Document | int, reason: str) -> Document:
    """作废: the code keeps answering, with status 已作废. Only the regulator's side."""
    return _end(session, principal, document, reason, DocumentStatus.CANCELLED.value, "作废", "只有主管部门可以作废文书")


def mark_unwound(session: Session, principal: Principal, document: Document | int, reason: str) -> Document:
    """退房: a filed contract's PDF stops binding; its code keeps answering, with status 已退房."""
    return _end(session, principal, document, reason, DocumentStatus.UNWOUND.value, "退房",
                "只有主管部门可以办理退房归档")


def _end(session: Session, principal: Principal, document: Document | int, reason: str, status: str,
         verb: str, denied: str) -> Document:
    from netsign_console.admin.audit import record_event

    if not principal.sees_all_organizations:
        raise PermissionDenied(denied)
    document_id = document.id if isinstance(document, Document) else int(document)
    row = session.exec(select(Document).where(Document.id == document_id).with_for_update()).first()
    if row is None:
        raise PermissionDenied(NOT_FOUND)
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"请填写{verb}原因", "reason")
    if row.status != DocumentStatus.VALID.value:
        raise UserError(f"该文书已{DocumentStatus.label_of(row.status)[1:]}，不能{verb}", "reason")
    row.status = status
    row.cancelled_at = utcnow()
    row.cancel_reason = reason[:500]
    session.add(row)
    session.flush()
    record_event(session, principal, AuditAction.UPDATE, "document", row.id,
                 {"status": [DocumentStatus.VALID.value, status], "cancel_reason": [None, reason]})
    return row


def replace_pdf(session: Session, principal: Principal, document: Document, pdf: bytes, *, signed: bool,
                what: str) -> Document:
    """The same document, its file finished further in place (a contract stamped with its seals,
    then signed at filing): the verification code printed on every page keeps naming it, and
    the SHA-256 the verify page shows is the new file's. Only a valid document; the old file is
    left where it was (private, nothing points to it)."""
    from netsign_console.admin.audit import record_event

    row = session.exec(select(Document).where(Document.id == document.id).with_for_update()).one()
    if row.status != DocumentStatus.VALID.value:
        raise UserError(f"该文书已{DocumentStatus.label_of(row.status)[1:]}，不能{what}")
    stored = f"{secrets.token_hex(16)}.pdf"
    path = documents_dir() / stored
    path.write_bytes(pdf)
    before = row.sha256
    row.stored_name, row.size, row.sha256, row.signed = stored, len(pdf), hashlib.sha256(pdf).hexdigest(), signed
    session.add(row)
    session.flush()
    record_event(session, principal, AuditAction.UPDATE, "document", row.id,
                 {"sha256": [before, row.sha256], "what": [None, what]})
    return row


def find_by_code(session: Session, code: str | None) -> Document | None:
    """The document a typed or scanned verification code names (None if malformed or unknown)."""
    canonical = normalize_code(code)
    if canonical is None:
        return None
    return session.exec(select(Document).where(Document.verification_code == canonical)).first()


def documents_of(session: Session, principal: Principal, *, case_id: int | None = None,
                 subject_type: str | None = None, subject_id: int | None = None) -> list[Document]:
    """The documents of a case or a subject that the principal may read, newest first."""
    stmt = select(Document)
    if case_id is not None:
        stmt = stmt.where(Document.case_id == case_id)
    if subject_type is not None:
        stmt = stmt.where(Document.subject_type == subject_type, Document.subject_id == subject_id)
    rows = session.exec(stmt.order_by(Document.created_at.desc(), Document.id.desc()).limit(200)).all()
    return [row for row in rows if _may_read(session, principal, row)]


def kind_title(kind: str) -> str:
    return get_kind(kind).title
