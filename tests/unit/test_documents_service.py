"""Templates (seeding, versions, the regulator-only save with its test render) and documents
(issue with a code and QR on every page, supersede, cancel, lookup, access to the PDF)."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import Session, select

from models.audit import AuditLog
from models.document import Document, DocumentStatus, DocumentTemplate, TemplateStatus
from models.workflow import Case
from netsign_console import documents
from netsign_console.auth.permissions import PermissionDenied
from netsign_console.db import get_engine
from netsign_console.documents.catalog.presale_permit import sample as _permit_sample
from netsign_console.documents.codes import display_code
from netsign_console.documents.issuing import documents_dir
from netsign_console.errors import UserError
from tests.unit.document_fixtures import (  # noqa: F401  fixtures
    PUBLIC_URL, demo_db, demo_principal, doc_db, doc_settings, keys_dir, org_id, pdf_pages, pdf_text,
)

DEVELOPER = "湖南星城置业有限公司"
REGULATOR_ORG = "长沙市住房和城乡建设局"


def session_of(url: str) -> Session:
    return Session(get_engine(url), expire_on_commit=False)


def issue_permit(url: str, number: str = "2025-0101", **kw) -> Document:
    regulator = demo_principal(url, "regulator")
    data = kw.pop("data", None) or _permit_sample()
    with session_of(url) as session:
        doc = documents.issue(session, regulator, kind="presale_permit", number=number, data=data,
                              issuer_org_id=org_id(url, REGULATOR_ORG), owner_org_id=kw.pop("owner", org_id(url, DEVELOPER)),
                              masked_summary=kw.pop("summary", {"开发企业": DEVELOPER, "预售套数": "24套"}), **kw)
        session.commit()
        return doc


# ------------------------------------------------------------------ templates
def test_seeding_is_idempotent_and_gives_version_1(doc_db):
    with session_of(doc_db) as session:
        rows = documents.list_templates(session, "presale_permit")
        assert [(r.version, r.status, r.created_by_id) for r in rows] == [(1, "active", None)]
        assert documents.seed_templates(session) == 0
        assert "商品房预售许可证" in rows[0].body


def test_saving_makes_a_new_version_and_retires_the_old(doc_db):
    regulator = demo_principal(doc_db, "regulator")
    with session_of(doc_db) as session:
        v1 = documents.current_template(session, "presale_permit")
        body = v1.body.replace("准予预售。", "准予预售（第二版）。")
        v2 = documents.save_template_version(session, regulator, "presale_permit", body, remarks="调整表述")
        session.commit()
        assert v2.version == 2 and v2.created_by_id == regulator.user_id and v2.remarks == "调整表述"
        assert documents.current_template(session, "presale_permit").id == v2.id
        assert session.get(DocumentTemplate, v1.id).status == TemplateStatus.RETIRED.value
        assert session.get(DocumentTemplate, v1.id).body != body  # the old version is kept as it was
        assert session.exec(select(AuditLog).where(AuditLog.model == "document_template")).first() is not None
        with pytest.raises(UserError, match="没有变化"):
            documents.save_template_version(session, regulator, "presale_permit", body)


@pytest.mark.parametrize("username", ["dev_admin", "window", "mortgage_bank", "survey"])
def test_only_the_regulator_side_may_save_templates(doc_db, username):
    with session_of(doc_db) as session:
        body = documents.current_template(session, "presale_permit").body + "<p>x</p>"
        with pytest.raises(PermissionDenied, match="维护文书模板"):
            documents.save_template_version(session, demo_principal(doc_db, username), "presale_permit", body)


def test_a_template_that_fails_on_the_sample_data_is_refused_and_nothing_is_saved(doc_db):
    admin = demo_principal(doc_db, "admin")
    with session_of(doc_db) as session:
        for body, message in [("<p>{{ developer_nmae }}</p>", "模板引用了不存在的数据 developer_nmae"),
                              ("<p>{{ developer_name.__class__ }}</p>", "模板不安全：不允许访问 __class__"),
                              ('<img src="/etc/passwd">', "不允许引用外部文件或网址"),
                              ("{% if x %}", "模板语法错误：第1行"), ("  ", "模板内容不能为空")]:
            with pytest.raises(UserError, match=message):
                documents.save_template_version(session, admin, "presale_permit", body)
        session.commit()
        assert [r.version for r in documents.list_templates(session, "presale_permit")] == [1]


def test_preview_uses_the_unsaved_body_and_the_sample_data(doc_db):
    with session_of(doc_db) as session:
        page = documents.preview_html(session, "presale_permit", body="<h1>{{ project_name }}</h1>")
        assert "<h1>星城·湘江府</h1>" in page and "data:image/png;base64," in page and "/verify/" in page
        current = documents.preview_html(session, "presale_permit", data=_permit_sample() | {"project_name": "<i>项目</i>"})
        assert "&lt;i&gt;项目&lt;/i&gt;" in current and "商品房预售许可证" in current
        with pytest.raises(UserError, match="没有第9版"):
            documents.preview_html(session, "presale_permit", version=9)
        with pytest.raises(UserError, match="未知的文书类型"):
            documents.preview_html(session, "no_such_kind")


# ------------------------------------------------------------------ issuing
def test_issued_pdf_carries_number_code_and_qr_on_every_page(doc_db, tmp_path):
    doc = issue_permit(doc_db)
    assert len(doc.verification_code) == 20 and doc.verification_code not in doc.number
    stored = documents_dir() / doc.stored_name
    data = stored.read_bytes()
    assert hashlib.sha256(data).hexdigest() == doc.sha256 and doc.size == len(data)
    assert doc.template_version == 1 and doc.version == 1 and doc.status == "valid" and not doc.signed
    pages = pdf_pages(data, tmp_path)
    assert pages == 2  # the certificate and the room annex
    for page in range(1, pages + 1):
        text = pdf_text(data, tmp_path, page)
        assert "文书编号：2025-0101" in text
        assert display_code(doc.verification_code) in text
        assert f"{PUBLIC_URL}/verify/{doc.verification_code}" in text
        assert f"第{page}页 共{pages}页" in text
    first = pdf_text(data, tmp_path, 1)
    assert "商品房预售许可证" in first and DEVELOPER in first and "24 套" in first and "2,492.2008" in first
    # The QR code is an image on each page (pdfimages lists one per page).
    import subprocess

    path = tmp_path / "qr.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert sorted(int(line.split()[0]) for line in listing.splitlines()[2:]) == list(range(1, pages + 1))


def test_numbers_are_unique_per_kind(doc_db):
    issue_permit(doc_db)
    with pytest.raises(UserError, match="编号2025-0101已存在"):
        issue_permit(doc_db)


def test_supersede_and_cancel(doc_db):
    old = issue_permit(doc_db)
    with session_of(doc_db) as session:
        new = documents.issue(session, demo_principal(doc_db, "regulator"), kind="presale_permit", number="2025-0101",
                              data=_permit_sample(), issuer_org_id=old.issuer_org_id, owner_org_id=old.owner_org_id,
                              version_of=old.id, masked_summary={"变更": "范围调整"})
        session.commit()
        assert new.version == 2 and new.verification_code != old.verification_code
        again = session.get(Document, old.id)
        assert again.status == DocumentStatus.SUPERSEDED.value and again.superseded_by_id == new.id
        assert documents.find_by_code(session, old.verification_code).status == "superseded"
        assert documents.find_by_code(session, display_code(new.verification_code).lower()).id == new.id
        with pytest.raises(UserError, match="已变更，不能再次变更"):
            documents.issue(session, demo_principal(doc_db, "regulator"), kind="presale_permit", number="2025-0101",
                            data=_permit_sample(), issuer_org_id=old.issuer_org_id, owner_org_id=None, version_of=old.id)
        session.rollback()
        with pytest.raises(PermissionDenied, match="只有主管部门"):
            documents.cancel(session, demo_principal(doc_db, "dev_admin"), new.id, "误发")
        with pytest.raises(UserError, match="请填写作废原因"):
            documents.cancel(session, demo_principal(doc_db, "regulator"), new.id, " ")
        documents.cancel(session, demo_principal(doc_db, "regulator"), new.id, "许可证注销")
        session.commit()
        cancelled = documents.find_by_code(session, new.verification_code)
        assert cancelled.status == DocumentStatus.CANCELLED.value and cancelled.cancelled_at is not None
        with pytest.raises(UserError, match="已作废，不能作废"):
            documents.cancel(session, demo_principal(doc_db, "regulator"), new.id, "再次")
        assert documents.find_by_code(session, "0" * 20) is None
        assert documents.find_by_code(session, "not a code") is None


def test_a_failed_issue_leaves_neither_row_nor_file(doc_db):
    with session_of(doc_db) as session:
        existing = len(session.exec(select(Document)).all())  # the demo's permit
    issue_permit(doc_db)
    before = set(documents_dir().iterdir())
    with pytest.raises(UserError):
        issue_permit(doc_db, data=_permit_sample() | {"developer_name": None} | {"permit_number": None})
    with pytest.raises(UserError, match="已存在"):
        issue_permit(doc_db)
    assert set(documents_dir().iterdir()) == before
    with session_of(doc_db) as session:
        assert len(session.exec(select(Document)).all()) == existing + 1


def test_float_data_is_a_programming_error(doc_db):
    with pytest.raises(TypeError, match="float"):
        issue_permit(doc_db, number="2025-0102", data=_permit_sample() | {"gross_area": 12.5})


# ------------------------------------------------------------------ access
def test_open_pdf_access(doc_db):
    doc = issue_permit(doc_db)
    with session_of(doc_db) as session:
        for username in ("regulator", "admin", "window", "dev_admin", "dev_operator"):
            got, data = documents.open_pdf(session, demo_principal(doc_db, username), doc.id)
            assert got.id == doc.id and data.startswith(b"%PDF")
        for username in ("dev2_admin", "mortgage_bank", "supervising_bank", "broker", "buyer"):
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                documents.open_pdf(session, demo_principal(doc_db, username), doc.id)
        with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
            documents.open_pdf(session, demo_principal(doc_db, "regulator"), doc.id + 999)


def test_open_pdf_through_the_case(doc_db):
    with session_of(doc_db) as session:
        case = session.exec(select(Case).order_by(Case.id)).first()
    assert case is not None and case.org_id == org_id(doc_db, DEVELOPER)
    doc = issue_permit(doc_db, owner=None, case_id=case.id)
    with session_of(doc_db) as session:
        assert documents.open_pdf(session, demo_principal(doc_db, "dev_admin"), doc.id)[0].id == doc.id
        with pytest.raises(PermissionDenied):
            documents.open_pdf(session, demo_principal(doc_db, "dev2_admin"), doc.id)
        assert [d.id for d in documents.documents_of(session, demo_principal(doc_db, "dev_admin"), case_id=case.id)] == [doc.id]
        assert documents.documents_of(session, demo_principal(doc_db, "dev2_admin"), case_id=case.id) == []


def test_only_in_ones_own_name(doc_db):
    developer = demo_principal(doc_db, "dev_admin")
    with session_of(doc_db) as session:
        kw = dict(kind="presale_permit", data=_permit_sample(), owner_org_id=developer.org_id)
        with pytest.raises(PermissionDenied, match="只能以本机构名义签发文书"):
            documents.issue(session, developer, number="2026-0100", issuer_org_id=org_id(doc_db, REGULATOR_ORG), **kw)
        own = documents.issue(session, developer, number="2026-0101", issuer_org_id=developer.org_id, **kw)
        assert own.issuer_org_id == developer.org_id and own.created_by_id == developer.user_id
