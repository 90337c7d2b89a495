"""Templates in the database: seeding, lookup, saving a new version, preview and PDF rendering.

A template row is never changed after it is saved (except its status): the regulator's
"保存为新版本" adds a row, and the previous active version of that kind and layout is
retired. A document names the version it was made from, so it can be rendered again
from exactly that source.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.audit import AuditAction
from models.document import DocumentTemplate, TemplateStatus
from netsign_console.auth.permissions import Perm, require
from netsign_console.auth.principal import Principal
from netsign_console.documents import catalog  # noqa: F401  registers the console's kinds
from netsign_console.documents.helpers import plain_data
from netsign_console.documents.kinds import DocumentKind, UnknownKind, all_kinds, get_kind, variant_label
from netsign_console.documents.markup import check_markup
from netsign_console.documents.pdf import Stamp, html_to_pdf, pdf_html, preview_page
from netsign_console.documents.sandbox import TemplateRejected, render
from netsign_console.errors import UserError

log = logging.getLogger(__name__)
MAX_BODY_CHARS = 200_000
# What a preview shows where a real document has its number and code.
PREVIEW_NUMBER = "（生成时编号）"
PREVIEW_CODE = "0" * 20


def _kind(code: str) -> DocumentKind:
    try:
        return get_kind(code)
    except UnknownKind as exc:
        raise UserError(str(exc), "kind") from None


def _variant(kind: DocumentKind, variant: str | None) -> str:
    value = variant or ""
    if value not in kind.templates:
        raise UserError(f"{kind.title}没有“{variant_label(value)}”版式", "variant")
    return value


# ------------------------------------------------------------------ seeding and lookup
def seed_templates(session: Session, kinds: list[DocumentKind] | None = None) -> int:
    """Give every kind (and layout) without a template in the database its default file as
    a first version. Idempotent: safe at every start-up, in production too."""
    added = 0
    for kind in kinds or all_kinds():
        for variant in kind.variants:
            exists = session.exec(select(DocumentTemplate.id).where(
                DocumentTemplate.kind == kind.code, DocumentTemplate.variant == variant).limit(1)).first()
            if exists is not None:
                continue
            session.add(DocumentTemplate(kind=kind.code, variant=variant, version=_next_version(session, kind.code),
                                         title=kind.title, body=kind.default_body(variant),
                                         remarks="系统默认模板"))
            session.flush()
            added += 1
    return added


def seed_at_startup(url: str | None = None) -> int:
    """seed_templates in its own transaction, for the app's start-up: a database that is not
    migrated yet (or a second worker seeding at the same moment) is logged, not fatal."""
    from netsign_console.db import session_scope
    from netsign_console.documents.pdf import ensure_font

    try:
        ensure_font()  # so that the first document of the day is not the one that waits for the font
    except Exception as exc:
        log.warning("PDF font not available: %s", exc)
    try:
        with session_scope(url) as session:
            return seed_templates(session)
    except Exception as exc:
        log.warning("document templates not seeded: %s", exc)
        return 0


def _next_version(session: Session, kind: str) -> int:
    last = session.exec(select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind)).one()
    return (last or 0) + 1


def current_template(session: Session, kind: str, variant: str | None = None) -> DocumentTemplate | None:
    """The newest active version of the kind's layout (None before seeding)."""
    return session.exec(
        select(DocumentTemplate)
        .where(DocumentTemplate.kind == kind, DocumentTemplate.variant == (variant or ""),
               DocumentTemplate.status == TemplateStatus.ACTIVE.value)
        .order_by(DocumentTemplate.version.desc()).limit(1)
    ).first()


def template_version(session: Session, kind: str, version: int) -> DocumentTemplate | None:
    return session.exec(select(DocumentTemplate).where(
        DocumentTemplate.kind == kind, DocumentTemplate.version == int(version))).first()


def list_templates(session: Session, kind: str | None = None, *, variant: str | None = None,
                   active_only: bool = False) -> list[DocumentTemplate]:
    """Template versions, newest first (of one kind, one layout, or all)."""
    stmt = select(DocumentTemplate)
    if kind is not None:
        stmt = stmt.where(DocumentTemplate.kind == kind)
    if variant is not None:
        stmt = stmt.where(DocumentTemplate.variant == variant)
    if active_only:
        stmt = stmt.where(DocumentTemplate.status == TemplateStatus.ACTIVE.value)
    return list(session.exec(stmt.order_by(DocumentTemplate.kind, DocumentTemplate.version.desc())).all())


def resolve_template(session: Session, kind: str, *, version: int | None = None,
                     variant: str | None = None) -> DocumentTemplate:
    """The version asked for, or the current one; UserError if there is none."""
    info = _kind(kind)
    if version is not None:
        row = template_version(session, kind, version)
        if row is None:
            raise UserError(f"{info.title}没有第{version}版模板", "version")
        return row
    row = current_template(session, kind, _variant(info, variant))
    if row is None:
        raise UserError(f"{info.title}没有可用的模板（{variant_label(variant or '')}），请主管部门先维护模板", "kind")
    return row


