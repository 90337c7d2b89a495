"""Pre-sale fund supervision in the browser (issue 10): the developer signs an agreement on D002
(the key amount appears computed as the rooms are picked on the grid), the regulator and then
the supervising bank approve; the agreement PDF shows the amount in 大写. On the demo's D001
agreement a withdrawal above the disbursable amount is refused at the field; one within it goes
through the whole chain (seal, 初审, 复审, the bank's payment, the archive) and the balance moves
by exactly its amount; a second withdrawal while the first is open is refused; a second bank's
user sees none of it."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

PICKED = {"1-0201": Decimal("103.5000"), "1-0202": Decimal("83.9500"), "2-0201": Decimal("103.5000")}
KEY = "436,425.00"  # (103.5 + 83.95 + 103.5) m² × 1,500 元/m²
KEY_WORDS = "肆拾叁万陆仟肆佰贰拾伍元整"
AMOUNT = Decimal("300000.00")


def _second_bank_user(e2e_work) -> None:
    """A supervising-bank user at another bank (the demo has one per bank kind)."""
    from sqlmodel import select

    from models.organization import Organization
    from models.user import User
    from netsign_console.auth.passwords import hash_password
    from netsign_console.db import session_scope
    from netsign_console.demo.accounts import DEMO_PASSWORD

    with session_scope(f"sqlite:///{e2e_work / 'e2e.db'}") as s:
        if s.exec(select(User.id).where(User.username == "ccb_supervising")).first():
            return
        ccb = s.exec(select(Organization).where(Organization.name == "中国建设银行股份有限公司长沙分行")).one()
        s.add(User(username="ccb_supervising", display_name="钱建行", phone="13900000099", role="supervising_bank",
                   organization_id=ccb.id, password_hash=hash_password(DEMO_PASSWORD),
                   network_access_status="approved"))


def _demo_agreement(e2e_work):
    from sqlmodel import select

    from models.building import Building
    from models.fund import FundAgreement
    from netsign_console.db import session_scope

    with session_scope(f"sqlite:///{e2e_work / 'e2e.db'}") as s:
        d001 = s.exec(select(Building.id).where(Building.building_number == "D001")).one()
        a = s.exec(select(FundAgreement).where(FundAgreement.building_id == d001)).one()
        return a.id, a.agreement_number, a.balance, a.disbursable


def _accept(page, slug: str, search: str, pick: str, prefix: str) -> str:
    page.goto("/accept?group=预售资金监管")
    page.locator(f"#start-{slug}").click()
    page.locator("#subject-search").fill(search)
    expect(page.locator(pick)).to_have_count(1)
    page.locator(pick).first.click()
    expect(page.locator("#accept-ok")).to_be_visible(timeout=15_000)
    page.locator("#accept-picked").click()
    page.wait_for_url(f"**/case/{prefix}*")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("#case-number")).to_have_text(number)
    return number


def _done(page, code: str, text: str) -> None:
    expect(page.locator(f"#subtask-{code}").locator("xpath=..")).to_contain_text(text)


def _confirm(page, code: str) -> None:
    page.locator(f"#subtask-{code}").click()
    page.locator("#confirm-subtask").click()
    _done(page, code, "已确认")


def _open(page, number: str) -> None:
    page.goto(f"/case/{number}")
    expect(page.locator("#case-number")).to_have_text(number)


def _review(page, number: str, opinion: str, *, archive: bool = False) -> None:
    _open(page, number)
    page.locator("#act-claim").click()
    page.locator("#decision-approve").click()
    page.locator("#archive-opinion").fill(opinion)
    page.locator("#act-archive" if archive else "#act-decide").click()


def _pdf(page, tmp_path, name: str) -> str:
    href = page.locator("#document-download").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path), str(tmp_path / name)],
                   check=True)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _upload(page, kind: str, tmp_path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    expect(page.locator("#screen-title")).to_have_text("上传资料")
    page.locator("#subtask-upload-kind").select_option(kind)
    page.locator("#subtask-upload-files input[type=file]").set_input_files(str(path))
    page.locator("#subtask-upload-send").click()


def test_agreement_signing_and_a_withdrawal_through_the_whole_chain(new_page, e2e_work, tmp_path):
    _second_bank_user(e2e_work)
    dev = new_page()
    login(dev, "dev_operator")

    # 协议签订 on D002: the key amount follows the rooms as they are picked.
    number = _accept(dev, "fund-agreement-signing", "D002", "#pick-D002", "Z")
    expect(dev.locator("#case-stage")).to_have_text("协议录入")
    dev.locator("#subtask-pick-supervised_ids").click()
    expect(dev.locator("#case-grid")).to_be_visible()
    figure = dev.locator("#pick-figures")
    expect(figure).to_contain_text("重点监管资金")
    dev.locator('#case-grid td[data-room="1-0201"]').click()
    expect(figure).to_contain_text("155,250.00元")
    dev.locator('#case-grid td[data-room="1-0202"]').click()
    dev.locator('#case-grid td[data-room="2-0201"]').click()
    expect(figure).to_contain_text(f"{KEY}元")
    expect(figure).to_contain_text("3户")
    screenshot(dev, "fund-key-amount-on-grid")
    dev.locator("#pick-save").click()
    _done(dev, "pick-supervised_ids", "已纳入监管3户")
    dev.locator("#subtask-records-account_id").click()
    dev.locator("#subtask-screen").get_by_role("combobox").first.click()
    dev.get_by_role("option").first.click()
    dev.locator("#records-save").click()
    _done(dev, "records-account_id", "已选择")
    dev.locator("#subtask-form-fund-agreements").click()
    dev.locator("#field-construction_progress").fill("正负零以上三层")
    dev.locator("#field-presale_total").fill("3200000.00")
    dev.locator("#subtask-save").click()
    _done(dev, "form-fund-agreements", "已保存")
    dev.locator("#subtask-document-fund_supervision_agreement").click()
    dev.locator("#document-generate").click()
    expect(dev.locator("#document-number")).to_have_text(re.compile(r"JG\d{4}-\d{4}"))
    text = _pdf(dev, tmp_path, "agreement")
    assert f"大写：人民币{KEY_WORDS}" in text.replace(" ", "") or KEY_WORDS in text, text
    assert "湖南星城置业有限公司" in text and "招商银行股份有限公司长沙分行" in text and KEY in text
    _confirm(dev, "filing")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审核")

    reg = new_page()
    login(reg, "regulator")
    # 重点监管资金标准 is the regulator's: a ratio above 1 is refused at the field; the standard stays.
    reg.goto("/admin/fund-standard")
    expect(reg.locator("#field-standard_per_m2")).to_have_value("1500.00")
    reg.locator("#field-key_ratio").fill("1.5")
    reg.locator("#form-save").click()
    expect(reg.locator("#error-key_ratio")).to_have_text("监管比例应为0到1之间的小数，如10%填写0.10")
    screenshot(reg, "fund-standard")
    _review(reg, number, "监管户室与重点监管资金核算无误，同意备案")
    expect(reg.locator("#case-stage")).to_have_text("监管银行审核")
    bank = new_page()
    login(bank, "supervising_bank")
    _review(bank, number, "监管账户无误，同意监管", archive=True)
    expect(bank.locator("#case-status")).to_have_text("已办结")

    # The demo's D001 agreement: a withdrawal above the disbursable amount is refused at the field.
    agreement_id, agreement_number, balance, disbursable = _demo_agreement(e2e_work)
    assert disbursable > AMOUNT
    withdrawal = _accept(dev, "fund-withdrawal", agreement_number, f"#pick-{agreement_number}", "Q")
    dev.locator("#subtask-info").click()
    expect(dev.locator("#confirm-table")).to_contain_text(f"{disbursable:,.2f}元")
    screenshot(dev, "fund-withdrawal-screen")
    dev.locator("#confirm-subtask").click()
    _done(dev, "info", "已确认")
    dev.locator("#subtask-history").click()
    expect(dev.locator("#confirm-table")).to_contain_text("已监管资金额")
    screenshot(dev, "fund-withdrawal-history")
    dev.locator("#confirm-subtask").click()
    dev.locator("#subtask-form-fund-withdrawals").click()
    dev.locator("#field-amount").fill(str(disbursable + Decimal("0.01")))
    dev.locator("#subtask-save").click()
    expect(dev.locator("#error-amount")).to_contain_text(f"支取金额不能超过可拨付金额 {disbursable:,.2f} 元")
    screenshot(dev, "fund-withdrawal-refused")
    dev.locator("#field-amount").fill(str(AMOUNT))
    dev.locator("#field-purpose").fill("支付主体结构工程进度款")
    dev.locator("#subtask-save").click()
    _done(dev, "form-fund-withdrawals", "已保存")
    dev.locator("#subtask-document-fund_withdrawal_application").click()
    dev.locator("#document-generate").click()
    expect(dev.locator("#document-number")).to_have_text(withdrawal)
    assert "叁拾万元整" in _pdf(dev, tmp_path, "withdrawal")
    dev.locator("#subtask-upload").click()
    _upload(dev, "progress_proof", tmp_path)
    _done(dev, "upload", "已上传")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("开发企业盖章")

    # A second withdrawal while this one is open: refused before 受理.
    dev.goto("/accept?group=预售资金监管")
    dev.locator("#start-fund-withdrawal").click()
    dev.locator("#subject-search").fill(agreement_number)
    dev.locator(f"#pick-{agreement_number}").click()
    expect(dev.locator("#accept-refusals")).to_contain_text("该监管协议已有正在办理的资金支取业务")
    expect(dev.locator("#accept-picked")).to_be_disabled()

    seal = new_page()
    login(seal, "dev_admin")
    _open(seal, withdrawal)
    seal.locator("#act-claim").click()
    _confirm(seal, "seal")
    seal.locator("#act-dispatch").click()
    expect(seal.locator("#case-stage")).to_have_text("主管部门初审")
    _review(reg, withdrawal, "工程进度属实，初审通过")
    expect(reg.locator("#case-stage")).to_have_text("主管部门复审")
    _review(reg, withdrawal, "复审通过，请监管银行拨付")
    expect(reg.locator("#case-stage")).to_have_text("监管银行打款")

    _open(bank, withdrawal)
    bank.locator("#act-claim").click()
    bank.locator("#subtask-payment").click()
    bank.locator("#field-paid_on").fill("2026-12-01")
    bank.locator("#field-paid_amount").fill(str(AMOUNT))
    bank.locator("#field-voucher_number").fill("ZS20261201001")
    bank.locator("#subtask-save").click()
    _done(bank, "payment", "已保存")
    bank.locator("#act-dispatch").click()
    expect(bank.locator("#case-stage")).to_have_text("主管部门归档")
    _open(reg, withdrawal)
    reg.locator("#act-claim").click()
    _confirm(reg, "paid")
    reg.locator("#act-dispatch").click()
    expect(reg.locator("#case-status")).to_have_text("已办结")

    # The balance moved by exactly the amount paid; the regulator's city view shows it.
    _id, _n, after, after_disbursable = _demo_agreement(e2e_work)
    assert (after, after_disbursable) == (balance - AMOUNT, disbursable - AMOUNT)
    reg.goto(f"/fund/agreements/{agreement_id}")
    expect(reg.locator("#agreement-figures")).to_contain_text(f"{after:,.2f}元")
    screenshot(reg, "fund-agreement-page")
    reg.goto("/admin/fund-agreements")
    expect(reg.locator("#admin-table .admin-row")).to_have_count(2)
    screenshot(reg, "fund-agreement-list-regulator")
    bank.goto("/admin/fund-withdrawals")
    expect(bank.locator("#admin-table .admin-row")).to_have_count(1)
    screenshot(bank, "fund-withdrawals-bank")

    # A second bank's user sees none of it.
    other = new_page()
    login(other, "ccb_supervising")
    other.goto("/admin/fund-agreements")
    expect(other.locator("#admin-table")).to_be_visible()
    expect(other.locator("#admin-table .admin-row")).to_have_count(0)
    other.goto("/admin/fund-withdrawals")
    expect(other.locator("#admin-table .admin-row")).to_have_count(0)
    other.goto(f"/fund/agreements/{agreement_id}")
    other.wait_for_url("**/denied")
    other.goto(f"/case/{withdrawal}")
    other.wait_for_url("**/denied")
