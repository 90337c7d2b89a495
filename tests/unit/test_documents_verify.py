"""The public verify page and the authorised PDF route, through the real HTTP routes."""

from __future__ import annotations

import hashlib
import warnings

import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():  # starlette asks for "httpx2"; the installed httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from netsign_console import documents
from netsign_console.api import verify
from netsign_console.api.rate_limit import SlidingWindowLimiter
from netsign_console.api.routes import api_routes
from netsign_console.auth.service import attempt_login
from netsign_console.demo.accounts import DEMO_PASSWORD
from netsign_console.documents.catalog.presale_permit import sample as _permit_sample
from netsign_console.documents.codes import display_code
from tests.unit.document_fixtures import (  # noqa: F401  fixtures
    demo_db, demo_principal, doc_db, doc_settings, keys_dir, org_id,
)
from tests.unit.test_documents_service import DEVELOPER, issue_permit, session_of

NOT_FOUND = "未找到该查验码对应的文书，请核对后重试"


@pytest.fixture
def client(doc_db):
    verify.set_limiter(SlidingWindowLimiter(1000))
    yield TestClient(Starlette(routes=api_routes()))
    verify.set_limiter(None)


def test_valid_document_page(client, doc_db):
    doc = issue_permit(doc_db, summary={"开发企业": DEVELOPER, "买受人": "张*", "备注": "<script>alert(1)</script>"})
    page = client.get(f"/verify/{doc.verification_code}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    for expected in ("商品房预售许可证", "2025-0101", "长沙市住房和城乡建设局", ">有效<", "第1版", doc.sha256, "张*", DEVELOPER):
        assert expected in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert page.headers["referrer-policy"] == "no-referrer" and "default-src 'none'" in page.headers["content-security-policy"]
    assert "电子签章" not in text  # not signed
    # The printed form of the code (dashes, lower case) opens the same page.
    assert ">有效<" in client.get(f"/verify/{display_code(doc.verification_code).lower()}").text


def test_superseded_then_cancelled(client, doc_db):
    url = doc_db
    old = issue_permit(url)
    with session_of(url) as session:
        new = documents.issue(session, demo_principal(url, "regulator"), kind="presale_permit", number="2025-0101",
                              data=_permit_sample(), issuer_org_id=old.issuer_org_id, owner_org_id=old.owner_org_id,
                              version_of=old)
        session.commit()
    text = client.get(f"/verify/{old.verification_code}").text
    assert "已变更（已被新版本替代）" in text and "已由第2版替代" in text
    assert new.verification_code not in text  # the old code does not hand out the new one
    assert ">有效<" in client.get(f"/verify/{new.verification_code}").text
    with session_of(url) as session:
        documents.cancel(session, demo_principal(url, "regulator"), new.id, "许可证注销")
        session.commit()
    text = client.get(f"/verify/{new.verification_code}").text
    assert "已作废" in text and "作废时间" in text and "许可证注销" not in text


def test_signed_document_shows_the_signature_check(client, doc_db):
    doc = issue_permit(doc_db, sign=True)
    text = client.get(f"/verify/{doc.verification_code}").text
    assert "电子签章" in text and "有效（长沙市住房和城乡建设局 网签备案" in text
    # A stored file that no longer matches its SHA-256 is reported, not vouched for.
    from netsign_console.documents.issuing import documents_dir

    path = documents_dir() / doc.stored_name
    path.write_bytes(path.read_bytes() + b"%")
    verify._signatures.clear()
    assert "存档文件与登记的SHA-256不一致" in client.get(f"/verify/{doc.verification_code}").text


@pytest.mark.parametrize("code", ["0" * 20, "ABCDEFGHJKMNPQRSTVWX", "short", "<script>", "a" * 300, "%00"])
def test_unknown_or_malformed_codes_reveal_nothing(client, doc_db, code):
    issue_permit(doc_db)
    page = client.get(f"/verify/{code}")
    assert page.status_code == 404 and NOT_FOUND in page.text
    assert "2025-0101" not in page.text and DEVELOPER not in page.text and "<script>" not in page.text


def test_the_form_redirects_to_the_code(client, doc_db):
    doc = issue_permit(doc_db)
    page = client.get("/verify", params={"code": display_code(doc.verification_code)}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/verify/{doc.verification_code}"
    assert "输入文书上的查验码" in client.get("/verify").text


def test_rate_limit_per_client(client):
    verify.set_limiter(SlidingWindowLimiter(5))
    statuses = [client.get(f"/verify/{'0' * 20}").status_code for _ in range(7)]
    assert statuses == [404] * 5 + [429] * 2
    assert "查询过于频繁，请一分钟后再试" in client.get(f"/verify/{'0' * 20}").text


def test_sliding_window():
    limiter = SlidingWindowLimiter(3, window_seconds=60)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("b", now=3)  # another client has its own window
    assert not limiter.allow("a", now=59)  # still within the minute of the first three (and the refused ones)
    assert limiter.allow("a", now=200)


def test_pdf_download_route(client, doc_db):
    doc = issue_permit(doc_db)
    route = f"/api/documents/{doc.id}.pdf"
    response = client.get(route)
    assert response.status_code == 401 and response.json() == {"message": "请先登录"}
    client.cookies.set("netsign_token", attempt_login("dev2_admin", DEMO_PASSWORD).token)
    response = client.get(route)
    assert response.status_code == 403 and response.json() == {"message": "记录不存在或无权访问"}
    assert client.get(f"/api/documents/{doc.id + 50}.pdf").json() == {"message": "记录不存在或无权访问"}
    client.cookies.set("netsign_token", attempt_login("dev_admin", DEMO_PASSWORD).token)
    response = client.get(route)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == doc.sha256
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
