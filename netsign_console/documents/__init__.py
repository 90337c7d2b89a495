"""The document layer: templates in the database → sandboxed HTML → PDF with a verification
code and QR code on every page → stored privately with its SHA-256 → public verify page.

    from netsign_console import documents
    with session_scope() as session:
        doc = documents.issue(session, principal, kind="presale_permit", number="2026-0001", data={...},
                              issuer_org_id=regulator_id, owner_org_id=developer_id, case_id=case.id,
                              masked_summary={"开发企业": "湖南星城置业有限公司"}, sign=True)

See docs/adding-a-template.md. Nothing here imports Reflex (the editor page does).
"""

from netsign_console.documents.codes import display_code, new_code, normalize_code
from netsign_console.documents.issuing import (
    NOT_FOUND,
    cancel,
    documents_of,
    find_by_code,
    get_document,
    issue,
    open_pdf,
    read_pdf,
    replace_pdf,
)
from netsign_console.documents.kinds import DocumentKind, all_kinds, get_kind, register_kind, variant_label
from netsign_console.documents.pdf import verify_url
from netsign_console.documents.sandbox import TemplateRejected
from netsign_console.documents.templates_service import (
    check_template,
    current_template,
    list_templates,
    preview_html,
    render_pdf,
    resolve_template,
    save_template_version,
    seed_templates,
    template_version,
)

__all__ = [
    "replace_pdf",
    "DocumentKind",
    "NOT_FOUND",
    "TemplateRejected",
    "all_kinds",
    "cancel",
    "check_template",
    "current_template",
    "display_code",
    "documents_of",
    "find_by_code",
    "get_document",
    "get_kind",
    "issue",
    "list_templates",
    "new_code",
    "normalize_code",
    "open_pdf",
    "preview_html",
    "read_pdf",
    "register_kind",
    "render_pdf",
    "resolve_template",
    "save_template_version",
    "seed_templates",
    "template_version",
    "variant_label",
    "verify_url",
]
