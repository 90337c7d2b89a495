"""Contract documents (SIGN-09, SIGN-12, SIGN-13): the pre-sale and spot-sale templates in both
layouts render real PDFs from a contract's rows, with the buyer's name, the price in 大写 and
the verification code in the text; user text is escaped; the developer's seals are stamped at
the template's marks with the text kept; a signature made after stamping validates."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlmodel import select

from models.building import Building, Room
from models.organization import Organization
from netsign_console import documents
from netsign_console.contracts.document_data import contract_data, document_kind, masked_summary
from netsign_console.contracts.entry import Terms, assign_number, open_contract, save_parties, save_terms
from netsign_console.contracts.seals import draw_company_seal, draw_legal_rep_seal
from netsign_console.contracts.signing import seal_pdf
from netsign_console.db import session_scope
from netsign_console.documents.kinds import get_kind
from netsign_console.documents.signing import sign_pdf, validate_pdf
from netsign_console.domain.contract import Party
from netsign_console.domain.money import amount_in_words
from netsign_console.errors import UserError
from tests.unit.admin_fixtures import demo_db  # noqa: F401  fixture
from tests.unit.document_fixtures import doc_db, doc_settings, keys_dir, pdf_text  # noqa: F401  fixtures

CODE = "7K3QW9XN2M4PR8TV"
SEALS = {"company": draw_company_seal("湖南星城置业有限公司"), "legal_rep": draw_legal_rep_seal("王建国")}


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("kind", ["presale_contract", "spot_sale_contract"])
@pytest.mark.parametrize("variant", ["electronic", "paper"])
def test_each_template_renders_its_sample_with_the_clauses_of_its_layout(doc_db, tmp_path, kind, variant):
    data = get_kind(kind).sample()
    with session_scope(doc_db) as s:
        pdf = documents.render_pdf(s, kind, data, number=data["contract_number"], verification_code=CODE,
                                   variant=variant)
    text = _flat(pdf_text(pdf, tmp_path))
    assert "张三" in text and "李四" in text and "11010519491231002X" in text  # the contract shows full data
    assert "人民币" + amount_in_words(data["total_price"]) in text
    assert text.count("7K3Q-W9XN-2M4P-R8TV") == len(PdfReader(io.BytesIO(pdf)).pages)  # on every page
    assert "面积误差比绝对值在3%以内（含3%）的，据实结算房价款" in text  # N13
    assert "补充协议中含有不合理地减轻或免除本合同中约定应当由出卖人承担的责任" in text  # SIGN-13
    for role in ("出卖人（盖章）", "法定代表人（签章）", "置业顾问", "委托代理人", "经纪机构", "经纪人员", "签订时间"):
        assert role in text
    electronic = "本合同为电子合同，在各方电子签名后生效" in text
    assert electronic is (variant == "electronic")
    assert ("以电子文本为准" in text) is electronic and ("买受人（签字）" in text) is (not electronic)
    assert ("预售许可证号为2026-0001" in text) is (kind == "presale_contract")
    assert ("现售许可证号为2026-0001" in text) is (kind == "spot_sale_contract")


def _contract(url: str, *, address: str = "长沙市天心区湘府中路1号", method: str = "instalment"):
    with session_scope(url) as s:
        room_id = s.exec(select(Room.id).join(Building, Building.id == Room.building_id)
                         .where(Building.building_number == "D001", Room.room_number == "1-1001")).one()
        c = open_contract(s, room_id, case_number="F202612020000011")
        assign_number(s, c, year=2026)
        save_parties(s, c, [Party(name="赵六", id_type="resident_id", id_number="11010519491231002X",
                                  phone="13800138000", address=address)])
        bank = s.exec(select(Organization.id).where(Organization.name.startswith("中国建设银行"))).one()
        if method == "instalment":
            terms = Terms(payment_method="instalment", agreed_total=Decimal("1000000"), delivery_date=date(2028, 6, 30),
                          instalments=[(date(2027, 1, 1), Decimal("300000")), (date(2027, 7, 1), Decimal("700000"))])
        else:
            terms = Terms(payment_method="commercial_loan", mortgage_bank_org_id=bank,
                          commercial_loan_amount=Decimal("500000"))
        save_terms(s, c, terms)
        return c.id


def test_a_contract_from_its_rows_renders_and_escapes_user_text(doc_db, tmp_path):
    from models.contract import Contract

    contract_id = _contract(doc_db, address="<b>湘府路</b><script>alert(1)</script>")
    with session_scope(doc_db) as s:
        c = s.get(Contract, contract_id)
        data = contract_data(s, c)
        html = documents.preview_html(s, document_kind(c), data=data, variant="electronic")
        pdf = documents.render_pdf(s, document_kind(c), data, number=c.contract_number, verification_code=CODE,
                                   variant="electronic")
        summary = masked_summary(s, c)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    text = _flat(pdf_text(pdf, tmp_path))
    # Printed as text, not markup (read without -layout: the narrow cell wraps it).
    cell = _flat(PdfReader(io.BytesIO(pdf)).pages[1].extract_text())
    assert "<b>湘府路</b><script>alert(1)</script>" in cell and "&lt;" not in cell
    assert "赵六" in text and "人民币壹佰万元整" in text and "YS430100-2026-000001" in text
    assert "第1期" in text and "2027年7月1日" in text and "700,000.00" in text
    assert summary == {"合同编号": "YS430100-2026-000001", "出卖人": "湖南星城置业有限公司", "房屋": "D001栋1-1001室",
                       "买受人": "赵*", "买受人证件号码": "1101**********002X"}


def test_seals_are_stamped_at_their_marks_and_a_later_signature_validates(doc_db, tmp_path):
    data = get_kind("presale_contract").sample()
    with session_scope(doc_db) as s:
        pdf = documents.render_pdf(s, "presale_contract", data, number=data["contract_number"], verification_code=CODE,
                                   variant="electronic")
    sealed = seal_pdf(pdf, SEALS)
    pages = PdfReader(io.BytesIO(sealed)).pages
    last = len(pages)
    assert [len(p.images) for p in pages[:-1]] == [1] * (last - 1)  # the QR code only
    assert len(pages[-1].images) == 3  # QR + company seal + legal-representative seal
    assert _flat(pdf_text(sealed, tmp_path)) == _flat(pdf_text(pdf, tmp_path)), "stamping keeps the text"
    signed = sign_pdf(sealed, reason="合同盖章", location="长沙市")
    assert validate_pdf(signed).valid
    # Stamping a signed PDF rewrites it: the signature no longer covers the file.
    assert not validate_pdf(seal_pdf(signed, SEALS)).valid


def test_a_template_without_the_seal_mark_is_not_sealed_at_a_guess(doc_settings):
    from netsign_console.documents.pdf import Stamp, html_to_pdf, pdf_html

    pdf = html_to_pdf(pdf_html("<p>出卖人：湖南星城置业有限公司</p>", Stamp("YS430100-2026-000017", CODE)))
    with pytest.raises(UserError, match="合同模板中没有“出卖人（盖章）”盖章位置"):
        seal_pdf(pdf, SEALS)


def test_a_stamp_outside_the_document_is_refused():
    from netsign_console.documents.stamping import StampSpec, stamp

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(100, 700, "one page")
    page.save()
    with pytest.raises(UserError, match="盖章位置不在文件中：第2页（共1页）"):
        stamp(out.getvalue(), [StampSpec(SEALS["company"], page=2, x=100, y=100)])