# ------------------------------------------------------------------ rendering
def render_body(kind: str, body: str, data: dict[str, Any], stamp: Stamp, *, template_version: int | None = None,
                document_version: int = 1) -> str:
    """The template's content for this data: sandboxed, escaped, and checked for references."""
    info = _kind(kind)
    context = plain_data(data)
    context["document"] = {
        "title": info.title, "number": stamp.number, "verification_code": stamp.code,
        "verify_url": stamp.url, "version": document_version, "template_version": template_version,
    }
    html = render(body, context)
    check_markup(html)
    return html


def preview_html(session: Session, kind: str, *, body: str | None = None, data: dict[str, Any] | None = None,
                 version: int | None = None, variant: str | None = None, number: str | None = None,
                 verification_code: str | None = None) -> str:
    """A browser page of the document (an iframe's srcdoc): `body` (the editor's unsaved
    text) or the template version asked for or the current one, on `data` or the kind's
    sample data. Raises TemplateRejected / UserError with a Chinese message."""
    info = _kind(kind)
    source = body if body is not None else resolve_template(session, kind, version=version, variant=variant).body
    stamp = Stamp(number or PREVIEW_NUMBER, verification_code or PREVIEW_CODE)
    content = render_body(kind, source, info.sample() if data is None else data, stamp, template_version=version)
    return preview_page(content, stamp)


def render_pdf(session: Session, kind: str, data: dict[str, Any], *, number: str, verification_code: str,
               version: int | None = None, variant: str | None = None, document_version: int = 1) -> bytes:
    """The PDF of `data` on the template version asked for (or the current one)."""
    template = resolve_template(session, kind, version=version, variant=variant)
    return pdf_from_template(template, data, Stamp(number, verification_code), document_version=document_version)


def pdf_from_template(template: DocumentTemplate, data: dict[str, Any], stamp: Stamp, *,
                      document_version: int = 1) -> bytes:
    content = render_body(template.kind, template.body, data, stamp, template_version=template.version,
                          document_version=document_version)
    return html_to_pdf(pdf_html(content, stamp))


# ------------------------------------------------------------------ saving
def check_template(kind: str, body: str, *, pdf: bool = True) -> None:
    """Refuse (TemplateRejected) a body that does not render the kind's sample data to a PDF."""
    info = _kind(kind)
    if not body or not body.strip():
        raise TemplateRejected("模板内容不能为空")
    if len(body) > MAX_BODY_CHARS:
        raise TemplateRejected(f"模板内容过长（不能超过{MAX_BODY_CHARS // 1000}千字符）")
    stamp = Stamp(PREVIEW_NUMBER, PREVIEW_CODE)
    content = render_body(kind, body, info.sample(), stamp)
    if pdf:
        try:
            html_to_pdf(pdf_html(content, stamp))
        except Exception as exc:  # xhtml2pdf's failure on a template that renders as HTML
            raise TemplateRejected(f"模板无法生成PDF：{exc}") from None


def save_template_version(session: Session, principal: Principal, kind: str, body: str, *,
                          title: str | None = None, variant: str | None = None,
                          remarks: str | None = None) -> DocumentTemplate:
    """Save `body` as the kind's next version (after a test render on the sample data) and
    retire the previous active version of the same layout. Only the regulator's side."""
    from netsign_console.admin.audit import record_event

    require(principal, Perm.TEMPLATE_MANAGE)
    info = _kind(kind)
    layout = _variant(info, variant)
    check_template(kind, body)
    previous = current_template(session, kind, layout)
    title = (title or (previous.title if previous else info.title)).strip()
    if not title or len(title) > 100:
        raise UserError("模板名称不能为空，且不超过100字", "title")
    if previous is not None and previous.body == body and previous.title == title:
        raise UserError("模板内容没有变化，无需保存新版本", "body")
    row = DocumentTemplate(kind=kind, variant=layout, version=_next_version(session, kind), title=title, body=body,
                           remarks=(remarks or "").strip() or None, created_by_id=principal.user_id)
    try:
        with session.begin_nested():
            for old in session.exec(select(DocumentTemplate).where(
                    DocumentTemplate.kind == kind, DocumentTemplate.variant == layout,
                    DocumentTemplate.status == TemplateStatus.ACTIVE.value)).all():
                old.status = TemplateStatus.RETIRED.value
                session.add(old)
            session.add(row)
            session.flush()
    except IntegrityError:
        # Somebody saved the same kind a moment ago: (kind, version) is unique.
        raise UserError("其他人刚刚保存了该文书的新版本，请刷新后重试", "body") from None
    record_event(session, principal, AuditAction.CREATE, "document_template", row.id,
                 {"kind": [None, kind], "version": [None, row.version], "variant": [None, layout]})
    return row
