"""The document layer in the real app: the verify page reached through `reflex run
--single-port` (not the frontend's router) from the address printed in the PDF, valid /
superseded / unknown, the signature check; the authorised PDF route; the regulator's
template editor with its live preview and "保存为新版本", closed to a developer."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from netsign_console import settings as config
from netsign_console.documents.catalog.presale_permit import sample as _permit_sample
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e


def _issue_two_versions(e2e_work, app_url, monkeypatch) -> tuple:
    from models.organization import Organization
    from models.user import User
    from netsign_console import documents
    from netsign_console.auth.service import principal_for_user
    from netsign_console.db import session_scope
    from netsign_console.documents.signing import ensure_keys

    monkeypatch.setattr(config, "settings", dataclasses.replace(
        config.settings, private_dir=e2e_work / "private", keys_dir=e2e_work / "keys", public_url=app_url))
    ensure_keys(e2e_work / "keys")
    url = f"sqlite:///{e2e_work / 'e2e.db'}"
    with session_scope(url) as session:
        regulator = principal_for_user(session, session.exec(select(User).where(User.username == "regulator")).one())
        developer = session.exec(select(Organization.id).where(Organization.name == "湖南星城置业有限公司")).one()
        kw = dict(kind="presale_permit", number="2026-0099", issuer_org_id=regulator.org_id, owner_org_id=developer,
                  masked_summary={"开发企业": "湖南星城置业有限公司", "预售套数": "24套"}, sign=True)
        old = documents.issue(session, regulator, data=_permit_sample(), **kw)
        new = documents.issue(session, regulator, data=_permit_sample(), version_of=old, **kw)
        return old.verification_code, new.verification_code, new.id, new.stored_name


def test_verify_page_pdf_route_and_template_editor(new_page, app_url, e2e_work, monkeypatch, tmp_path):
    old_code, new_code, new_id, stored = _issue_two_versions(e2e_work, app_url, monkeypatch)

    # The address printed on the PDF (the QR code's text) opens the verify page, no login needed.
    pdf = tmp_path / "permit.pdf"
    pdf.write_bytes((e2e_work / "private" / "documents" / stored).read_bytes())
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    printed = re.search(r"(http://\S+/verify/[0-9A-Z]{20})", text).group(1)
    assert printed == f"{app_url}/verify/{new_code}"
    public = new_page()
    response = public.goto(printed)
    assert response.status == 200 and "text/html" in response.headers["content-type"]
    expect(public.locator("#verify-status")).to_have_text("有效")
    expect(public.locator("#verify-table")).to_contain_text("2026-0099")
    expect(public.locator("#verify-table")).to_contain_text("电子签章")
    expect(public.locator("#verify-table")).to_contain_text("有效（长沙市住房和城乡建设局 网签备案")
    screenshot(public, "verify-valid")
    public.goto(f"/verify/{old_code}")
    expect(public.locator("#verify-status")).to_have_text("已变更（已被新版本替代）")
    screenshot(public, "verify-superseded")
    assert public.goto("/verify/ABCD-EFGH-0000-0000-0000").status == 404
    expect(public.locator("#verify-result")).to_have_text("未找到该查验码对应的文书，请核对后重试")
    # The form on the page takes a typed code with dashes and lower case.
    public.locator("input[name=code]").fill("-".join(new_code[i:i + 4] for i in range(0, 20, 4)).lower())
    public.locator("button[type=submit]").click()
    expect(public.locator("#verify-status")).to_have_text("有效")

    # The PDF route: refused without a session, served to the owner's user.
    assert public.request.get(f"/api/documents/{new_id}.pdf").status == 401
    dev = new_page()
    login(dev, "dev_admin")
    download = dev.request.get(f"/api/documents/{new_id}.pdf")
    assert download.status == 200 and download.body().startswith(b"%PDF")
    # A developer may not open the template editor (page gate) ...
    dev.goto("/documents/templates/edit")
    dev.wait_for_url("**/denied")

    # ... the regulator edits with a live preview and saves a new version.
    reg = new_page()
    login(reg, "regulator")
    reg.goto("/documents/templates/edit")
    body = reg.locator("#template-body")
    expect(body).to_have_value(re.compile("商品房预售许可证"))
    # The preview is the sandboxed iframe's srcdoc: the template rendered on the sample data.
    frame = reg.locator("#template-preview")
    expect(frame).to_have_attribute("srcdoc", re.compile("星城·湘江府"), timeout=20_000)
    source = body.input_value()
    body.fill(source + "\n<p>{{ developer_name.__class__ }}</p>")
    expect(reg.locator("#template-error")).to_contain_text("模板不安全：不允许访问 __class__")
    body.fill(source + "\n<p class=\"e2e-note\">浏览器测试备注：{{ project_name }}</p>")
    expect(frame).to_have_attribute("srcdoc", re.compile('<p class="e2e-note">浏览器测试备注：星城·湘江府</p>'))
    expect(reg.locator("#template-error")).to_have_count(0)
    reg.locator("#template-remarks").fill("浏览器测试：增加备注")
    reg.locator("#template-save").click()
    expect(reg.locator("#versions-table")).to_contain_text("第2版")
    expect(reg.locator("#versions-table")).to_contain_text("浏览器测试：增加备注")
    expect(reg.locator("#versions-table")).to_contain_text("已停用")
    screenshot(reg, "template-editor")
