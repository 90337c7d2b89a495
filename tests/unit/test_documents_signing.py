"""PAdES signing: a signed PDF validates against our root, keeps its text, and fails
validation when its bytes are changed, when something is appended, or under another root."""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from netsign_console import settings as config
from netsign_console.documents.pdf import Stamp, html_to_pdf, pdf_html
from netsign_console.documents.signing import SIGNER_NAME, ensure_keys, sign_pdf, validate_pdf
from tests.unit.document_fixtures import doc_settings, keys_dir, pdf_text  # noqa: F401  fixtures


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    stamp = Stamp("2026-0009", "ABCDEFGHJKMNPQRSTVWX")
    return html_to_pdf(pdf_html("<h1>商品房预售许可证</h1><p>开发企业：湖南星城置业有限公司</p>", stamp))


def test_keys_are_made_once(tmp_path):
    folder = tmp_path / "k"
    assert ensure_keys(folder) is True
    first = (folder / "signing.pem").read_bytes()
    assert ensure_keys(folder) is False and (folder / "signing.pem").read_bytes() == first
    assert oct((folder / "signing.key").stat().st_mode & 0o777) == "0o600"
    assert b"PRIVATE KEY" in (folder / "signing.key").read_bytes()


def test_signed_pdf_validates_and_keeps_its_text(doc_settings, plain_pdf, tmp_path):
    signed = sign_pdf(plain_pdf, reason="商品房预售许可证 2026-0009", location="长沙市")
    assert signed.startswith(plain_pdf)  # an incremental update: the original bytes stay as they were
    check = validate_pdf(signed)
    assert check.valid and check.intact and check.trusted
    assert check.signer == SIGNER_NAME and check.signed_at is not None
    assert check.message == "电子签章有效，文件签章后未被修改"
    text = pdf_text(signed, tmp_path)
    assert "商品房预售许可证" in text and "湖南星城置业有限公司" in text and "ABCD-EFGH-JKMN-PQRS-TVWX" in text


def test_a_modified_signed_pdf_fails(doc_settings, plain_pdf):
    signed = sign_pdf(plain_pdf, reason="测试", location="长沙市")
    # Change one byte inside the signed range (the first page's content stream).
    position = signed.index(b"stream", 200) + 40
    tampered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1:]
    check = validate_pdf(tampered)
    assert not check.valid and not check.intact and "签章后被修改" in check.message
    # Bytes appended after the signature (an incremental update that could change the page).
    appended = validate_pdf(signed + b"\n% appended\n1 0 obj\n<< >>\nendobj\n")
    assert not appended.valid


def test_another_root_is_not_trusted(doc_settings, plain_pdf, tmp_path, monkeypatch):
    signed = sign_pdf(plain_pdf, reason="测试", location="长沙市")
    other = tmp_path / "other-keys"
    ensure_keys(other)
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings, keys_dir=other))
    check = validate_pdf(signed)
    assert check.intact and not check.trusted and not check.valid and "不是本系统签发" in check.message


def test_unsigned_and_garbage(doc_settings, plain_pdf):
    assert validate_pdf(plain_pdf).message == "文件没有电子签章" and not validate_pdf(plain_pdf).valid
    assert not validate_pdf(b"not a pdf").valid


def test_signing_works_inside_a_running_event_loop(doc_settings, plain_pdf):
    # Reflex handlers run on an event loop; pyHanko calls asyncio.run itself.
    async def inside() -> bool:
        asyncio.get_running_loop()  # really inside one
        return validate_pdf(sign_pdf(plain_pdf, reason="测试", location="长沙市")).valid

    # In its own thread: the browser tests (same process) leave a loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result()
